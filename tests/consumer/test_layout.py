"""Key layout, hour grouping and object bodies of the data lake."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import orjson
import pytest

from chainops.consumer import layout
from chainops.pipeline.events import Event

ARRIVAL = datetime(2026, 12, 2, 5, 30, tzinfo=UTC)


def _event(signature: str, block_time: int | None) -> Event:
    return Event(type="transaction", slot=7, tx_index=0, signature=signature, block_time=block_time)


def test_batch_key_is_shard_and_first_sequence() -> None:
    """A batch is named by where it starts, so a re-read from the checkpoint repeats it."""
    assert layout.batch_key("shardId-000000000001", "4960") == "shardId-000000000001-4960"


def test_object_key_is_partitioned_by_event_hour() -> None:
    """events/dt=<day>/hour=<HH>/<batch key>.jsonl.gz, in UTC."""
    line = layout.to_lake_line(_event("a", 1_796_185_200), ARRIVAL)  # 2026-12-02T04:20:00Z
    assert line.partition == "dt=2026-12-02/hour=04"
    assert layout.object_key(line.partition, "shardId-000000000000-1") == (
        "events/dt=2026-12-02/hour=04/shardId-000000000000-1.jsonl.gz"
    )


def test_missing_block_time_falls_back_to_arrival() -> None:
    """Without a block time the record's Kinesis arrival (stable across re-reads) places it."""
    assert layout.to_lake_line(_event("a", None), ARRIVAL).partition == "dt=2026-12-02/hour=05"


def test_group_by_hour_keeps_stream_order() -> None:
    """Events of two hours make two groups, each in the order the stream gave them."""
    times = [1_796_185_200, 1_796_188_800, 1_796_185_201, 1_796_188_801]
    lines = [layout.to_lake_line(_event(f"s{i}", t), ARRIVAL) for i, t in enumerate(times)]
    groups = layout.group_by_hour(lines)
    assert {k: [line.event_id for line in v] for k, v in groups.items()} == {
        "dt=2026-12-02/hour=04": ["s0", "s2"],
        "dt=2026-12-02/hour=05": ["s1", "s3"],
    }


def test_objects_are_deterministic_gzip_json_lines() -> None:
    """Same batch, same bytes: a redo overwrites an object with identical content."""
    lines = [layout.to_lake_line(_event(f"s{i}", 1_796_185_200 + i), ARRIVAL) for i in range(3)]
    first = layout.lake_objects("shardId-000000000000-9", lines)
    assert first == layout.lake_objects("shardId-000000000000-9", lines)
    (body,) = first.values()
    parsed = [orjson.loads(row) for row in gzip.decompress(body).splitlines()]
    assert [(r["id"], r["type"], r["slot"], r["signature"]) for r in parsed] == [
        (f"s{i}", "transaction", 7, f"s{i}") for i in range(3)
    ]


def test_block_time_out_of_range_is_refused() -> None:
    """An event the lake cannot place raises, so the consumer treats its record as poison."""
    with pytest.raises((ValueError, OverflowError, OSError)):
        layout.to_lake_line(_event("a", 10**18), ARRIVAL)
