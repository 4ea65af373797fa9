"""The lab inventory (inventories/lab) against a real lab AWS on a spare port.

The session's test lab AWS is emptied for this module; instances are launched with boto3 and the
inventory is read with `ansible-inventory`, exactly as a playbook would. No reconcile runs, so
no podman host is created: the inventory depends on the lab AWS alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chainops.lab.aws import clients, server
from chainops.lab.settings import LAB_ACCESS_KEY, LabSettings
from chainops.paths import REPO_ROOT
from tests.helpers import ansible_inventory, ansible_inventory_list, copy_lab_inventory

ANSIBLE_INVENTORY = Path(sys.executable).parent / "ansible-inventory"
REGION = "us-east-1"
MANAGED_TAG = {"Key": "chainops:lab-host", "Value": "true"}
RPC_ROLE_TAG = {"Key": "chainops:role", "Value": "rpc"}


@dataclass(frozen=True)
class Fleet:
    """What the module fixture built: the lab, its inventory copy and the instances."""

    endpoint: str
    inventory: Path
    ec2: Any
    image_id: str
    subnet_id: str
    rpc_ids: tuple[str, ...]
    unmanaged_id: str


@pytest.fixture(scope="module")
def lab_endpoint(lab_settings: LabSettings) -> str:
    """The session's test lab AWS, emptied for this module."""
    server.reset(lab_settings)
    return lab_settings.endpoint


@pytest.fixture(scope="module")
def lab_inventory(lab_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of inventories/lab whose endpoint is the module's lab AWS."""
    return copy_lab_inventory(tmp_path_factory.mktemp("inventories"), lab_endpoint)


@pytest.fixture(scope="module")
def fleet(lab_settings: LabSettings, lab_endpoint: str, lab_inventory: Path) -> Fleet:
    """A cluster placement group rpc-a with three managed RPC nodes and one unmanaged one."""
    ec2 = clients.client(lab_settings, "ec2", REGION)
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    vpc_id = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.42.1.0/24", AvailabilityZone=f"{REGION}a"
    )["Subnet"]["SubnetId"]
    image_id = str(ec2.describe_images()["Images"][0]["ImageId"])
    rpc_ids = _launch(ec2, image_id, subnet_id, count=3, tags=[MANAGED_TAG, RPC_ROLE_TAG])
    (unmanaged_id,) = _launch(ec2, image_id, subnet_id, count=1, tags=[RPC_ROLE_TAG])
    return Fleet(
        endpoint=lab_endpoint,
        inventory=lab_inventory,
        ec2=ec2,
        image_id=image_id,
        subnet_id=subnet_id,
        rpc_ids=tuple(sorted(rpc_ids)),
        unmanaged_id=unmanaged_id,
    )


def _launch(
    ec2: Any, image_id: str, subnet_id: str, *, count: int, tags: list[dict[str, str]]
) -> list[str]:
    reservation = ec2.run_instances(
        ImageId=image_id,
        InstanceType="i4i.xlarge",
        MinCount=count,
        MaxCount=count,
        SubnetId=subnet_id,
        Placement={"GroupName": "rpc-a"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
    )
    return [str(instance["InstanceId"]) for instance in reservation["Instances"]]


def inventory_list(fleet: Fleet) -> dict[str, Any]:
    return ansible_inventory_list(fleet.inventory)


def group_hosts(listed: dict[str, Any], group: str) -> set[str]:
    return set(listed.get(group, {}).get("hosts", []))


def inventory_graph(fleet: Fleet) -> dict[str, set[str]]:
    """`ansible-inventory --graph` parsed into the hosts directly under each group."""
    graph: dict[str, set[str]] = {}
    stack: list[tuple[int, str]] = []
    for line in ansible_inventory(fleet.inventory, "--graph").splitlines():
        match = re.match(r"^([ |-]*)(@?)([^ |@:-][^:]*):?$", line)
        assert match, line
        depth, is_group, name = len(match.group(1)), match.group(2), match.group(3)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if is_group:
            graph.setdefault(name, set())
            stack.append((depth, name))
        elif stack:
            graph[stack[-1][1]].add(name)
    return graph


def test_placement_group_holds_exactly_the_managed_nodes(fleet: Fleet) -> None:
    """pg_rpc_a ('-' sanitised to '_') lists exactly the three managed rpc-a instances."""
    listed = inventory_list(fleet)
    assert group_hosts(listed, "pg_rpc_a") == set(fleet.rpc_ids)
    assert inventory_graph(fleet)["pg_rpc_a"] == set(fleet.rpc_ids)


def test_role_group_from_the_role_tag(fleet: Fleet) -> None:
    """The chainops:role tag makes role_rpc, again with exactly the managed nodes."""
    listed = inventory_list(fleet)
    assert group_hosts(listed, "role_rpc") == set(fleet.rpc_ids)
    assert inventory_graph(fleet)["role_rpc"] == set(fleet.rpc_ids)


def test_availability_zone_group(fleet: Fleet) -> None:
    """Each node lands in az_<zone> with the zone sanitised, here az_us_east_1a."""
    listed = inventory_list(fleet)
    az_groups = {g for g in listed if g.startswith("az_")}
    assert az_groups == {"az_us_east_1a"}
    assert group_hosts(listed, "az_us_east_1a") == set(fleet.rpc_ids)


def test_unmanaged_instance_is_absent(fleet: Fleet) -> None:
    """An instance without chainops:lab-host is not in the inventory, even in its groups."""
    listed = inventory_list(fleet)
    assert fleet.unmanaged_id not in listed["_meta"]["hostvars"]
    assert fleet.unmanaged_id not in ansible_inventory(fleet.inventory, "--graph")


def test_hosts_are_named_and_reached_by_instance_id(fleet: Fleet) -> None:
    """Hosts are named by instance id, ansible_host is the id (the podman container name)
    and the lab group_vars apply (podman connection, lab world)."""
    hostvars = inventory_list(fleet)["_meta"]["hostvars"]
    assert set(hostvars) == set(fleet.rpc_ids)
    for instance_id in fleet.rpc_ids:
        host = hostvars[instance_id]
        assert host["ansible_host"] == instance_id
        assert host["placement"]["group_name"] == "rpc-a"
        assert host["ansible_connection"] == "chainops.platform.lab_podman"
        assert host["chainops_world"] == "lab"


def test_group_vars_read_the_lab_aws_from_the_inventory_plugin(fleet: Fleet) -> None:
    """aws_ec2.yml is the one home of the lab AWS; the AWS modules' defaults and the CLI's
    environment follow it, here in a copied inventory pointed at the module's lab."""
    result = subprocess.run(
        [str(ANSIBLE_INVENTORY.parent / "ansible"), "localhost", "-i", str(fleet.inventory),
         "-m", "ansible.builtin.debug",
         "-a", "var=[chainops_aws_module_defaults,chainops_lab_cli_environment]"],
        capture_output=True, text=True, timeout=120, check=False, cwd=REPO_ROOT,
        env={**os.environ, "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
             "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1", "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # profile_tasks (ansible.cfg) prints its lines around the JSON document.
    document, _ = json.JSONDecoder().raw_decode(result.stdout[result.stdout.index("\n{") + 1 :])
    (task,) = document["plays"][0]["tasks"]
    module_defaults, cli_environment = next(iter(task["hosts"]["localhost"].values()))
    settings = LabSettings(port=int(fleet.endpoint.rsplit(":", 1)[1]))
    assert module_defaults["endpoint_url"] == fleet.endpoint
    assert module_defaults["access_key"] == LAB_ACCESS_KEY
    assert module_defaults["region"] == settings.regions[0]
    assert cli_environment["CHAINOPS_LAB_PORT"] == str(settings.port)


def test_terminated_instances_vanish(fleet: Fleet) -> None:
    """A managed node appears while running and is gone from every group once terminated."""
    (extra,) = _launch(
        fleet.ec2, fleet.image_id, fleet.subnet_id, count=1, tags=[MANAGED_TAG, RPC_ROLE_TAG]
    )
    try:
        assert extra in group_hosts(inventory_list(fleet), "pg_rpc_a")
    finally:
        fleet.ec2.terminate_instances(InstanceIds=[extra])
    listed = inventory_list(fleet)
    assert extra not in listed["_meta"]["hostvars"]
    assert group_hosts(listed, "pg_rpc_a") == set(fleet.rpc_ids)
    assert group_hosts(listed, "role_rpc") == set(fleet.rpc_ids)
