"""A lab validator and the pipeline's resources for the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chainops.lab.settings import LabSettings
from tests.pipeline.stack import Stack
from tests.validator_node import FAST, Validator, start_validator_process


@pytest.fixture
def validator(tmp_path: Path) -> Iterator[Validator]:
    """50 ms slots with light background load, so our transactions share blocks with others."""
    node = start_validator_process(
        tmp_path, [*FAST, "--tps", "20", "--signers", "0", "--sample-period-s", "1"]
    )
    yield node
    node.stop()


@pytest.fixture
def stack(lab: LabSettings) -> Iterator[Stack]:
    """A 2-shard stream, the three tables, the lake bucket and the DLQ; processes killed after."""
    created = Stack.create(lab, shards=2)
    yield created
    created.stop_all()
