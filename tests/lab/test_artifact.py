"""The lab validator's release tarball: what it holds, and that a node can run it."""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
from pathlib import Path

from chainops.lab import artifact


def test_tarball_is_cached_by_content_and_verifiable() -> None:
    """Two builds of the same code give the same file; its checksum is the file's sha256."""
    first, second = artifact.build(), artifact.build()
    assert first == second
    digest = hashlib.sha256(first.path.read_bytes()).hexdigest()
    assert first.checksum == f"sha256:{digest}"


def test_tarball_holds_launchers_and_only_what_a_node_runs() -> None:
    built = artifact.build()
    top = f"{artifact.NAME}-{built.version}"
    with tarfile.open(built.path) as archive:
        names = set(archive.getnames())
        launcher = archive.getmember(f"{top}/bin/chainops-validator")
    assert launcher.mode & 0o111
    assert f"{top}/bin/solana-keygen" in names
    assert f"{top}/lib/chainops/validator/server.py" in names
    assert f"{top}/lib/solders/__init__.py" in names
    # The lab's AWS side (moto, extensions) never ships to a node.
    assert not [n for n in names if "/lib/chainops/lab/extensions/" in n or "/lib/moto/" in n]


def test_unpacked_release_runs_with_a_bare_python(tmp_path: Path) -> None:
    """Only lib/ on the path: the launcher's keygen writes a Solana CLI keypair file."""
    built = artifact.build()
    with tarfile.open(built.path) as archive:
        archive.extractall(tmp_path, filter="data")
    release = tmp_path / f"{artifact.NAME}-{built.version}"
    keypair = tmp_path / "id.json"
    subprocess.run(
        ["python3", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from chainops.lab.keygen import main; sys.exit(main(['new', '-s', '-o', sys.argv[2]]))",
         str(release / "lib"), str(keypair)],
        check=True,
    )  # fmt: skip
    assert len(keypair.read_text().strip("[]\n").split(",")) == 64


def test_release_validator_front_door_parses_its_flags(tmp_path: Path) -> None:
    """The release holds the validator's package only: the CLI must not need the others."""
    built = artifact.build()
    with tarfile.open(built.path) as archive:
        archive.extractall(tmp_path, filter="data")
    lib = tmp_path / f"{artifact.NAME}-{built.version}" / "lib"
    result = subprocess.run(
        ["python3", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from chainops.cli import main; sys.exit(main(['validator', '--help']))", str(lib)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "--tps" in result.stdout
