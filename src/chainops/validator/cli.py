"""`chainops validator`: flags and `CHAINOPS_*` environment -> ValidatorConfig -> the service."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from chainops import settings
from chainops.validator.config import ValidatorConfig


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `validator` subcommand to the project's CLI."""
    parser = commands.add_parser(
        "validator",
        help="run the lab validator (Solana RPC + PubSub backed by litesvm)",
        description="Every flag may instead be set by its CHAINOPS_* variable; flags win.",
    )
    settings.add_flags(parser, ValidatorConfig)
    parser.add_argument(
        "--ledger-dir", type=Path, default=None, help="record into DIR/blocks.jsonl (no --record)"
    )
    parser.set_defaults(handler=_run)


def build_config(args: argparse.Namespace, environ: Mapping[str, str]) -> ValidatorConfig:
    """The node's settings from `args` and `environ` (flags win); ValidationError if bad."""
    given = settings.values(ValidatorConfig, args, environ)
    if "record" not in given and args.ledger_dir is not None:
        given["record"] = args.ledger_dir / "blocks.jsonl"
    return ValidatorConfig.model_validate(given)


def _run(args: argparse.Namespace) -> int:
    from chainops.validator import server

    try:
        config = build_config(args, os.environ)
    except ValidationError as exc:
        return settings.report("validator", ValidatorConfig, exc)
    return server.run(config)
