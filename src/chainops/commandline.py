"""What every package's `cli` module shares: the subcommand table's type and output helpers.

A package adds its subcommands with `register(commands)`; `chainops.cli` calls it. Packages
import this module, never `chainops.cli`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TypeAlias

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def emit(payload: dict[str, Any], *, as_json: bool, text: str) -> None:
    """Print a command's result: JSON for `--json`, else one human line (or a few)."""
    print(json.dumps(payload, indent=2, sort_keys=True) if as_json else text)


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
