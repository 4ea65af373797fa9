"""What the solana_rpc_node role leaves on a lab RPC node, checked on the host itself."""

from __future__ import annotations

import json
from typing import Any

SYSCTL_FILE = "/etc/sysctl.d/90-solana_rpc_node.conf"


def test_sysctls_are_live_and_in_the_drop_in(host: Any) -> None:
    """Agave's values are in the drop-in and in the running kernel; skipped keys are absent."""
    drop_in = host.file(SYSCTL_FILE).content_string
    assert "vm.max_map_count = 1000000" in drop_in
    assert host.sysctl("vm.max_map_count") == 1000000
    assert host.sysctl("vm.swappiness") == 1
    # Refused inside a container's network namespace: left out and said so.
    assert "\nnet.core.rmem_max" not in drop_in
    assert "net.core.rmem_max" in drop_in.splitlines()[2]


def test_transparent_hugepages_off(host: Any) -> None:
    assert "[never]" in host.file("/sys/kernel/mm/transparent_hugepage/enabled").content_string


def test_ledger_and_accounts_are_xfs_on_different_nvme_devices(host: Any) -> None:
    """Each volume is an instance-store device, XFS, mounted noatime, in fstab by UUID."""
    ledger = host.mount_point("/mnt/ledger")
    accounts = host.mount_point("/mnt/accounts")
    for mount in (ledger, accounts):
        assert mount.exists
        assert mount.filesystem == "xfs"
        assert "noatime" in mount.options
    assert ledger.device != accounts.device
    fstab = host.file("/etc/fstab").content_string
    for path in ("/mnt/ledger", "/mnt/accounts"):
        (line,) = [entry for entry in fstab.splitlines() if f" {path} " in entry]
        assert line.startswith("UUID=")


def test_validator_runs_as_sol_from_the_current_release(host: Any) -> None:
    """The unit is active as sol with Agave's limits, from the release `current` points at."""
    assert host.user("sol").exists
    service = host.service("solana-rpc")
    assert service.is_running
    assert service.is_enabled
    limits = host.check_output("systemctl show solana-rpc -p LimitNOFILE -p LimitMEMLOCK -p User")
    assert "LimitNOFILE=1000000" in limits
    assert "LimitMEMLOCK=2000000000" in limits
    assert "User=sol" in limits
    current = host.file("/opt/solana/current")
    assert current.is_symlink
    assert host.file(f"{current.linked_to}/.checksum").content_string.startswith("sha256:")


def test_rpc_answers_health_and_slot(host: Any) -> None:
    """JSON-RPC on 8899 answers getHealth ok and a slot, as a client on the node sees it."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getHealth"})
    answer = host.check_output(
        f"curl -sf -H 'Content-Type: application/json' -d '{body}' http://127.0.0.1:8899"
    )
    assert json.loads(answer)["result"] == "ok"


def test_chrony_reports_a_synchronised_clock(host: Any) -> None:
    assert host.service("chrony").is_running
    assert "Leap status     : Normal" in host.check_output("chronyc -n tracking")


def test_the_gateway_fronts_the_node(host: Any) -> None:
    """The gateway's unit is active on 8899/8900 and the node listens on loopback 8999/9000
    only, so every client request goes through the gateway (and is metered)."""
    gateway = host.service("chainops-rpc-gateway")
    assert gateway.is_running
    assert gateway.is_enabled
    assert "DynamicUser=yes" in host.check_output(
        "systemctl show chainops-rpc-gateway -p DynamicUser"
    )
    environment = host.file("/etc/chainops/rpc-gateway.env")
    assert environment.mode == 0o600
    assert "CHAINOPS_UPSTREAM_RPC=http://127.0.0.1:8999" in environment.content_string
    assert host.socket("tcp://0.0.0.0:8899").is_listening
    assert host.socket("tcp://0.0.0.0:8900").is_listening
    assert host.socket("tcp://127.0.0.1:8999").is_listening
    assert not host.socket("tcp://0.0.0.0:8999").is_listening
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
    direct = host.check_output(
        f"curl -sf -H 'Content-Type: application/json' -d '{body}' http://127.0.0.1:8999"
    )
    assert isinstance(json.loads(direct)["result"], int)
