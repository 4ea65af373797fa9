"""`chainops listener`: argv -> ListenerConfig -> the foreground service."""

from __future__ import annotations

import argparse

from pydantic import ValidationError

from chainops.daemon import bad_config
from chainops.listener.config import ListenerConfig
from chainops.listener.decode import DEFAULT_PROGRAMS


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `listener` subcommand to the project's CLI."""
    parser = commands.add_parser(
        "listener", help="publish Solana transactions and program logs to Kinesis, nothing lost"
    )
    add = parser.add_argument
    add("--rpc", action="append", required=True, help="JSON-RPC URL; repeat for failover order")
    add("--ws", action="append", default=[], help="PubSub URL per --rpc (default: derived)")
    add("--stream", required=True, help="Kinesis stream name")
    add("--checkpoint-table", required=True, help="DynamoDB table (hash key listener_id)")
    add("--listener-id", required=True, help="this listener's checkpoint key")
    add("--commitment", default="confirmed", help="confirmed or finalized")
    add("--start-slot", type=int, default=None, help="first slot when no checkpoint exists")
    add(
        "--program",
        action="append",
        default=[],
        help="program id whose logs become events; repeatable (default: Memo and SPL Token)",
    )
    add("--endpoint-url", default=None, help="AWS endpoint (the lab); AWS_ENDPOINT_URL works too")
    add("--region", default=None, help="AWS region (default: boto3's)")
    add("--batch-records", type=int, default=500, help="records per PutRecords (at most 500)")
    add("--linger-ms", type=int, default=200, help="longest wait before a partial batch is sent")
    add("--max-in-flight", type=int, default=4, help="PutRecords calls in flight at most")
    add("--queue-blocks", type=int, default=64, help="fetched blocks waiting to be published")
    add("--fetch-concurrency", type=int, default=8, help="getBlock calls at once when backfilling")
    add("--checkpoint-interval-s", type=float, default=1.0, help="seconds between checkpoints")
    add("--stats-interval-s", type=float, default=30.0, help="seconds between counter logs")
    add("--shutdown-timeout-s", type=float, default=20.0, help="longest flush on SIGTERM")
    parser.set_defaults(handler=_run)


def build_config(args: argparse.Namespace) -> ListenerConfig:
    return ListenerConfig.model_validate(
        {
            "rpc": args.rpc,
            "ws": args.ws,
            "stream": args.stream,
            "checkpoint_table": args.checkpoint_table,
            "listener_id": args.listener_id,
            "commitment": args.commitment,
            "start_slot": args.start_slot,
            "programs": frozenset(args.program) or DEFAULT_PROGRAMS,
            "endpoint_url": args.endpoint_url,
            "region": args.region,
            "batch_records": args.batch_records,
            "linger_ms": args.linger_ms,
            "max_in_flight": args.max_in_flight,
            "queue_blocks": args.queue_blocks,
            "fetch_concurrency": args.fetch_concurrency,
            "checkpoint_interval_s": args.checkpoint_interval_s,
            "stats_interval_s": args.stats_interval_s,
            "shutdown_timeout_s": args.shutdown_timeout_s,
        }
    )


def _run(args: argparse.Namespace) -> int:
    from chainops.listener import service

    try:
        config = build_config(args)
    except ValidationError as exc:
        return bad_config("listener", exc)
    return service.run(config)
