"""Where things land: batch keys, the data lake's date/hour partitions and object bodies.

Every name here is a pure function of the records, so redoing a batch after a crash writes
the same objects under the same keys.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from chainops.pipeline.events import Event

LAKE_PREFIX = "events"


@dataclass(frozen=True, slots=True)
class LakeLine:
    """One event made ready for the lake: its partition and its JSON line."""

    event_id: str
    partition: str
    line: bytes
    block_time: int | None


def batch_key(shard_id: str, first_sequence_number: str) -> str:
    """`<shard id>-<first sequence number>`: a re-read from the same checkpoint repeats it."""
    return f"{shard_id}-{first_sequence_number}"


def partition(moment: datetime) -> str:
    """The Hive-style partition of a moment, in UTC: `dt=2026-12-02/hour=04`."""
    utc = moment.astimezone(UTC)
    return f"dt={utc:%Y-%m-%d}/hour={utc:%H}"


def object_key(partition_name: str, key: str) -> str:
    return f"{LAKE_PREFIX}/{partition_name}/{key}.jsonl.gz"


def to_lake_line(event: Event, arrival: datetime) -> LakeLine:
    """The event's line, partitioned by its block time (Kinesis arrival when it has none).

    Raises (ValueError, OverflowError, orjson.JSONEncodeError) for an event the lake cannot
    hold, such as a block_time out of range: the consumer treats that record as poison.
    """
    moment = arrival if event.block_time is None else datetime.fromtimestamp(event.block_time, UTC)
    return LakeLine(
        event_id=event.id,
        partition=partition(moment),
        line=orjson.dumps(event.to_dict()) + b"\n",
        block_time=event.block_time,
    )


def group_by_hour(lines: Iterable[LakeLine]) -> dict[str, list[LakeLine]]:
    """Lines by partition, in stream order within each."""
    groups: dict[str, list[LakeLine]] = {}
    for line in lines:
        groups.setdefault(line.partition, []).append(line)
    return groups


def jsonl_gz(lines: Iterable[LakeLine]) -> bytes:
    """gzip JSON Lines with a fixed mtime, so equal events give equal bytes."""
    return gzip.compress(b"".join(line.line for line in lines), mtime=0)


def lake_objects(key: str, lines: Iterable[LakeLine]) -> dict[str, bytes]:
    """The objects one batch writes: object key -> body, one object per hour present."""
    return {object_key(name, key): jsonl_gz(group) for name, group in group_by_hour(lines).items()}
