"""`chainops rpc-gateway`: flags and `CHAINOPS_*` environment -> GatewayConfig -> the service."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from chainops import settings
from chainops.rpcgateway.config import GatewayConfig

COMMAND = "rpc-gateway"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `rpc-gateway` subcommand to the project's CLI."""
    help = "proxy JSON-RPC and PubSub to one Solana node, publishing its request metrics"
    settings.add_command(commands, COMMAND, GatewayConfig, help=help).set_defaults(handler=_run)


def build_config(args: argparse.Namespace, environ: Mapping[str, str]) -> GatewayConfig:
    """The gateway's settings from `args` and `environ` (flags win); ValidationError if bad."""
    return settings.build(GatewayConfig, args, environ)


def _run(args: argparse.Namespace) -> int:
    from chainops.rpcgateway import service

    return settings.serve(COMMAND, GatewayConfig, args, os.environ, service.run)
