"""`chainops lab`: the command group; each part of the lab adds its own subcommands."""

from __future__ import annotations

from chainops.commandline import Commands
from chainops.lab.aws import cli as aws_cli
from chainops.lab.hosts import cli as hosts_cli
from chainops.lab.release import cli as release_cli


def register(commands: Commands) -> None:
    """Add `lab` and its subcommands to the project's CLI."""
    lab = commands.add_parser("lab", help="the local AWS, its podman hosts and lab releases")
    lab_commands = lab.add_subparsers(dest="lab_command", required=True)
    hosts_cli.register(lab_commands)
    release_cli.register(lab_commands)
    aws_cli.register(lab_commands)
