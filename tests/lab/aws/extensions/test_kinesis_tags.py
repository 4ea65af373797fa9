"""The Kinesis tags extension: CreateStream's Tags are on the stream."""

from __future__ import annotations

from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def kinesis(lab: LabSettings) -> Any:
    return clients.client(lab, "kinesis")


def test_create_stream_tags_are_listed(kinesis: Any) -> None:
    """Tags given at creation come back from ListTagsForStream, sorted by key."""
    kinesis.create_stream(StreamName="events", ShardCount=1, Tags={"b": "2", "a": "1"})
    tags = kinesis.list_tags_for_stream(StreamName="events")["Tags"]
    assert tags == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]


def test_stream_without_tags_has_none(kinesis: Any) -> None:
    """A stream created without tags lists none."""
    kinesis.create_stream(StreamName="plain", ShardCount=1)
    assert kinesis.list_tags_for_stream(StreamName="plain")["Tags"] == []
