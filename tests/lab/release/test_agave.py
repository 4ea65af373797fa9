"""agave-validator's flags, as solana_rpc_node's unit passes them, drive the lab validator."""

from __future__ import annotations

from chainops.lab.release.agave import translate

UNIT_FLAGS = [
    "--identity", "/home/sol/validator-keypair.json",
    "--no-voting",
    "--ledger", "/mnt/ledger",
    "--accounts", "/mnt/accounts",
    "--snapshots", "/mnt/ledger/snapshots",
    "--log", "/var/log/solana/validator.log",
    "--rpc-port", "8899",
    "--rpc-bind-address", "10.0.0.5",
    "--dynamic-port-range", "8000-8020",
    "--limit-ledger-size", "50000000",
    "--wal-recovery-mode", "skip_any_corrupted_record",
    "--entrypoint", "a:8001", "--entrypoint", "b:8001",
    "--known-validator", "7Np41oeYqPefeNQEHSv1UDhYrehxin3NStELsSKCT4K2",
    "--only-known-rpc", "--private-rpc", "--full-rpc-api",
    "--account-index", "program-id",
    "--tps", "50",
    "--enable-rpc-transaction-history",
]  # fmt: skip


def test_unit_flags_map_to_the_lab_validator() -> None:
    """RPC on the given port and address, PubSub on the next port, lab flags passed through."""
    args, log = translate(UNIT_FLAGS)
    assert args == [
        "validator",
        "--bind", "10.0.0.5",
        "--rpc-port", "8899",
        "--ws-port", "8900",
        "--tps", "50",
    ]  # fmt: skip
    assert log == "/var/log/solana/validator.log"


def test_defaults_without_flags() -> None:
    """Without Agave's flags the lab validator's own defaults apply (8899, PubSub on 8900)."""
    args, log = translate([])
    assert args == ["validator"]
    assert log is None
