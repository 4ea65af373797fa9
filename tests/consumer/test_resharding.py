"""Resharding: a split parent shard is finished (SHARD_END) before its children are taken."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from chainops.lab.settings import LabSettings
from tests.consumer.helpers import STREAM, make_events, make_pipeline, start_consumer, wait_for

PARENT = "shardId-000000000000"


def test_parent_finished_before_children(lab: LabSettings, tmp_path: Path) -> None:
    """After splitting the only shard, its records land once, it ends with SHARD_END, and only
    then are the children leased. (The lab's moto still routes new records to the closed
    parent, so the children stay empty here; on AWS they would take the new records.)"""
    pipeline = make_pipeline(lab, shards=1)
    events = make_events(100)
    pipeline.put_events(events[:50])
    pipeline.client("kinesis").split_shard(
        StreamName=STREAM, ShardToSplit=PARENT, NewStartingHashKey=str(2**127)
    )
    last = pipeline.put_events(events[50:])
    consumer = start_consumer(pipeline, tmp_path, "solo", "--lease-seconds", "3")
    try:
        wait_for(
            lambda: (
                len(pipeline.leases()) == 3
                and all(
                    "owner" in item for shard, item in pipeline.leases().items() if shard != PARENT
                )
            ),
            timeout=30,
            what="both children leased",
        )
        assert pipeline.caught_up(last)
    finally:
        assert consumer.stop() == 0
    assert pipeline.checkpoints()[PARENT] == "SHARD_END"
    assert Counter(pipeline.landed_ids()) == Counter(e.id for e in events)
    lines = consumer.log_lines()
    finished = next(i for i, line in enumerate(lines) if line["msg"] == "shard finished")
    children_taken = [
        i for i, line in enumerate(lines)
        if line["msg"] == "leases rebalanced" and set(line["took"]) - {PARENT}
    ]  # fmt: skip
    assert children_taken
    assert min(children_taken) > finished
