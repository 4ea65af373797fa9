"""Resharding: children of a split shard wait for their parent; nothing is lost or repeated."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from chainops.lab.settings import LabSettings
from tests.consumer.helpers import STREAM, consume, make_events, make_pipeline

PARENT = "shardId-000000000000"


def test_children_wait_for_an_unfinished_parent(lab: LabSettings, tmp_path: Path) -> None:
    """After splitting the only shard, every event lands once from the parent, and the
    children are not leased while the parent has no SHARD_END. (AWS ends a closed shard with
    no next iterator; the lab's moto never does and keeps routing records to the parent, so
    here the parent stays open, which is what keeps those records from being lost.)"""
    pipeline = make_pipeline(lab, shards=1)
    events = make_events(100)
    pipeline.put_events(events[:50])
    pipeline.client("kinesis").split_shard(
        StreamName=STREAM, ShardToSplit=PARENT, NewStartingHashKey=str(2**127)
    )
    last = pipeline.put_events(events[50:])
    consume(pipeline, tmp_path, "solo", last, "--lease-seconds", "3")
    assert Counter(pipeline.landed_ids()) == Counter(e.id for e in events)
    assert set(pipeline.leases()) == {PARENT}, "children are never leased before the parent ends"
