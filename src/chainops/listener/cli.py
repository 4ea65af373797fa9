"""`chainops listener`: flags and `CHAINOPS_*` environment -> ListenerConfig -> the service."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from chainops import settings
from chainops.listener.config import ListenerConfig


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `listener` subcommand to the project's CLI."""
    help = "publish Solana transactions and program logs to Kinesis, nothing lost"
    settings.add_command(commands, "listener", ListenerConfig, help=help).set_defaults(handler=_run)


def build_config(args: argparse.Namespace, environ: Mapping[str, str]) -> ListenerConfig:
    """The listener's settings from `args` and `environ` (flags win); ValidationError if bad."""
    return settings.build(ListenerConfig, args, environ)


def _run(args: argparse.Namespace) -> int:
    from chainops.listener import service

    return settings.serve("listener", ListenerConfig, args, os.environ, service.run)
