"""Loop devices standing in for instance-store NVMe volumes (sparse files, real block devices)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from chainops.errors import LabError
from chainops.lab.hosts.nodes import InstanceStoreDisk

GIB = 1024**3


def attach(
    directory: Path, disks: tuple[InstanceStoreDisk, ...], *, max_gib: int
) -> dict[str, str]:
    """Create (or reuse) one sparse backing file per disk and attach it; device -> /dev/loopN."""
    directory.mkdir(parents=True, exist_ok=True)
    attached: dict[str, str] = {}
    for disk in disks:
        backing = directory / f"{disk.device}.img"
        if not backing.exists():
            with backing.open("wb") as handle:
                handle.truncate(min(disk.size_gib, max_gib) * GIB)
        attached[disk.device] = _loop_for(backing) or _losetup("--find", "--show", str(backing))
    return attached


def detach_all(directory: Path) -> None:
    """Detach every loop device backed by a file in the directory, then delete it."""
    for backing in sorted(directory.glob("*.img")):
        while loop := _loop_for(backing):
            _losetup("--detach", loop)
    shutil.rmtree(directory, ignore_errors=True)


def _loop_for(backing: Path) -> str | None:
    listed = _losetup("--list", "--noheadings", "--output", "NAME", "--associated", str(backing))
    return listed.split()[0] if listed.split() else None


def _losetup(*args: str) -> str:
    done = subprocess.run(["losetup", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LabError(f"losetup {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()
