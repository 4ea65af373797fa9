"""The `chainops` command: argv is read here, each package brings its commands; the services'
CLI modules read their CHAINOPS_* settings too (through chainops.settings)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from chainops import paths
from chainops.errors import ChainopsError, UsageError

# Each package adds its subcommands through `register(commands)`, in this order in --help.
COMMANDS = (
    "chainops.lab.cli",
    "chainops.deploy_cli",
    "chainops.validator.cli",
    "chainops.listener.cli",
    "chainops.consumer.cli",
    "chainops.rpcgateway.cli",
    "chainops.cost.cli",
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


class Parser(argparse.ArgumentParser):
    """argparse, with each usage error in one line that names the bad argument.

    Subcommands' parsers are of this class too (argparse makes them with the parent's).
    """

    _options: Sequence[str] = ()

    def parse_known_args(  # type: ignore[override]  # typeshed's overloads; same behaviour
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # The options before this parser's first positional, for error() below.
        given = list(sys.argv[1:] if args is None else args)
        self._options = [a for a in given[: _first_positional(given)] if a.startswith("-")]
        return super().parse_known_args(given, namespace)

    def error(self, message: str) -> NoReturn:
        # argparse reports a missing subcommand before an unknown option (`chainops --bogus`).
        unknown = [a for a in self._options if a.split("=")[0] not in self._option_string_actions]
        if unknown and message.startswith("the following arguments are required"):
            message = f"unrecognized arguments: {' '.join(unknown)}"
        self.exit(UsageError.exit_code, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _first_positional(args: Sequence[str]) -> int:
    return next((i for i, a in enumerate(args) if not a.startswith("-")), len(args))


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
