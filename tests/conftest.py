"""Shared fixtures: a real lab AWS on a test port, so tests never touch the user's lab."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from chainops.lab import aws, reconciler, server
from chainops.lab.settings import LabSettings

TEST_LAB_PORT = int(os.environ.get("CHAINOPS_TEST_LAB_PORT", "4591"))


@pytest.fixture(scope="session")
def lab_settings() -> Iterator[LabSettings]:
    """A lab AWS (moto + extensions) started through the same code path as `lab up`."""
    settings = LabSettings(port=TEST_LAB_PORT)
    started = server.up(settings)
    yield settings
    reconciler.remove_all(settings)
    if started:
        server.down(settings)


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
    return aws.client(lab, "ec2")


@pytest.fixture
def autoscaling(lab: LabSettings) -> Any:
    return aws.client(lab, "autoscaling")


@pytest.fixture
def image_id(ec2: Any) -> str:
    return str(ec2.describe_images()["Images"][0]["ImageId"])
