"""`chainops rpc-gateway`: flags and `CHAINOPS_*` environment -> GatewayConfig -> the service."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from pydantic import ValidationError

from chainops import settings
from chainops.rpcgateway.config import GatewayConfig

COMMAND = "rpc-gateway"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `rpc-gateway` subcommand to the project's CLI."""
    parser = commands.add_parser(
        COMMAND,
        help="proxy JSON-RPC and PubSub to one Solana node, publishing its request metrics",
        description="Every flag may instead be set by its CHAINOPS_* variable; flags win.",
    )
    settings.add_flags(parser, GatewayConfig)
    parser.set_defaults(handler=_run)


def build_config(args: argparse.Namespace, environ: Mapping[str, str]) -> GatewayConfig:
    """The gateway's settings from `args` and `environ` (flags win); ValidationError if bad."""
    return GatewayConfig.model_validate(settings.values(GatewayConfig, args, environ))


def _run(args: argparse.Namespace) -> int:
    from chainops.rpcgateway import service

    try:
        config = build_config(args, os.environ)
    except ValidationError as exc:
        return settings.report(COMMAND, GatewayConfig, exc)
    return service.run(config)
