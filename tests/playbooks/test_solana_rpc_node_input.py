"""solana_rpc_node refuses bad input before it changes anything: on a real lab RPC node, and on
a host nothing reaches (the role's checks run on the controller), naming the input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainops.lab.aws import server
from chainops.lab.hosts import fleet, reconciler
from chainops.lab.settings import LabSettings
from tests.helpers import (
    UNREACHABLE,
    copy_lab_inventory,
    failed_messages,
    run_playbook,
    run_role_unreachable,
)

SYSCTL_DROP_IN = "/etc/sysctl.d/90-solana_rpc_node.conf"
ROLE = "solana_rpc_node"
# Input the role accepts: the play gets as far as the host (UNREACHABLE).
VALID = {
    "solana_rpc_node_artifact_checksum": "sha256:" + "0" * 64,
    "solana_rpc_node_gateway_version": "1.0.0",
    "solana_rpc_node_gateway_artifact_checksum": "sha256:" + "0" * 64,
    "solana_rpc_node_gateway_artifact_path": "gateway.tar.gz",
    "solana_rpc_node_gateway_region": "us-east-1",
}


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


def test_valid_input_reaches_the_host(tmp_path: Path) -> None:
    """The baseline the tests below spoil one input of passes every check."""
    result = run_role_unreachable(ROLE, tmp_path, VALID)
    assert UNREACHABLE in result.stdout, result.stdout


@pytest.mark.parametrize("keep", [1, 0, -1])
def test_too_few_releases_kept_is_refused(tmp_path: Path, keep: int) -> None:
    """Fewer than two releases kept would prune the one a rollback returns to."""
    result = run_role_unreachable(ROLE, tmp_path, VALID, {"solana_rpc_node_releases_keep": keep})
    assert UNREACHABLE not in result.stdout
    (message,) = failed_messages(result)
    assert message.startswith(f"solana_rpc_node_releases_keep must be at least 2 (got {keep})")


@pytest.mark.parametrize(
    "accounts", ["/mnt/ledger", "/mnt/ledger/", "/mnt/ledger/accounts", "/mnt"]
)
def test_accounts_in_the_ledger_are_refused(tmp_path: Path, accounts: str) -> None:
    """The accounts path may not be the ledger's, inside it, or hold it."""
    result = run_role_unreachable(
        ROLE, tmp_path, VALID, {"solana_rpc_node_accounts_path": accounts}
    )
    assert UNREACHABLE not in result.stdout
    (message,) = failed_messages(result)
    assert message.startswith(f"solana_rpc_node_accounts_path ({accounts}) must be neither")


@pytest.mark.parametrize(
    ("name", "port"),
    [
        ("solana_rpc_node_rpc_port", -1),
        ("solana_rpc_node_rpc_port", 65535),
        ("solana_rpc_node_internal_rpc_port", 0),
    ],
)
def test_port_out_of_range_is_refused(tmp_path: Path, name: str, port: int) -> None:
    """A port that is no TCP port, or whose next one (PubSub) is not, is refused."""
    result = run_role_unreachable(ROLE, tmp_path, VALID, {name: port})
    assert UNREACHABLE not in result.stdout
    (message,) = failed_messages(result)
    assert f"{name} ({port})" in message
    assert message.endswith("must be 1 to 65534: PubSub listens on the next port.")


def test_misspelt_variable_is_named_with_the_option_meant(tmp_path: Path) -> None:
    """A variable with the role's prefix that is no option is refused, not ignored."""
    result = run_role_unreachable(ROLE, tmp_path, VALID, {"solana_rpc_node_relases_keep": 5})
    assert UNREACHABLE not in result.stdout
    assert failed_messages(result) == [
        "solana_rpc_node_relases_keep is not an option of the solana_rpc_node role"
        " (did you mean solana_rpc_node_releases_keep?): a misspelt variable would be ignored."
    ]


def test_wrong_types_and_choices_are_named_by_the_argument_spec(tmp_path: Path) -> None:
    """argument_specs names each bad option, its type or its choices, all in one run."""
    bad = {
        "solana_rpc_node_releases_keep": "three",
        "solana_rpc_node_rpc_port": [8899],
        "solana_rpc_node_io_scheduler": "deadline",
    }
    result = run_role_unreachable(ROLE, tmp_path, VALID, bad)
    assert UNREACHABLE not in result.stdout
    for message in (
        "argument 'solana_rpc_node_releases_keep' is of type str and we were unable to convert",
        "argument 'solana_rpc_node_rpc_port' is of type list and we were unable to convert",
        "value of solana_rpc_node_io_scheduler must be one of: none, mq-deadline, kyber, bfq,"
        " got: deadline",
    ):
        assert message in result.stdout, result.stdout


def test_disk_usage_limit_outside_a_percentage_is_refused(tmp_path: Path) -> None:
    """The preflight's disk usage limit must be 1 to 100; the message names the variable."""
    result = run_role_unreachable(
        ROLE, tmp_path, VALID, {"solana_rpc_node_preflight_max_disk_used_percent": 0}
    )
    assert UNREACHABLE not in result.stdout
    assert (
        "solana_rpc_node_preflight_max_disk_used_percent is 0; it is a percentage of a"
        " filesystem, 1 to 100." in " ".join(result.stdout.split())
    ), result.stdout[-3000:]
