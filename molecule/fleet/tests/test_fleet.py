"""What the fleet phase leaves on three lab RPC nodes in one placement group: each node's
tuning checked on the node, the fleet's placement, clock and roll checked once, from the
scenario's lab AWS (molecule/shared/create.yml starts it) and the controller."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from typing import Any

import boto3

PLACEMENT_GROUP = "molecule-rpc"
FLEET_SIZE = 3
MAX_LAG_SLOTS = 50  # solana_rpc_node_health_max_lag_slots' default
HEALTH_WINDOW_S = 3  # the lab's solana_rpc_node_health_window_seconds


def _ec2() -> Any:
    port = os.environ["CHAINOPS_LAB_PORT"]  # molecule.yml sets it
    return boto3.client(
        "ec2",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the lab's dummy credentials
    )


def _fleet() -> list[dict[str, Any]]:
    """The scenario's running instances (lab hosts are podman containers named by their id)."""
    reservations = _ec2().describe_instances(
        Filters=[
            {"Name": "tag-key", "Values": ["molecule:platform"]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )["Reservations"]
    return [instance for r in reservations for instance in r["Instances"]]


def _on_controller(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def _slot(instance: str) -> int:
    address = _on_controller(
        "podman", "inspect", instance, "--format", "{{.NetworkSettings.IPAddress}}"
    )
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
    answer = _on_controller(
        "curl", "-sf", "-m", "5", "-H", "Content-Type: application/json", "-d", body,
        f"http://{address}:8899",
    )  # fmt: skip
    return int(json.loads(answer)["result"])


def test_node_is_tuned_and_serves_rpc(host: Any) -> None:
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


def test_fleet_is_three_nodes_in_one_cluster_placement_group() -> None:
    fleet = _fleet()
    assert len(fleet) == FLEET_SIZE
    assert {instance["Placement"]["GroupName"] for instance in fleet} == {PLACEMENT_GROUP}
    (group,) = _ec2().describe_placement_groups(GroupNames=[PLACEMENT_GROUP])["PlacementGroups"]
    assert group["Strategy"] == "cluster"


def test_peers_are_within_slot_lag_of_each_other() -> None:
    """Every node follows the one lab slot clock: the fleet's slots agree within the lag."""
    slots = {instance["InstanceId"]: _slot(instance["InstanceId"]) for instance in _fleet()}
    assert len(slots) == FLEET_SIZE
    assert max(slots.values()) - min(slots.values()) <= MAX_LAG_SLOTS, slots


def _started_monotonic_us(instance: str) -> int:
    return int(
        _on_controller(
            "podman", "exec", instance, "systemctl", "show", "solana-rpc",
            "-p", "ExecMainStartTimestampMonotonic", "--value",
        )
    )  # fmt: skip


def test_rolled_one_node_at_a_time() -> None:
    """serial 34% of three nodes: each node started after the previous one had been caught up
    for the health window (the units' start times, on the one kernel's monotonic clock)."""
    starts = sorted(_started_monotonic_us(instance["InstanceId"]) for instance in _fleet())
    assert len(starts) == FLEET_SIZE
    gaps_s = [(later - earlier) / 1e6 for earlier, later in itertools.pairwise(starts)]
    assert min(gaps_s) >= HEALTH_WINDOW_S, gaps_s
