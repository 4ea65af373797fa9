"""Fleet convergence: playbooks/fleet.yml on 1, 3 and 8 lab RPC nodes, first run and re-run.

Each size gets a fresh lab AWS account on a spare port and fresh hosts (i4i.8xlarge: two
instance-store NVMe disks each). The first run does everything (preflight, kernel, chrony,
disks, user, release, unit, start, health); the re-run must change nothing. Prints the wall
time of each run, the changed count and the Ansible settings in force.

    .venv/bin/python benchmarks/fleet_converge.py [--sizes 1,3,8] [--port 4597]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chainops.lab.aws import server
from chainops.lab.hosts import fleet, reconciler
from chainops.lab.settings import LabSettings
from chainops.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))
from tests.helpers import ansible_env, copy_lab_inventory, run_playbook

RECAP = re.compile(r"^(i-\w+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")


def _converge(inventory: Path) -> tuple[float, int, int]:
    """Seconds, total changed and total failed over the RPC hosts."""
    start = time.monotonic()
    result = run_playbook("playbooks/fleet.yml", inventory, timeout=3600)
    elapsed = time.monotonic() - start
    changed = failed = 0
    for line in result.stdout.splitlines():
        match = RECAP.match(line)
        if match:
            changed += int(match.group(3))
            failed += int(match.group(4)) + int(match.group(5))
    if result.returncode != 0:
        print(result.stdout[-4000:], file=sys.stderr)
    return elapsed, changed, failed


def _settings_in_force() -> str:
    dump = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-config"), "dump", "--only-changed"],
        capture_output=True,
        text=True,
        env=ansible_env(),
        cwd=REPO_ROOT,
        check=True,
    ).stdout
    keep = ("DEFAULT_FORKS", "PIPELINING", "CACHE_PLUGIN", "DEFAULT_GATHERING", "STDOUT")
    return "; ".join(
        line.split("(", 1)[0].strip() + " = " + line.rsplit("=", 1)[1].strip()
        for line in dump.splitlines()
        if line.startswith(keep)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,3,8")
    parser.add_argument("--port", type=int, default=4597)
    args = parser.parse_args()
    settings = LabSettings(host="127.0.0.1", port=args.port)  # its own lab, on loopback
    started = server.up(settings)
    print(f"settings: {_settings_in_force()}")
    header = ("nodes", "first run s", "changed", "re-run s", "changed", "failed")
    print("{:>5} {:>12} {:>8} {:>9} {:>8} {:>7}".format(*header))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            server.reset(settings)
            reconciler.reconcile(settings)
            fleet.launch(settings, count=size)
            with tempfile.TemporaryDirectory() as tmp:
                inventory = copy_lab_inventory(Path(tmp), settings.endpoint)
                first, first_changed, first_failed = _converge(inventory)
                again, again_changed, again_failed = _converge(inventory)
            print(
                f"{size:>5} {first:>12.1f} {first_changed:>8} {again:>9.1f} {again_changed:>8}"
                f" {first_failed + again_failed:>7}",
                flush=True,
            )
    finally:
        reconciler.remove_all(settings)
        if started:
            server.down(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
