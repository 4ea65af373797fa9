"""`chainops consumer`: flags and `CHAINOPS_*` environment -> ConsumerConfig -> the service."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from pydantic import ValidationError

from chainops import settings
from chainops.consumer.config import ConsumerConfig
from chainops.consumer.worker import CRASH_POINTS, CrashPoint

# Test hook: SIGKILL the process at this point of its first batch (see docs/consumer.md).
CRASH_ENV = "CHAINOPS_CONSUMER_CRASH_AT"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `consumer` subcommand to the project's CLI."""
    help = "land the pipeline's Kinesis events in the S3 data lake, exactly once"
    settings.add_command(commands, "consumer", ConsumerConfig, help=help).set_defaults(handler=_run)


def build_config(args: argparse.Namespace, environ: Mapping[str, str]) -> ConsumerConfig:
    """The consumer's settings from `args` and `environ` (flags win); ValidationError if bad."""
    return settings.build(ConsumerConfig, args, environ)


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
        config = build_config(args, os.environ)
        crash_at = _crash_at()
    except ValidationError as exc:
        return settings.report("consumer", ConsumerConfig, exc)
    except ValueError as exc:
        print(f"chainops consumer: {exc}", file=sys.stderr)
        return 2
    try:
        return service.run(config, crash_at=crash_at)
    except service.ConsumerError as exc:
        print(f"chainops consumer: {exc}", file=sys.stderr)
        return 2
