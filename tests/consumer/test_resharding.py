"""Resharding: a split parent is read to its end (SHARD_END) before its children are leased."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from chainops.consumer import service
from chainops.consumer.config import ConsumerConfig
from chainops.consumer.leases import Shard
from chainops.consumer.stream import Page, Record, ShardSource
from chainops.lab.settings import LabSettings
from tests.consumer.helpers import (
    BUCKET,
    IDEMPOTENCY,
    LEASES,
    STREAM,
    Pipeline,
    consume,
    make_events,
    make_pipeline,
    wait_for,
)

PARENT = "shardId-000000000000"


def _split(lab: LabSettings) -> tuple[Pipeline, list[str], dict[str, str]]:
    """One shard with 50 events, split in two, then 50 more events: the pipeline, the ids
    and the last sequence number per shard."""
    pipeline = make_pipeline(lab, shards=1)
    events = make_events(100)
    last = pipeline.put_events(events[:50])
    pipeline.client("kinesis").split_shard(
        StreamName=STREAM, ShardToSplit=PARENT, NewStartingHashKey=str(2**127)
    )
    last |= pipeline.put_events(events[50:])
    return pipeline, [event.id for event in events], last


def test_children_wait_for_an_unfinished_parent(lab: LabSettings, tmp_path: Path) -> None:
    """In the lab as it is (moto never ends a closed shard and keeps routing records to the
    split parent), the parent is read on, every event lands once, and the children, whose
    parent never ends, are never leased."""
    pipeline, ids, last = _split(lab)
    assert set(last) == {PARENT}, "the lab routes every record to the parent"
    consume(pipeline, tmp_path, "solo", last, "--lease-seconds", "3")
    assert Counter(pipeline.landed_ids()) == Counter(ids)
    assert set(pipeline.leases()) == {PARENT}, "children are never leased before the parent ends"


class AwsShardEnds:
    """The lab's Kinesis as AWS ends a closed shard: once it is read to its end, no next
    iterator. (moto always returns one; this is the only behaviour the test adds.)"""

    def __init__(self, reader: ShardSource, kinesis: Any) -> None:
        self._reader = reader
        self._kinesis = kinesis
        self._shard_of: dict[str, str] = {}
        self.history: list[tuple[str, str]] = []  # ("open" | "end", shard id), in order

    def shards(self) -> list[Shard]:
        return self._reader.shards()

    def iterator(self, shard_id: str, checkpoint: str | None) -> str:
        iterator = self._reader.iterator(shard_id, checkpoint)
        self.history.append(("open", shard_id))
        self._shard_of[iterator] = shard_id
        return iterator

    def read(self, iterator: str, limit: int) -> Page:
        page = self._reader.read(iterator, limit)
        shard_id = self._shard_of[iterator]
        if not page.records and self._closed(shard_id):
            self.history.append(("end", shard_id))
            return Page([], None, page.millis_behind_latest)
        if page.next_iterator is not None:
            self._shard_of[page.next_iterator] = shard_id
        return page

    def oldest(self, shard_id: str) -> Record | None:
        return self._reader.oldest(shard_id)

    def _closed(self, shard_id: str) -> bool:
        shards = self._kinesis.list_shards(StreamName=STREAM)["Shards"]
        return any(
            s["ShardId"] == shard_id and "EndingSequenceNumber" in s["SequenceNumberRange"]
            for s in shards
        )


def test_parent_ends_then_children_are_leased(
    lab: LabSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With shards ending as on AWS: the parent's records land once, its checkpoint becomes
    SHARD_END, and only then does the consumer lease both children."""
    pipeline, ids, _ = _split(lab)
    for name, value in lab.aws_env().items():
        monkeypatch.setenv(name, value)
    config = ConsumerConfig(
        stream=STREAM,
        lease_table=LEASES,
        idempotency_table=IDEMPOTENCY,
        bucket=BUCKET,
        dlq_url=pipeline.dlq_url,
        consumer_id="solo",
        lease_seconds=3,
        endpoint_url=lab.endpoint,
    )
    services = service.connect(config, crash_at=None)
    ending = AwsShardEnds(services.reader, pipeline.client("kinesis"))
    consumer = service.Consumer(config, dataclasses.replace(services, reader=ending))
    stop = threading.Event()
    runner = threading.Thread(target=consumer.run, args=(stop,))
    runner.start()
    try:
        wait_for(
            lambda: (
                pipeline.checkpoints().get(PARENT) == "SHARD_END"
                and sorted(consumer.shards) == ["shardId-000000000001", "shardId-000000000002"]
            ),
            timeout=30,
            what="the parent ended and both children leased",
        )
    finally:
        stop.set()
        runner.join(timeout=30)
    assert Counter(pipeline.landed_ids()) == Counter(ids)
    parent_end = ending.history.index(("end", PARENT))
    children_open = [i for i, (_, shard) in enumerate(ending.history) if shard != PARENT]
    assert min(children_open) > parent_end
    assert {shard for shard, item in pipeline.leases().items() if "owner" in item} == set()
