"""What every package's `cli` module shares: the parser, the subcommand table's type and output
helpers.

A package adds its subcommands with `register(commands)`; `chainops.cli` calls it. Packages
import this module, never `chainops.cli`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TypeAlias

from chainops.errors import UsageError

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


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


def emit(payload: dict[str, Any], *, as_json: bool, text: str) -> None:
    """Print a command's result: JSON for `--json`, else one human line (or a few)."""
    print(json.dumps(payload, indent=2, sort_keys=True) if as_json else text)


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
