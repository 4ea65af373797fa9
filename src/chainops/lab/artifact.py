"""The lab validator as a release tarball, installed by solana_rpc_node like an Agave release.

The tarball holds `bin/chainops-validator` (which takes agave-validator's flags),
`bin/solana-keygen` and `lib/` with chainops and the distributions the validator imports,
copied from the project venv, so lab nodes need nothing but Debian's python3. It is keyed by a
digest of its contents and verified by sha256 on the node, as a real release is.
"""

from __future__ import annotations

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

from packaging.requirements import Requirement

import chainops
from chainops import paths

# What the validator imports at run time; their own requirements are followed.
RUNTIME_DISTRIBUTIONS = ("solders", "aiohttp", "orjson", "pydantic")
NAME = "chainops-lab-validator"
PACKAGE_DIR = Path(chainops.__file__).parent
# The part of chainops a lab node runs: the validator, the agave-flag and keygen front doors
# and the CLI they go through (which imports nothing else at module level).
PACKAGE_FILES = (
    "__init__.py",
    "cli.py",
    "errors.py",
    "paths.py",
    "lab/__init__.py",
    "lab/agave.py",
    "lab/keygen.py",
    "validator/*.py",
)

LAUNCHER = """#!/bin/sh
# {what}, from this release's own lib/ and Debian's python3.
here=$(dirname "$(readlink -f "$0")")
PYTHONPATH="$here/../lib" exec /usr/bin/python3 -m {module} "$@"
"""
LAUNCHERS = {
    "chainops-validator": (
        "The chainops lab validator (agave-validator's flags)",
        "chainops.lab.agave",
    ),
    "solana-keygen": ("solana-keygen new, for node identities", "chainops.lab.keygen"),
}


@dataclass(frozen=True)
class Artifact:
    """A built release tarball and how a node verifies it."""

    path: Path
    version: str
    checksum: str

    def as_dict(self) -> dict[str, str]:
        return {"path": str(self.path), "version": self.version, "checksum": self.checksum}


def distributions(roots: tuple[str, ...] = RUNTIME_DISTRIBUTIONS) -> list[metadata.Distribution]:
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


def _files() -> Iterator[tuple[str, Path]]:
    """(name in lib/, source path) for chainops and every runtime distribution."""
    for pattern in PACKAGE_FILES:
        for source in sorted(PACKAGE_DIR.glob(pattern)):
            yield f"chainops/{source.relative_to(PACKAGE_DIR)}", source
    for dist in distributions():
        for file in dist.files or []:
            if file.parts[0].endswith(".dist-info") or "__pycache__" in file.parts:
                continue
            if ".." in file.parts:  # console scripts outside site-packages
                continue
            yield str(file), Path(str(dist.locate_file(file)))


def _digest(files: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for name, source in files:
        digest.update(name.encode())
        digest.update(source.read_bytes())
    for launcher, (what, module) in sorted(LAUNCHERS.items()):
        digest.update(f"{launcher}{LAUNCHER.format(what=what, module=module)}".encode())
    return digest.hexdigest()[:12]


def build() -> Artifact:
    """The tarball for the current code and venv, built once per content digest."""
    files = list(_files())
    version = f"{chainops.__version__}-{_digest(files)}"
    out_dir = paths.cache_dir() / "artifacts"
    out_dir.mkdir(parents=True, exist_ok=True)
    tarball = out_dir / f"{NAME}-{version}.tar.gz"
    if not tarball.exists():
        _write(tarball, top=f"{NAME}-{version}", files=files)
        _prune(out_dir, keep=tarball)
    checksum = hashlib.sha256(tarball.read_bytes()).hexdigest()
    return Artifact(path=tarball, version=version, checksum=f"sha256:{checksum}")


def _prune(out_dir: Path, *, keep: Path, count: int = 3) -> None:
    """Keep the newest few tarballs: nodes may still roll back to the one before."""
    built = sorted(out_dir.glob(f"{NAME}-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in built[count:]:
        if old != keep:
            old.unlink()


def _write(tarball: Path, *, top: str, files: list[tuple[str, Path]]) -> None:
    with tempfile.NamedTemporaryFile(dir=tarball.parent, suffix=".partial", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        with tarfile.open(partial, "w:gz") as archive:
            for launcher, (what, module) in sorted(LAUNCHERS.items()):
                data = LAUNCHER.format(what=what, module=module).encode()
                info = tarfile.TarInfo(f"{top}/bin/{launcher}")
                info.size, info.mode = len(data), 0o755
                archive.addfile(info, io.BytesIO(data))
            for name, source in files:
                archive.add(source, arcname=f"{top}/lib/{name}", recursive=False)
        os.chmod(partial, 0o644)
        shutil.move(partial, tarball)  # only a complete tarball carries the final name
    finally:
        partial.unlink(missing_ok=True)
