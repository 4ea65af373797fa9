"""The consumer's AWS resources in the test lab, made as the blockchain stack makes them."""

from __future__ import annotations

import pytest

from chainops.lab.settings import LabSettings
from tests.consumer.helpers import Pipeline, make_pipeline


@pytest.fixture
def pipeline(lab: LabSettings) -> Pipeline:
    """A 4-shard stream, lease and idempotency tables, the lake bucket and the DLQ."""
    return make_pipeline(lab, shards=4)
