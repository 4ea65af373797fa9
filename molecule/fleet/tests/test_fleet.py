"""What the fleet phase leaves on three lab RPC nodes in one placement group, checked from
each node and from the scenario's lab AWS (molecule/shared/create.yml starts it)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from typing import Any

import boto3

PLACEMENT_GROUP = "molecule-rpc"
MAX_LAG_SLOTS = 50  # solana_rpc_node_health_max_lag_slots' default
HEALTH_WINDOW_S = 3  # the lab's solana_rpc_node_health_window_seconds


def _ec2() -> Any:
    port = os.environ.get("CHAINOPS_LAB_PORT", "4594")
    return boto3.client(
        "ec2",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the lab's dummy credentials
    )


def _instance_id(host: Any) -> str:
    # Lab hosts are podman containers named by their instance id: molecule's ansible_host.
    return str(host.ansible.get_variables()["ansible_host"])


def _slot(address: str) -> int:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
    out = subprocess.run(
        ["curl", "-sf", "-m", "5", "-H", "Content-Type: application/json", "-d", body,
         f"http://{address}:8899"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(json.loads(out)["result"])


def _fleet_addresses() -> dict[str, str]:
    reservations = _ec2().describe_instances(
        Filters=[
            {"Name": "placement-group-name", "Values": [PLACEMENT_GROUP]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )["Reservations"]
    ids = [i["InstanceId"] for r in reservations for i in r["Instances"]]
    return {
        instance: subprocess.run(
            ["podman", "inspect", instance, "--format", "{{.NetworkSettings.IPAddress}}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for instance in ids
    }


def test_node_runs_in_the_fleet_placement_group(host: Any) -> None:
    """The lab AWS placed this node's instance in the cluster placement group."""
    (reservation,) = _ec2().describe_instances(InstanceIds=[_instance_id(host)])["Reservations"]
    (instance,) = reservation["Instances"]
    assert instance["Placement"]["GroupName"] == PLACEMENT_GROUP
    assert instance["State"]["Name"] == "running"


def test_fleet_has_three_nodes_in_one_placement_group() -> None:
    assert len(_fleet_addresses()) == 3


def test_node_serves_rpc_from_the_tuned_host(host: Any) -> None:
    """The role's work on this node: unit active with Agave's limits, data on NVMe mounts."""
    assert host.service("solana-rpc").is_running
    limits = host.check_output("systemctl show solana-rpc -p LimitNOFILE -p LimitMEMLOCK")
    assert "LimitNOFILE=1000000" in limits
    assert "LimitMEMLOCK=2000000000" in limits
    assert host.sysctl("vm.max_map_count") == 1000000
    for path in ("/mnt/ledger", "/mnt/accounts"):
        mount = host.mount_point(path)
        assert mount.filesystem == "xfs"
        assert "noatime" in mount.options


def test_peers_are_within_slot_lag_of_each_other(host: Any) -> None:
    """Every node follows the one lab slot clock: the fleet's slots agree within the lag."""
    slots = {instance: _slot(address) for instance, address in _fleet_addresses().items()}
    assert _instance_id(host) in slots
    assert max(slots.values()) - min(slots.values()) <= MAX_LAG_SLOTS, slots


def test_rolled_a_third_at_a_time(host: Any) -> None:
    """serial 34% of three nodes: each node started after the previous one had been caught up
    for the health window (the units' start times, on the one kernel's monotonic clock)."""
    starts = {}
    for instance in _fleet_addresses():
        out = subprocess.run(
            ["podman", "exec", instance, "systemctl", "show", "solana-rpc",
             "-p", "ExecMainStartTimestampMonotonic", "--value"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        starts[instance] = int(out)
    assert _instance_id(host) in starts
    ordered = sorted(starts.values())
    gaps_s = [(later - earlier) / 1e6 for earlier, later in itertools.pairwise(ordered)]
    assert len(ordered) == 3
    assert min(gaps_s) >= HEALTH_WINDOW_S, gaps_s
