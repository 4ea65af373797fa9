"""The `chainops` command: argv is read here, each package brings its commands; the services'
CLI modules read their CHAINOPS_* settings too (through chainops.settings)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from chainops import paths
from chainops.commandline import Parser
from chainops.errors import ChainopsError

# Each package adds its subcommands through `register(commands)`, in this order in --help.
COMMANDS = (
    "chainops.lab.cli",
    "chainops.deploy_cli",
    "chainops.validator.cli",
    "chainops.listener.cli",
    "chainops.consumer.cli",
    "chainops.rpcgateway.cli",
)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("CONTAINERS_CONF", str(paths.containers_conf()))
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv[:1] == ["tf"]:
        # Terraform's own flags (-chdir=DIR, -help) must reach it untouched by argparse.
        args = parser.parse_args(["tf"])
        args.tf_args = argv[1:]
    else:
        args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except ChainopsError as exc:
        print(f"chainops: {exc}", file=sys.stderr)
        return exc.exit_code
    return result


def _parser() -> Parser:
    parser = Parser(prog="chainops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A node's release ships only the packages it runs (the RPC node: the validator).
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        module.register(commands)
    return parser
