"""`chainops lab artifact`: build a lab release."""

from __future__ import annotations

import argparse

from chainops.commandline import Commands, emit

# artifact.COMPONENTS, named here so --help does not import the builder
# (tests/lab/release/test_artifact.py keeps them equal).
COMPONENTS = ("validator", "gateway", "pipeline")


def register(commands: Commands) -> None:
    """Add the lab releases' subcommands to `chainops lab`."""
    artifact = commands.add_parser(
        "artifact", help="build (or reuse) a lab release tarball (the validator's by default)"
    )
    artifact.add_argument(
        "--component", choices=COMPONENTS, default="validator", help="which release"
    )
    artifact.add_argument("--json", action="store_true", help="print JSON")
    artifact.set_defaults(handler=_artifact)


def _artifact(args: argparse.Namespace) -> int:
    from chainops.lab.release import artifact

    built = artifact.build(args.component)
    emit(built.as_dict(), as_json=args.json, text=f"{built.path}\n{built.checksum}")
    return 0
