"""solana_rpc_node refuses bad input before it changes anything, on a real lab RPC node."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainops.lab.aws import server
from chainops.lab.hosts import fleet, reconciler
from chainops.lab.settings import LabSettings
from tests.helpers import copy_lab_inventory, run_playbook

SYSCTL_DROP_IN = "/etc/sysctl.d/90-solana_rpc_node.conf"


@pytest.fixture(scope="module")
def node(lab_settings: LabSettings) -> Iterator[str]:
    """One lab RPC node (two instance-store disks), removed with the module."""
    server.reset(lab_settings)
    (instance_id,) = fleet.launch(lab_settings, count=1)
    yield instance_id
    server.reset(lab_settings)
    reconciler.reconcile(lab_settings)


@pytest.fixture(scope="module")
def inventory(lab_settings: LabSettings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_lab_inventory(tmp_path_factory.mktemp("inventories"), lab_settings.endpoint)


def _on_node(node: str, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["podman", "exec", node, *command], capture_output=True, text=True, check=False
    )


def _fleet(inventory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_playbook("playbooks/fleet.yml", inventory, *args)


def test_unknown_flavor_fails_before_any_change(node: str, inventory: Path) -> None:
    """argument_specs names the variable and its choices; the node is untouched."""
    result = _fleet(inventory, "-e", "solana_rpc_node_flavor=firedancer")
    assert result.returncode != 0
    assert "solana_rpc_node_flavor" in result.stdout
    assert "agave, lab" in result.stdout
    assert _on_node(node, "test", "-e", SYSCTL_DROP_IN).returncode == 1


def test_relative_mount_path_fails_before_any_change(node: str, inventory: Path) -> None:
    """A mount path that is not absolute is refused by the role's own checks."""
    result = _fleet(inventory, "-e", json.dumps({"solana_rpc_node_ledger_path": "mnt/ledger"}))
    assert result.returncode != 0
    assert "Every path must be absolute" in result.stdout
    assert _on_node(node, "test", "-e", SYSCTL_DROP_IN).returncode == 1


def test_device_holding_data_is_never_formatted(node: str, inventory: Path) -> None:
    """A device with another filesystem stops the run with a message; its data survives."""
    assert _on_node(node, "mkfs.ext4", "-q", "-L", "precious", "/dev/nvme1n1").returncode == 0
    result = _fleet(inventory, "--tags", "disks")
    assert result.returncode != 0
    assert "holds ext4, not xfs" in result.stdout
    assert "solana_rpc_node_disk_force_format=true" in result.stdout
    probe = _on_node(node, "blkid", "-o", "value", "-s", "LABEL", "/dev/nvme1n1")
    assert probe.stdout.strip() == "precious"


def test_disk_usage_limit_outside_a_percentage_fails_before_any_change(
    node: str, inventory: Path
) -> None:
    """The preflight's disk usage limit must be 1 to 100; the message names the variable."""
    result = _fleet(inventory, "-e", "solana_rpc_node_preflight_max_disk_used_percent=0")
    assert result.returncode != 0
    assert (
        "solana_rpc_node_preflight_max_disk_used_percent is 0; it is a percentage of a"
        " filesystem, 1 to 100." in result.stdout
    ), result.stdout[-3000:]
    assert _on_node(node, "test", "-e", SYSCTL_DROP_IN).returncode == 1
