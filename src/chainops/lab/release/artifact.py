"""Lab releases as tarballs, installed on lab hosts like an Agave release.

A release holds launchers in `bin/` and, in `lib/`, the part of chainops its component runs
plus the distributions that part imports, copied from the project venv, so lab hosts need
nothing but Debian's python3. It is keyed by a digest of its contents and verified by sha256
on the host, as a real release is. Three components, each its own release so an edit of one
leaves the others' versions alone:

- `validator` (the lab RPC node): `bin/chainops-validator` (agave-validator's flags) and
  `bin/solana-keygen`;
- `gateway` (every RPC node, in front of Agave or the lab validator): `bin/chainops-rpc-gateway`;
- `pipeline` (the listener hosts): `bin/chainops-listener` and `bin/chainops-consumer`.

The copied distributions are the build venv's, compiled for its Python (3.11) and platform: a
host runs a release with a python3 of the same minor version (Debian 12's).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from packaging.requirements import Requirement

import chainops
from chainops import paths

PACKAGE_DIR = Path(chainops.__file__).parent
# The CLI every front door goes through (it imports nothing else at module level) and what
# every service's CLI shares (its settings from flags and environment, its JSON logs).
CLI_FILES = (
    "__init__.py",
    "__main__.py",
    "cli.py",
    "daemon.py",
    "errors.py",
    "paths.py",
    "settings.py",
)

LAUNCHER = """#!/bin/sh
# {what}, from this release's own lib/ and Debian's python3.
here=$(dirname "$(readlink -f "$0")")
PYTHONPATH="$here/../lib" exec /usr/bin/python3 -m {command} "$@"
"""

Component = Literal["validator", "gateway", "pipeline"]
COMPONENTS: tuple[Component, ...] = ("validator", "gateway", "pipeline")


@dataclass(frozen=True)
class Flavour:
    """What one component's release holds."""

    name: str
    # What the component imports at run time; their own requirements are followed.
    distributions: tuple[str, ...]
    package_files: tuple[str, ...]
    # launcher name -> (what it is, `python3 -m` arguments)
    launchers: dict[str, tuple[str, str]]


FLAVOURS: dict[Component, Flavour] = {
    "validator": Flavour(
        name="chainops-lab-validator",
        distributions=("solders", "aiohttp", "orjson", "pydantic"),
        package_files=(
            *CLI_FILES,
            "lab/__init__.py",
            "lab/release/__init__.py",
            "lab/release/agave.py",
            "lab/release/keygen.py",
            "validator/*.py",
        ),
        launchers={
            "chainops-validator": (
                "The chainops lab validator (agave-validator's flags)",
                "chainops.lab.release.agave",
            ),
            "solana-keygen": (
                "solana-keygen new, for node identities",
                "chainops.lab.release.keygen",
            ),
        },
    ),
    "gateway": Flavour(
        name="chainops-rpc-gateway",
        distributions=("boto3", "aiohttp", "pydantic"),
        package_files=(
            *CLI_FILES,
            "rpcgateway/*.py",
            "pipeline/__init__.py",
            "pipeline/metrics.py",
            # GatewayConfig's default port is the validator's (DEFAULT_RPC_PORT): its config only.
            "validator/__init__.py",
            "validator/config.py",
        ),
        launchers={"chainops-rpc-gateway": ("chainops rpc-gateway", "chainops rpc-gateway")},
    ),
    "pipeline": Flavour(
        name="chainops-pipeline",
        distributions=("boto3", "solders", "aiohttp", "orjson", "pydantic"),
        package_files=(*CLI_FILES, "pipeline/*.py", "listener/*.py", "consumer/*.py"),
        launchers={
            "chainops-listener": ("chainops listener", "chainops listener"),
            "chainops-consumer": ("chainops consumer", "chainops consumer"),
        },
    ),
}


@dataclass(frozen=True)
class Artifact:
    """A built release tarball and how a node verifies it."""

    path: Path
    version: str
    checksum: str

    def as_dict(self) -> dict[str, str]:
        return {"path": str(self.path), "version": self.version, "checksum": self.checksum}


def distributions(roots: tuple[str, ...]) -> list[metadata.Distribution]:
    """The root distributions and everything they require (markers evaluated, extras skipped)."""
    found: dict[str, metadata.Distribution] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        key = name.lower().replace("_", "-")
        if key in found:
            continue
        dist = metadata.distribution(name)
        found[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return sorted(found.values(), key=lambda d: d.metadata["Name"].lower())


def _launchers(flavour: Flavour) -> dict[str, bytes]:
    return {
        launcher: LAUNCHER.format(what=what, command=command).encode()
        for launcher, (what, command) in sorted(flavour.launchers.items())
    }


def _files(flavour: Flavour) -> Iterator[tuple[str, Path]]:
    """(name in lib/, source path) for the component's chainops and its distributions."""
    for pattern in flavour.package_files:
        for source in sorted(PACKAGE_DIR.glob(pattern)):
            yield f"chainops/{source.relative_to(PACKAGE_DIR)}", source
    for dist in distributions(flavour.distributions):
        for file in dist.files or []:
            if file.parts[0].endswith(".dist-info") or "__pycache__" in file.parts:
                continue
            if ".." in file.parts:  # console scripts outside site-packages
                continue
            yield str(file), Path(str(dist.locate_file(file)))


def _digest(files: list[tuple[str, Path]], launchers: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, source in files:
        digest.update(name.encode())
        digest.update(source.read_bytes())
    for launcher, text in launchers.items():
        digest.update(launcher.encode() + text)
    return digest.hexdigest()[:12]


def build(component: Component = "validator") -> Artifact:
    """The component's tarball for the current code and venv, built once per content digest."""
    flavour = FLAVOURS[component]
    files, launchers = list(_files(flavour)), _launchers(flavour)
    version = f"{chainops.__version__}-{_digest(files, launchers)}"
    out_dir = paths.cache_dir() / "artifacts"
    out_dir.mkdir(parents=True, exist_ok=True)
    tarball = out_dir / f"{flavour.name}-{version}.tar.gz"
    if not tarball.exists():
        _write(tarball, top=f"{flavour.name}-{version}", files=files, launchers=launchers)
        _prune(out_dir, name=flavour.name, keep=tarball)
    checksum = hashlib.sha256(tarball.read_bytes()).hexdigest()
    return Artifact(path=tarball, version=version, checksum=f"sha256:{checksum}")


def _prune(out_dir: Path, *, name: str, keep: Path, count: int = 3) -> None:
    """Keep the newest few tarballs of a component: hosts may still roll back to the one before."""
    # The version starts with a digit, so one name's glob never takes in another's.
    built = sorted(
        out_dir.glob(f"{name}-[0-9]*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in built[count:]:
        if old != keep:
            old.unlink()


def _write(
    tarball: Path, *, top: str, files: list[tuple[str, Path]], launchers: dict[str, bytes]
) -> None:
    with tempfile.NamedTemporaryFile(dir=tarball.parent, suffix=".partial", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        # No time or temp file name in gzip's header: equal inputs give equal bytes, so
        # processes building one version at once replace each other's tarball with its twin.
        with (
            partial.open("wb") as raw,
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as compressed,
            tarfile.open(fileobj=compressed, mode="w") as archive,
        ):
            for launcher, data in launchers.items():
                info = tarfile.TarInfo(f"{top}/bin/{launcher}")
                info.size, info.mode = len(data), 0o755
                archive.addfile(info, io.BytesIO(data))
            for name, source in files:
                archive.add(source, arcname=f"{top}/lib/{name}", recursive=False)
        os.chmod(partial, 0o644)
        shutil.move(partial, tarball)  # only a complete tarball carries the final name
    finally:
        partial.unlink(missing_ok=True)
