"""agave-validator's command line for the lab validator, so one systemd unit serves both flavors.

solana_rpc_node writes the same ExecStart for Agave and for the lab: this module takes Agave's
flags, maps those that mean something to the lab validator (RPC port and bind address, log
file) and accepts the rest (gossip, snapshots, known validators), which a single-process lab
node has no use for. Flags Agave does not have pass through to `chainops validator`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from chainops.validator import cli as validator_cli

# Agave flags with a value that the lab accepts and ignores (a lab node has no gossip, no
# snapshots and keeps its ledger in memory).
IGNORED_WITH_VALUE = (
    "--identity",
    "--ledger",
    "--accounts",
    "--snapshots",
    "--dynamic-port-range",
    "--limit-ledger-size",
    "--wal-recovery-mode",
    "--expected-genesis-hash",
    "--entrypoint",
    "--known-validator",
    "--account-index",
)
IGNORED_SWITCHES = (
    "--no-voting",
    "--only-known-rpc",
    "--private-rpc",
    "--full-rpc-api",
    "--enable-rpc-transaction-history",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chainops-validator", description=__doc__)
    # Absent: the lab validator's own defaults (chainops.validator.config) apply.
    parser.add_argument("--rpc-port", type=int, default=None)
    parser.add_argument("--rpc-bind-address", default=None)
    parser.add_argument("--log", default=None, help="log file; SIGUSR1 reopens it (logrotate)")
    for flag in IGNORED_WITH_VALUE:
        parser.add_argument(flag, action="append", default=[])
    for flag in IGNORED_SWITCHES:
        parser.add_argument(flag, action="store_true")
    return parser


def translate(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """`chainops validator` arguments for agave-validator's `argv`, and the log file if any."""
    known, passthrough = _parser().parse_known_args(list(argv))
    args = ["validator"]
    if known.rpc_bind_address is not None:
        args += ["--bind", known.rpc_bind_address]
    if known.rpc_port is not None:
        # Agave serves PubSub on the next port.
        args += ["--rpc-port", str(known.rpc_port), "--ws-port", str(known.rpc_port + 1)]
    return [*args, *passthrough], known.log


def _log_to(path: str) -> None:
    """Send stdout and stderr to `path` (appending), and reopen it on SIGUSR1 as Agave does."""

    def reopen(_signum: int = 0, _frame: FrameType | None = None) -> None:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(descriptor, sys.stdout.fileno())
        os.dup2(descriptor, sys.stderr.fileno())
        os.close(descriptor)

    reopen()
    signal.signal(signal.SIGUSR1, reopen)


def main(argv: Sequence[str] | None = None) -> int:
    args, log = translate(sys.argv[1:] if argv is None else argv)
    if log is not None and log != "-":
        _log_to(log)
    # Only the validator's command: the release ships no other package's CLI.
    parser = argparse.ArgumentParser(prog="chainops-validator")
    validator_cli.register(parser.add_subparsers(dest="command", required=True))
    parsed = parser.parse_args(args)
    result: int = parsed.handler(parsed)
    return result


if __name__ == "__main__":
    sys.exit(main())
