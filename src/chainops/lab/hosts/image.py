"""The lab hosts' base image: Debian 12 built locally with debootstrap, cached by content.

The image is keyed by the package list and the customisation below, so changing either
builds a new one; a warm machine imports the cached rootfs tarball (seconds) or finds the
image already in podman's store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from chainops import paths
from chainops.errors import LabError
from chainops.lab.hosts import podman

SUITE = "bookworm"
MIRROR = os.environ.get("CHAINOPS_DEBIAN_MIRROR", "http://deb.debian.org/debian")
PACKAGES = (
    "systemd",
    "systemd-sysv",
    "dbus",
    "udev",
    "kmod",
    "python3",
    "python3-apt",
    "sudo",
    "ca-certificates",
    "curl",
    "iproute2",
    "procps",
    "chrony",
    "util-linux",
    "xfsprogs",
    "e2fsprogs",
    "mdadm",
    "nvme-cli",
    "lvm2",
    "logrotate",
    "less",
)
# Units that cannot work in a container (no consoles, no kernel modules, no NVMe-oF).
MASKED_UNITS = (
    "getty@tty1.service",
    "console-getty.service",
    "systemd-logind.service",
    "nvmf-autoconnect.service",
    "mdmonitor.service",
    "lvm2-monitor.service",
    "systemd-udev-trigger.service",
    "systemd-modules-load.service",
)
# Files copied over the debootstrapped tree (the lab's NVMe naming unit).
OVERLAY = Path(__file__).with_name("rootfs")
CUSTOMISE = f"""
set -e
systemctl enable chainops-lab-nvme.service
echo chainops-lab > /etc/hostname
ln -sf /lib/systemd/systemd /sbin/init
systemctl mask {" ".join(MASKED_UNITS)}
truncate -s0 /etc/machine-id
rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/*
"""
REPOSITORY = "localhost/chainops-lab-debian"


def image_ref() -> str:
    """The image tag: a digest of everything the image is built from."""
    digest = hashlib.sha256(f"{SUITE}|{PACKAGES}|{CUSTOMISE}".encode())
    for path in sorted(p for p in OVERLAY.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(OVERLAY)).encode())
        digest.update(path.read_bytes())
    return f"{REPOSITORY}:{SUITE}-{digest.hexdigest()[:12]}"


def ensure(*, rebuild: bool = False) -> str:
    """Return the image reference, importing or building the image when missing."""
    ref = image_ref()
    if not rebuild and podman.image_exists(ref):
        return ref
    tarball = paths.cache_dir() / "images" / f"{ref.rsplit(':', 1)[1]}.tar"
    if rebuild or not tarball.exists():
        _build_rootfs_tarball(tarball)
    podman.run(
        "import",
        "--change",
        'CMD=["/sbin/init"]',
        "--change",
        "STOPSIGNAL=SIGRTMIN+3",
        str(tarball),
        ref,
    )
    return ref


def _build_rootfs_tarball(tarball: Path) -> None:
    if shutil.which("debootstrap") is None:
        raise LabError("debootstrap is not installed: run `make bootstrap`")
    tarball.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chainops-rootfs-", dir=tarball.parent) as work:
        rootfs = Path(work) / "rootfs"
        _checked(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(PACKAGES)}",
                SUITE,
                str(rootfs),
                MIRROR,
            ],
            "debootstrap",
        )
        shutil.copytree(OVERLAY, rootfs, dirs_exist_ok=True)
        _checked(["chroot", str(rootfs), "/bin/sh", "-c", CUSTOMISE], "image customisation")
        partial = tarball.with_suffix(".partial")
        _checked(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", str(partial), "."], "tar")
        partial.rename(tarball)  # only a complete tarball ever carries the final name


def _checked(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-1500:]
        raise LabError(f"{what} failed (exit {done.returncode}): {tail}")
