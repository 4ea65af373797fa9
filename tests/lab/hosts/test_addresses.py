"""Lab hosts answer on their instances' private addresses, from this machine and each other."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from chainops.lab.hosts import addresses, podman, reconciler
from chainops.lab.settings import LabSettings

MANAGED = [{"ResourceType": "instance", "Tags": [{"Key": "chainops:lab-host", "Value": "true"}]}]
PORT = 8080
# A bridge address no container has: a route to it is stale (its host is gone).
ELSEWHERE = "10.88.255.254"
STALE = "10.99.99.99"


def _private(ec2: Any, instance_id: str) -> str:
    reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return str(reservations[0]["Instances"][0]["PrivateIpAddress"])


def _exec(instance_id: str, *command: str) -> str:
    return podman.run("exec", instance_id, *command)


@pytest.fixture
def pair(hosts: LabSettings, ec2: Any, image_id: str) -> Iterator[list[str]]:
    launched = ec2.run_instances(
        ImageId=image_id, MinCount=2, MaxCount=2, InstanceType="m5.large", TagSpecifications=MANAGED
    )["Instances"]
    ids = [i["InstanceId"] for i in launched]
    yield ids
    for instance_id in ids:
        subprocess.run(
            ["ip", "route", "del", f"{_private(ec2, instance_id)}/32"],
            check=False,
            capture_output=True,
        )


@pytest.mark.podman
def test_a_host_answers_on_its_private_address(
    hosts: LabSettings, ec2: Any, pair: list[str]
) -> None:
    """What DescribeInstances says is where the host is: this machine and the other host reach
    it there; what it sends still leaves from its bridge address; removal drops the route."""
    first, second = pair
    todo = reconciler.reconcile(hosts)
    assert not todo.collisions
    address = _private(ec2, first)
    assert address.startswith("10.")
    assert not address.startswith("10.88.")
    _exec(first, "sh", "-c", f"nohup python3 -m http.server {PORT} >/dev/null 2>&1 &")
    url = f"http://{address}:{PORT}/"

    def answered() -> int:
        for _ in range(30):
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    return int(response.status)
            except OSError:
                subprocess.run(["sleep", "0.5"], check=True)
        raise AssertionError(f"{url} never answered")

    assert answered() == 200
    fetch = f"import urllib.request as u; print(u.urlopen('{url}', timeout=5).status)"
    assert _exec(second, "python3", "-c", fetch).strip() == "200"
    source = _exec(first, "ip", "-4", "route", "get", "1.1.1.1").split(" src ")[1].split()[0]
    assert source != address

    assert not reconciler.reconcile(hosts).collisions  # idempotent
    ec2.terminate_instances(InstanceIds=[first])
    reconciler.reconcile(hosts)
    assert addresses.route_of(address) is None


@pytest.mark.podman
def test_a_route_left_by_a_removed_host_is_pruned(
    hosts: LabSettings, ec2: Any, pair: list[str]
) -> None:
    """A route to a bridge address no container has (a host removed by hand) is stale: the
    next reconcile drops it and gives the address to its instance's host."""
    first, _ = pair
    address = _private(ec2, first)
    subprocess.run(["ip", "route", "replace", f"{address}/32", "via", ELSEWHERE], check=True)
    subprocess.run(["ip", "route", "replace", f"{STALE}/32", "via", ELSEWHERE], check=True)
    todo = reconciler.reconcile(hosts)
    assert not todo.collisions
    assert addresses.route_of(address) not in (None, ELSEWHERE)
    assert addresses.route_of(STALE) is None


@pytest.mark.podman
def test_an_address_another_host_holds_is_reported_not_taken(
    hosts: LabSettings, ec2: Any, pair: list[str]
) -> None:
    first, second = pair
    reconciler.reconcile(hosts)
    holder = podman.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}", second).strip()
    address = _private(ec2, first)
    subprocess.run(["ip", "route", "replace", f"{address}/32", "via", holder], check=True)
    todo = reconciler.reconcile(hosts)
    assert len(todo.collisions) == 1
    assert first in todo.collisions[0]
    assert address in todo.collisions[0]
    assert addresses.route_of(address) == holder
