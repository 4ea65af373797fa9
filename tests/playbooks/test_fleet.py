"""The fleet phase on two lab RPC nodes: converge, idempotence, peers in step, and a failed
upgrade rolled back on the first node with the second never touched."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from solana.rpc.async_api import AsyncClient

from chainops.lab import fleet, reconciler, server
from chainops.lab.settings import LabSettings
from tests.helpers import copy_lab_inventory, run_playbook

RECAP = re.compile(r"^(i-\w+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


@pytest.fixture(scope="module")
def nodes(lab_settings: LabSettings) -> Iterator[list[str]]:
    server.reset(lab_settings)
    launched = fleet.launch(lab_settings, count=2)
    yield launched
    server.reset(lab_settings)
    reconciler.reconcile(lab_settings)


@pytest.fixture(scope="module")
def inventory(lab_settings: LabSettings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_lab_inventory(tmp_path_factory.mktemp("inventories"), lab_settings.endpoint)


@pytest.fixture(scope="module")
def converged(nodes: list[str], inventory: Path) -> dict[str, int]:
    """The first fleet run; returns changed counts per node."""
    result = run_playbook("playbooks/fleet.yml", inventory)
    assert result.returncode == 0, result.stdout[-5000:]
    return _changed(result.stdout)


def _changed(stdout: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in RECAP.finditer(stdout)}


def _on(node: str, *command: str) -> str:
    return subprocess.run(
        ["podman", "exec", node, *command], capture_output=True, text=True, check=True
    ).stdout.strip()


def _address(node: str) -> str:
    return subprocess.run(
        ["podman", "inspect", node, "--format", "{{.NetworkSettings.IPAddress}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.asyncio(loop_scope="module")
async def test_nodes_serve_rpc_in_step(nodes: list[str], converged: dict[str, int]) -> None:
    """Both nodes answer a Solana client on their own address, on the same slot clock."""
    assert set(converged) == set(nodes)
    assert all(count > 0 for count in converged.values())
    slots = []
    for node in nodes:
        async with AsyncClient(f"http://{_address(node)}:8899") as client:
            assert await client.is_connected()  # getHealth answered ok
            slots.append((await client.get_slot()).value)
    assert abs(slots[0] - slots[1]) <= 10, slots


def test_second_run_changes_nothing(
    nodes: list[str], inventory: Path, converged: dict[str, int]
) -> None:
    result = run_playbook("playbooks/fleet.yml", inventory)
    assert result.returncode == 0, result.stdout[-5000:]
    assert _changed(result.stdout) == dict.fromkeys(nodes, 0)


def test_check_diff_on_the_converged_fleet_reports_nothing(
    nodes: list[str], inventory: Path, converged: dict[str, int]
) -> None:
    """--check --diff on a converged fleet: no node would change, so no diff is shown."""
    result = run_playbook("playbooks/fleet.yml", inventory, "--check", "--diff")
    assert result.returncode == 0, result.stdout[-5000:]
    assert _changed(result.stdout) == dict.fromkeys(nodes, 0)
    assert "--- before" not in result.stdout


def _broken_release(directory: Path) -> tuple[Path, str]:
    """A release whose validator exits at once: it never becomes healthy."""
    tarball = directory / "broken.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, text in {
            "chainops-lab-validator-broken/bin/chainops-validator": "#!/bin/sh\nexit 1\n",
            "chainops-lab-validator-broken/bin/solana-keygen": "#!/bin/sh\nexit 1\n",
        }.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(text), 0o755
            archive.addfile(info, io.BytesIO(text.encode()))
    return tarball, "sha256:" + hashlib.sha256(tarball.read_bytes()).hexdigest()


def test_failed_upgrade_rolls_back_and_stops_the_roll(
    nodes: list[str], inventory: Path, converged: dict[str, int], tmp_path: Path
) -> None:
    """One node at a time: the first gets the broken release, fails its catch-up check, goes
    back to the release it ran and is serving again; the second is never touched."""
    good = {node: _on(node, "readlink", "/opt/solana/current") for node in nodes}
    tarball, checksum = _broken_release(tmp_path)
    extra = {
        "chainops_rpc_rolling_share": 1,
        "solana_rpc_node_version": "broken",
        "solana_rpc_node_artifact_path": str(tarball),
        "solana_rpc_node_artifact_checksum": checksum,
        "solana_rpc_node_health_timeout_seconds": 20,
    }
    result = run_playbook("playbooks/fleet.yml", inventory, "-e", json.dumps(extra))
    assert result.returncode != 0
    assert "did not come back healthy on /opt/solana/releases/broken" in result.stdout
    first, second = sorted(nodes)
    assert _on(first, "readlink", "/opt/solana/current") == good[first]
    assert _on(first, "systemctl", "is-active", "solana-rpc") == "active"
    assert _on(second, "readlink", "/opt/solana/current") == good[second]
    assert "broken" not in _on(second, "ls", "/opt/solana/releases")
