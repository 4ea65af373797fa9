"""Shared fixtures: real lab AWS processes on test ports, so tests never touch the user's lab.

`make test` runs pytest under xdist (docs/testing.md): each worker runs its own lab AWS, and
tests/scheduling.py keeps a module's tests on one worker. Tests that read the applied stacks
(the `deployment` fixture) share one apply per session, in a lab AWS of its own, on one worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from chainops.lab.aws import clients, server
from chainops.lab.hosts import reconciler
from chainops.lab.settings import LabSettings
from tests import report
from tests.terraform.harness import Deployment

# Groups and order on xdist workers (make test), and the markers they read.
pytest_plugins = ["tests.scheduling"]


def _worker_index() -> int:
    """N for xdist's worker gwN; 0 without xdist."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


# Ports (docs/lab.md): worker N's lab AWS on BASE + N; the session's applied stacks on their own.
# On loopback, not the user's lab's podman gateway (LabSettings' default): nothing to bring up.
TEST_LAB_HOST = "127.0.0.1"
TEST_LAB_PORT = int(os.environ.get("CHAINOPS_TEST_LAB_PORT", "4610")) + _worker_index()
STACKS_LAB_PORT = int(os.environ.get("CHAINOPS_TEST_STACKS_PORT", "4600"))
# The rehearsal of an AWS environment (tests/playbooks/test_dev_rehearsal.py), in its own account.
REHEARSAL_LAB_PORT = STACKS_LAB_PORT + 1


@contextmanager
def _running_lab(port: int) -> Iterator[LabSettings]:
    """A lab AWS (moto + extensions) on `port`, started through the same code path as `lab up`;
    its hosts removed and, if started here, stopped afterwards."""
    settings = LabSettings(host=TEST_LAB_HOST, port=port)
    started = server.up(settings)
    try:
        yield settings
    finally:
        reconciler.remove_all(settings)
        if started:
            server.down(settings)


@pytest.fixture(scope="session")
def lab_settings() -> Iterator[LabSettings]:
    """This worker's lab AWS."""
    with _running_lab(TEST_LAB_PORT) as settings:
        yield settings


@pytest.fixture
def lab(lab_settings: LabSettings) -> LabSettings:
    """The test lab, emptied before each test (moto's reset takes ~2 s, so only once)."""
    server.reset(lab_settings)
    return lab_settings


@pytest.fixture
def hosts(lab: LabSettings) -> Iterator[LabSettings]:
    """The test lab for tests that materialise hosts; they are removed afterwards."""
    yield lab
    server.reset(lab)
    reconciler.reconcile(lab)


@pytest.fixture
def ec2(lab: LabSettings) -> Any:
    return clients.client(lab, "ec2")


@pytest.fixture
def autoscaling(lab: LabSettings) -> Any:
    return clients.client(lab, "autoscaling")


@pytest.fixture
def image_id(ec2: Any) -> str:
    return str(ec2.describe_images()["Images"][0]["ImageId"])


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Every stack applied once per session from an empty account, in a lab AWS of its own
    (no test's reset reaches it); tests that only read the stacks share it. Destroyed at the
    session's end unless a test (marked destroys_stacks) did so."""
    with _running_lab(STACKS_LAB_PORT) as settings:
        server.reset(settings)
        deployed = Deployment(settings)
        try:
            deployed.apply(tmp_path_factory.mktemp("stacks"))
            yield deployed
        finally:
            try:
                deployed.destroy()
            finally:
                for step, seconds in deployed.timings.items():
                    report.record_stage(f"pytest: {step} (the session's stacks)", seconds)
