"""containers/pipeline/Containerfile: built with podman FROM the lab's Debian image, it runs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainops import paths
from chainops.lab.hosts import image
from chainops.lab.release import artifact

CONTAINERFILE = paths.REPO_ROOT / "containers" / "pipeline" / "Containerfile"
TAG = "localhost/chainops-pipeline:test"


def _podman(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["podman", *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def pipeline_image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The image built from the current pipeline release, checksum-verified, without a registry."""
    release = artifact.build("pipeline")
    context = tmp_path_factory.mktemp("context")
    shutil.copyfile(release.path, context / "release.tar.gz")
    built = _podman(
        "build", "--format", "docker", "-f", str(CONTAINERFILE), "-t", TAG,
        "--build-arg", f"BASE_IMAGE={image.ensure()}",
        "--build-arg", f"RELEASE_CHECKSUM={release.checksum}",
        str(context),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    yield TAG
    _podman("rmi", "--force", TAG)


def test_listener_and_consumer_answer_help_as_a_non_root_user(pipeline_image: str) -> None:
    """ENTRYPOINT chainops: `listener --help` and `consumer --help` run; the user is not root."""
    for command, flag in (("listener", "--checkpoint-table"), ("consumer", "--lease-table")):
        ran = _podman("run", "--rm", pipeline_image, command, "--help")
        assert ran.returncode == 0, ran.stderr
        assert flag in ran.stdout
    who = _podman("run", "--rm", "--entrypoint", "id", pipeline_image, "-u")
    assert who.stdout.strip() == "10001"


def test_bad_flags_exit_2_from_the_image(pipeline_image: str) -> None:
    """The release's config validation reaches the container's exit code."""
    ran = _podman(
        "run", "--rm", pipeline_image, "listener", "--rpc", "ftp://node", "--stream", "s",
        "--checkpoint-table", "c", "--listener-id", "l",
    )  # fmt: skip
    assert ran.returncode == 2
    assert "rpc" in ran.stderr


def test_healthcheck_passes_while_pid_1_runs(pipeline_image: str) -> None:
    """The image's HEALTHCHECK answers healthy for a running container."""
    started = _podman(
        "run", "--detach", "--health-interval=disable", "--entrypoint", "sleep",
        pipeline_image, "60",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    container = started.stdout.strip()
    try:
        assert _podman("healthcheck", "run", container).returncode == 0
    finally:
        _podman("rm", "--force", "--time", "0", container)


def test_a_corrupt_release_fails_the_build(tmp_path: Path) -> None:
    """RELEASE_CHECKSUM is enforced: a tarball that does not match never becomes an image."""
    (tmp_path / "release.tar.gz").write_bytes(b"not the release")
    built = _podman(
        "build", "-f", str(CONTAINERFILE), "-t", "localhost/chainops-pipeline:corrupt",
        "--build-arg", f"BASE_IMAGE={image.ensure()}",
        "--build-arg", f"RELEASE_CHECKSUM={artifact.build('pipeline').checksum}",
        str(tmp_path),
    )  # fmt: skip
    assert built.returncode != 0
    assert "FAILED" in built.stdout + built.stderr
