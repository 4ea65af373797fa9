"""Reading a Kinesis stream: its shards, iterators and one GetRecords page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chainops.consumer.leases import Shard

# GetRecords calls at most in looking for a shard's oldest record.
_OLDEST_PAGES = 3


@dataclass(frozen=True, slots=True)
class Record:
    sequence_number: str
    data: bytes
    partition_key: str
    arrival: datetime


@dataclass(frozen=True, slots=True)
class Page:
    records: list[Record]
    # None once a closed shard has been read to its end (SHARD_END).
    next_iterator: str | None
    millis_behind_latest: int


class ShardSource(Protocol):
    """Where shard workers read: Kinesis (StreamReader), or a test's wrapper of it."""

    def shards(self) -> list[Shard]: ...

    def iterator(self, shard_id: str, checkpoint: str | None) -> str: ...

    def read(self, iterator: str, limit: int) -> Page: ...

    def oldest(self, shard_id: str) -> Record | None: ...


class StreamReader:
    def __init__(self, kinesis: Any, *, stream: str) -> None:
        self._kinesis = kinesis
        self._stream = stream

    def shards(self) -> list[Shard]:
        found: list[Shard] = []
        request: dict[str, Any] = {"StreamName": self._stream}
        while True:
            answer = self._kinesis.list_shards(**request)
            for shard in answer["Shards"]:
                parents = (shard.get("ParentShardId"), shard.get("AdjacentParentShardId"))
                found.append(Shard(shard["ShardId"], parents=tuple(p for p in parents if p)))
            token = answer.get("NextToken")
            if not token:
                return found
            request = {"NextToken": token}

    def iterator(self, shard_id: str, checkpoint: str | None) -> str:
        """An iterator just after the checkpoint, or at the oldest record without one."""
        position: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": checkpoint}
            if checkpoint
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        answer = self._kinesis.get_shard_iterator(
            StreamName=self._stream, ShardId=shard_id, **position
        )
        return str(answer["ShardIterator"])

    def read(self, iterator: str, limit: int) -> Page:
        answer = self._kinesis.get_records(ShardIterator=iterator, Limit=limit)
        return Page(
            records=[
                Record(
                    sequence_number=r["SequenceNumber"],
                    data=r["Data"],
                    partition_key=r["PartitionKey"],
                    arrival=r["ApproximateArrivalTimestamp"],
                )
                for r in answer["Records"]
            ],
            next_iterator=answer.get("NextShardIterator"),
            millis_behind_latest=int(answer.get("MillisBehindLatest", 0)),
        )

    def oldest(self, shard_id: str) -> Record | None:
        """The shard's oldest record not yet trimmed (None: none found)."""
        answer = self._kinesis.get_shard_iterator(
            StreamName=self._stream, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
        )
        iterator: str | None = str(answer["ShardIterator"])
        # AWS may answer empty pages while it skips an empty stretch of the shard: a few more.
        for _ in range(_OLDEST_PAGES):
            if iterator is None:
                break
            page = self.read(iterator, 1)
            if page.records:
                return page.records[0]
            if page.millis_behind_latest == 0:
                break
            iterator = page.next_iterator
        return None
