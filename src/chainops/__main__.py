"""`python3 -m chainops`: the release launchers' way into the CLI (no console script there)."""

import sys

from chainops.cli import main

sys.exit(main())
