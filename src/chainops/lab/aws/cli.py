"""`chainops lab certificate`: the lab AWS's own subcommand."""

from __future__ import annotations

import argparse

from chainops.commandline import Commands


def register(commands: Commands) -> None:
    """Add the lab AWS's subcommands to `chainops lab`."""
    certificate = commands.add_parser(
        "certificate", help="print the ARN of the lab's self-signed certificate (imported once)"
    )
    certificate.add_argument("--domain", default=None, help="the certificate's DNS name")
    certificate.set_defaults(handler=_certificate)


def _certificate(args: argparse.Namespace) -> int:
    from chainops.lab.aws import certificate
    from chainops.lab.settings import LabSettings

    print(certificate.ensure(LabSettings.from_env(), args.domain or certificate.DOMAIN))
    return 0
