"""`chainops listener`: flags and `CHAINOPS_*` environment -> ListenerConfig -> the service."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from pydantic import ValidationError

from chainops import settings
from chainops.listener.config import ListenerConfig


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `listener` subcommand to the project's CLI."""
    parser = commands.add_parser(
        "listener",
        help="publish Solana transactions and program logs to Kinesis, nothing lost",
        description="Every flag may instead be set by its CHAINOPS_* variable; flags win.",
    )
    settings.add_flags(parser, ListenerConfig)
    parser.set_defaults(handler=_run)


def build_config(args: argparse.Namespace, environ: Mapping[str, str]) -> ListenerConfig:
    """The listener's settings from `args` and `environ` (flags win); ValidationError if bad."""
    return ListenerConfig.model_validate(settings.values(ListenerConfig, args, environ))


def _run(args: argparse.Namespace) -> int:
    from chainops.listener import service

    try:
        config = build_config(args, os.environ)
    except ValidationError as exc:
        return settings.report("listener", ListenerConfig, exc)
    return service.run(config)
