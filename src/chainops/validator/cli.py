"""`chainops validator`: argv -> ValidatorConfig -> the foreground service."""

from __future__ import annotations

import argparse
from pathlib import Path

from pydantic import ValidationError

from chainops.daemon import bad_config
from chainops.validator.config import TxKind, ValidatorConfig, parse_mix


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `validator` subcommand to the project's CLI."""
    parser = commands.add_parser(
        "validator", help="run the lab validator (Solana RPC + PubSub backed by litesvm)"
    )
    add = parser.add_argument
    add("--bind", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    add("--rpc-port", type=int, default=8899, help="JSON-RPC port; 0 picks a free one")
    add("--ws-port", type=int, default=8900, help="PubSub port; 0 picks a free one")
    add("--slot-ms", type=int, default=400, help="slot time in milliseconds")
    add("--tps", type=int, default=0, help="load generator rate, transactions per second")
    add(
        "--mix",
        type=_mix,
        default=None,
        help="generator mix, e.g. transfer=5,token=2,memo=1,vote=2",
    )
    add("--seed", type=int, default=0, help="seed for keys, the mix and skipped slots")
    add("--skip-probability", type=float, default=0.0, help="chance a slot is skipped")
    add("--confirmed-depth", type=int, default=1, help="blocks between processed and confirmed")
    add("--finalized-depth", type=int, default=32, help="blocks between processed and finalized")
    add("--retain-blocks", type=int, default=2000, help="blocks kept before pruning")
    add("--retain-txs", type=int, default=500_000, help="transactions kept (0: no limit)")
    add("--max-block-txs", type=int, default=20_000, help="transactions per block at most")
    add("--max-inflight", type=int, default=256, help="concurrent RPC requests before 429")
    add("--max-ws-connections", type=int, default=512, help="websockets before 429")
    add("--signers", type=int, default=1, help="signing worker processes for the generator")
    add("--record", type=Path, default=None, help="append produced blocks to this file")
    add("--ledger-dir", type=Path, default=None, help="record into DIR/blocks.jsonl")
    add("--replay", type=Path, default=None, help="replay recorded blocks instead of generating")
    add("--replay-rate", type=float, default=None, help="replayed blocks per second")
    add(
        "--genesis-time",
        type=float,
        default=None,
        help="unix time of slot 0: nodes started with the same value agree on the slot",
    )
    add(
        "--sample-period-s",
        type=int,
        default=60,
        help="seconds between getRecentPerformanceSamples samples (Agave: 60)",
    )
    parser.set_defaults(handler=_run)


def _mix(text: str) -> dict[TxKind, float]:
    try:
        return parse_mix(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_config(args: argparse.Namespace) -> ValidatorConfig:
    record = args.record
    if record is None and args.ledger_dir is not None:
        record = args.ledger_dir / "blocks.jsonl"
    values = {
        "bind": args.bind,
        "rpc_port": args.rpc_port,
        "ws_port": args.ws_port,
        "slot_ms": args.slot_ms,
        "tps": args.tps,
        "seed": args.seed,
        "skip_probability": args.skip_probability,
        "confirmed_depth": args.confirmed_depth,
        "finalized_depth": args.finalized_depth,
        "retain_blocks": args.retain_blocks,
        "retain_txs": args.retain_txs,
        "max_block_txs": args.max_block_txs,
        "max_inflight": args.max_inflight,
        "max_ws_connections": args.max_ws_connections,
        "signers": args.signers,
        "record": record,
        "replay": args.replay,
        "replay_rate": args.replay_rate,
        "genesis_time": args.genesis_time,
        "sample_period_s": args.sample_period_s,
    }
    if args.mix is not None:
        values["mix"] = args.mix
    return ValidatorConfig.model_validate(values)


def _run(args: argparse.Namespace) -> int:
    from chainops.validator import server

    try:
        config = build_config(args)
    except ValidationError as exc:
        return bad_config("validator", exc)
    return server.run(config)
