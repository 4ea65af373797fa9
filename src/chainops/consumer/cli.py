"""`chainops consumer`: argv -> ConsumerConfig -> the foreground service."""

from __future__ import annotations

import argparse
import os
import sys

from pydantic import ValidationError

from chainops.consumer.config import ConsumerConfig, default_consumer_id
from chainops.consumer.worker import CRASH_POINTS, CrashPoint
from chainops.daemon import bad_config

# Test hook: SIGKILL the process at this point of its first batch (see docs/consumer.md).
CRASH_ENV = "CHAINOPS_CONSUMER_CRASH_AT"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `consumer` subcommand to the project's CLI."""
    parser = commands.add_parser(
        "consumer", help="land the pipeline's Kinesis events in the S3 data lake, exactly once"
    )
    add = parser.add_argument
    add("--stream", required=True, help="Kinesis stream name")
    add("--lease-table", required=True, help="DynamoDB table of shard leases and checkpoints")
    add("--idempotency-table", required=True, help="DynamoDB table of event-id claims")
    add("--bucket", required=True, help="S3 bucket of the data lake")
    add("--dlq-url", required=True, help="SQS dead-letter queue URL")
    add("--consumer-id", default=None, help="unique name of this process (default hostname-pid)")
    add("--max-attempts", type=int, default=3, help="attempts at a record before dead-lettering")
    add("--batch-limit", type=int, default=1000, help="records per GetRecords (1-10000)")
    add("--lease-seconds", type=int, default=10, help="lease lifetime without renewal")
    add("--idempotency-ttl-days", type=int, default=7, help="days an event-id claim is kept")
    add("--metrics-namespace", default="chainops/pipeline", help="CloudWatch namespace")
    add("--endpoint-url", default=None, help="AWS endpoint (the lab's), default AWS's own")
    parser.set_defaults(handler=_run)


def build_config(args: argparse.Namespace) -> ConsumerConfig:
    return ConsumerConfig(
        stream=args.stream,
        lease_table=args.lease_table,
        idempotency_table=args.idempotency_table,
        bucket=args.bucket,
        dlq_url=args.dlq_url,
        consumer_id=args.consumer_id or default_consumer_id(),
        max_attempts=args.max_attempts,
        batch_limit=args.batch_limit,
        lease_seconds=args.lease_seconds,
        idempotency_ttl_days=args.idempotency_ttl_days,
        metrics_namespace=args.metrics_namespace,
        endpoint_url=args.endpoint_url,
    )


def _crash_at() -> CrashPoint | None:
    value = os.environ.get(CRASH_ENV) or None
    for point in CRASH_POINTS:
        if value == point:
            return point
    if value is not None:
        raise ValueError(f"{CRASH_ENV} must be one of {CRASH_POINTS}, not {value!r}")
    return None


def _run(args: argparse.Namespace) -> int:
    from chainops.consumer import service

    try:
        config = build_config(args)
        crash_at = _crash_at()
    except ValidationError as exc:
        return bad_config("consumer", exc)
    except ValueError as exc:
        print(f"chainops consumer: {exc}", file=sys.stderr)
        return 2
    try:
        return service.run(config, crash_at=crash_at)
    except service.ConsumerError as exc:
        print(f"chainops consumer: {exc}", file=sys.stderr)
        return 2
