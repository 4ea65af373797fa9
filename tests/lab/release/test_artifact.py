"""The lab release tarballs: what each holds, and that a bare host python runs it."""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from chainops.lab.release import artifact
from chainops.lab.release import cli as release_cli

VALIDATOR = artifact.FLAVOURS["validator"].name


def test_tarball_is_cached_by_content_and_verifiable() -> None:
    """Two builds of the same code give the same file; its checksum is the file's sha256."""
    first, second = artifact.build(), artifact.build()
    assert first == second
    digest = hashlib.sha256(first.path.read_bytes()).hexdigest()
    assert first.checksum == f"sha256:{digest}"


def test_tarball_holds_launchers_and_only_what_a_node_runs() -> None:
    built = artifact.build()
    top = f"{VALIDATOR}-{built.version}"
    with tarfile.open(built.path) as archive:
        names = set(archive.getnames())
        launcher = archive.getmember(f"{top}/bin/chainops-validator")
    assert launcher.mode & 0o111
    assert f"{top}/bin/solana-keygen" in names
    assert f"{top}/lib/chainops/validator/server.py" in names
    assert f"{top}/lib/solders/__init__.py" in names
    assert f"{top}/lib/chainops/lab/release/agave.py" in names
    # Neither the lab AWS (moto, extensions) nor the hosts' code nor the builder ships to a node.
    lab_only = ("/lib/chainops/lab/aws/", "/lib/chainops/lab/hosts/", "/lib/moto/")
    assert not [n for n in names if any(part in n for part in lab_only)]
    assert f"{top}/lib/chainops/lab/release/artifact.py" not in names


def test_unpacked_release_runs_with_a_bare_python(tmp_path: Path) -> None:
    """Only lib/ on the path: the launcher's keygen writes a Solana CLI keypair file."""
    built = artifact.build()
    with tarfile.open(built.path) as archive:
        archive.extractall(tmp_path, filter="data")
    release = tmp_path / f"{VALIDATOR}-{built.version}"
    keypair = tmp_path / "id.json"
    subprocess.run(
        ["python3", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from chainops.lab.release.keygen import main; "
         "sys.exit(main(['new', '-s', '-o', sys.argv[2]]))",
         str(release / "lib"), str(keypair)],
        check=True,
    )  # fmt: skip
    assert len(keypair.read_text().strip("[]\n").split(",")) == 64


def test_release_validator_front_door_parses_its_flags(tmp_path: Path) -> None:
    """The release holds the validator's package only: the CLI must not need the others."""
    built = artifact.build()
    with tarfile.open(built.path) as archive:
        archive.extractall(tmp_path, filter="data")
    lib = tmp_path / f"{VALIDATOR}-{built.version}" / "lib"
    result = subprocess.run(
        ["python3", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from chainops.cli import main; sys.exit(main(['validator', '--help']))", str(lib)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "--tps" in result.stdout


def _unpack(built: artifact.Artifact, into: Path) -> Path:
    with tarfile.open(built.path) as archive:
        archive.extractall(into, filter="data")
    (release,) = into.iterdir()
    return release


def test_pipeline_release_is_its_own_and_leaves_the_validator_out_of_lab_code() -> None:
    """Listener and consumer with boto3, none of the lab's AWS; the validator keeps its version."""
    pipeline, validator = artifact.build("pipeline"), artifact.build("validator")
    assert pipeline.path.name.startswith(f"chainops-pipeline-{pipeline.version}")
    assert pipeline.version != validator.version
    with tarfile.open(pipeline.path) as archive:
        names = set(archive.getnames())
    top = f"chainops-pipeline-{pipeline.version}"
    for name in ("bin/chainops-listener", "bin/chainops-consumer", "lib/chainops/__main__.py",
                 "lib/chainops/listener/service.py", "lib/chainops/consumer/service.py",
                 "lib/chainops/pipeline/events.py", "lib/boto3/__init__.py",
                 "lib/botocore/data/kinesis/2013-12-02/service-2.json.gz"):  # fmt: skip
        assert f"{top}/{name}" in names, name
    assert not [n for n in names if "/lib/chainops/lab/" in n or "/lib/moto/" in n]


def test_unpacked_pipeline_launchers_run_with_the_bare_python(tmp_path: Path) -> None:
    """Each launcher answers --help through /usr/bin/python3 and lib/ alone, from any cwd."""
    release = _unpack(artifact.build("pipeline"), tmp_path)
    for launcher, flag in (("chainops-listener", "--checkpoint-table"),
                           ("chainops-consumer", "--idempotency-table")):  # fmt: skip
        result = subprocess.run(
            [str(release / "bin" / launcher), "--help"],
            capture_output=True, text=True, check=False, cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert flag in result.stdout


def test_pipeline_launcher_rejects_bad_flags_with_exit_2(tmp_path: Path) -> None:
    """The release's listener validates its config like the venv's: exit 2, the field named."""
    release = _unpack(artifact.build("pipeline"), tmp_path)
    result = subprocess.run(
        [str(release / "bin" / "chainops-listener"), "--rpc", "ftp://node", "--stream", "s",
         "--checkpoint-table", "c", "--listener-id", "l"],
        capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "rpc" in result.stderr


def test_a_rebuild_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes may build one version at once: the later move must not change the bytes
    (and so the checksum) the earlier one already handed to a node."""
    monkeypatch.setenv("CHAINOPS_CACHE", str(tmp_path / "cache"))
    first = artifact.build()
    kept = first.path.read_bytes()
    first.path.unlink()
    time.sleep(1.1)  # gzip's header holds whole seconds
    again = artifact.build()
    assert again.path == first.path
    assert again.checksum == first.checksum
    assert again.path.read_bytes() == kept


def test_gateway_release_holds_the_gateway_and_its_publisher_only() -> None:
    """Every RPC node's gateway, whatever the node: the gateway, the metrics publisher, boto3;
    neither the validator's node nor the pipeline's services nor the lab's code."""
    gateway = artifact.build("gateway")
    assert gateway.path.name.startswith(f"chainops-rpc-gateway-{gateway.version}")
    assert gateway.version not in (artifact.build("validator").version,
                                   artifact.build("pipeline").version)  # fmt: skip
    with tarfile.open(gateway.path) as archive:
        names = set(archive.getnames())
    top = f"chainops-rpc-gateway-{gateway.version}"
    for name in ("bin/chainops-rpc-gateway", "lib/chainops/rpcgateway/service.py",
                 "lib/chainops/pipeline/metrics.py", "lib/chainops/validator/config.py",
                 "lib/aiohttp/__init__.py", "lib/pydantic/__init__.py",
                 "lib/botocore/data/cloudwatch/2010-08-01/service-2.json.gz"):  # fmt: skip
        assert f"{top}/{name}" in names, name
    unwanted = ("/lib/chainops/lab/", "/lib/moto/", "/lib/solders/", "/lib/chainops/listener/",
                "/lib/chainops/validator/server.py")  # fmt: skip
    assert not [n for n in names if any(part in n for part in unwanted)]


def test_unpacked_gateway_runs_with_the_bare_python(tmp_path: Path) -> None:
    """The launcher through /usr/bin/python3 and lib/ alone: its settings checked (exit 2 naming
    the missing group), and the service's imports (aiohttp, boto3) load."""
    release = _unpack(artifact.build("gateway"), tmp_path)
    result = subprocess.run(
        [str(release / "bin" / "chainops-rpc-gateway"), "--upstream-rpc", "http://127.0.0.1:8999"],
        capture_output=True, text=True, check=False, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "CHAINOPS_GROUP_NAME" in result.stderr
    subprocess.run(
        ["/usr/bin/python3", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "import chainops.rpcgateway.service", str(release / "lib")],
        check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_the_cli_offers_every_component() -> None:
    """`chainops lab artifact --component` names the builder's components (kept apart so
    --help does not import the builder)."""
    assert release_cli.COMPONENTS == artifact.COMPONENTS
