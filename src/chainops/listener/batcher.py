"""Packing events into PutRecords batches within Kinesis' limits. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from chainops.pipeline.events import MAX_BATCH_BYTES, MAX_BATCH_RECORDS, MAX_RECORD_BYTES, Event


class RecordTooLarge(ValueError):
    """An event whose record exceeds Kinesis' 1 MiB limit: no batch can carry it."""


@dataclass(frozen=True, slots=True)
class Record:
    """One PutRecords entry, remembering its slot for the completeness tracker."""

    data: bytes
    partition_key: str
    slot: int

    @property
    def size(self) -> int:
        """What Kinesis counts against its limits: the payload plus the partition key."""
        return len(self.data) + len(self.partition_key)


def record_of(event: Event) -> Record:
    """The event's record; RecordTooLarge names the event when it cannot be sent."""
    record = Record(event.encode(), event.partition_key, event.slot)
    if record.size > MAX_RECORD_BYTES:
        raise RecordTooLarge(
            f"event {event.id} at slot {event.slot} is {record.size} bytes; "
            f"Kinesis takes at most {MAX_RECORD_BYTES} per record"
        )
    return record


class Batcher:
    """Accumulates records; hands back a batch as soon as the next record would not fit."""

    def __init__(
        self, *, max_records: int = MAX_BATCH_RECORDS, max_bytes: int = MAX_BATCH_BYTES
    ) -> None:
        if not 1 <= max_records <= MAX_BATCH_RECORDS:
            raise ValueError(f"max_records must be in 1..{MAX_BATCH_RECORDS}")
        if not MAX_RECORD_BYTES <= max_bytes <= MAX_BATCH_BYTES:
            raise ValueError(f"max_bytes must be in {MAX_RECORD_BYTES}..{MAX_BATCH_BYTES}")
        self.max_records = max_records
        self.max_bytes = max_bytes
        self._records: list[Record] = []
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._records)

    def add(self, record: Record) -> list[Record] | None:
        """Add one record; a full batch to send now, or None while the batch still has room."""
        if record.size > MAX_RECORD_BYTES:
            raise RecordTooLarge(f"record of {record.size} bytes at slot {record.slot}")
        full = None
        if self._bytes + record.size > self.max_bytes:
            full = self.flush()
        self._records.append(record)
        self._bytes += record.size
        if full is None and len(self._records) >= self.max_records:
            full = self.flush()
        return full

    def flush(self) -> list[Record]:
        """The pending records as one batch (possibly empty); the batcher starts over."""
        batch, self._records, self._bytes = self._records, [], 0
        return batch
