"""`solana-keygen new` for lab nodes: writes a keypair file in the Solana CLI's format."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from solders.keypair import Keypair


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="solana-keygen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="generate a new keypair")
    new.add_argument("-o", "--outfile", required=True)
    new.add_argument("--no-bip39-passphrase", action="store_true")
    new.add_argument("-s", "--silent", action="store_true")
    new.add_argument("-f", "--force", action="store_true")
    args = parser.parse_args(argv)
    if os.path.exists(args.outfile) and not args.force:
        print(f"Refusing to overwrite {args.outfile} without --force flag", file=sys.stderr)
        return 1
    keypair = Keypair()
    # The CLI's format: a JSON array of the 64 secret-key bytes, readable by its owner only.
    descriptor = os.open(args.outfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(list(bytes(keypair)), out)
    if not args.silent:
        print(f"pubkey: {keypair.pubkey()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
