"""Stand-in for pip's get-pip.py, which ansible-test downloads from ci-files.testing.ansible.com
(unreachable here) to put pip into each sanity test's virtualenv: the interpreter's bundled pip
(ensurepip) installs what ansible-test asks for, from PyPI (reachable)."""

import ensurepip
import os
import subprocess
import sys

# get-pip's own flags: --no-setuptools/--no-wheel say what not to add; pip takes the rest.
OWN_FLAGS = {"--no-setuptools", "--no-wheel"}

ensurepip.bootstrap(upgrade=True)
# ensurepip points PIP_CONFIG_FILE at /dev/null in this process; the install below must see the
# machine's pip configuration (its index and CA bundle), as pip in the new venv will.
environment = {k: v for k, v in os.environ.items() if k != "PIP_CONFIG_FILE"}
arguments = [a for a in sys.argv[1:] if a not in OWN_FLAGS]
command = [sys.executable, "-m", "pip", "install", "--upgrade", "--force-reinstall", *arguments]
sys.exit(subprocess.call(command, env=environment))
