"""The pipeline's event: what the listener publishes to Kinesis and the consumers land in S3.

One event per transaction (``type="transaction"``) and one per matched program log
(``type="log"``). Every event carries ``(slot, tx_index)`` for ordering and an ``id`` that is a
pure function of the chain (the signature, plus instruction and log position for log events),
so a re-published event has the same id and the consumers' idempotency key deduplicates it.

On the wire an event is one compact JSON object (orjson); in the data lake it is one JSON line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

EventType = Literal["transaction", "log"]
EVENT_TYPES: tuple[EventType, ...] = ("transaction", "log")

# Kinesis service limits the listener's batches respect.
MAX_RECORD_BYTES = 1024 * 1024
MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 5 * 1024 * 1024


class EventError(ValueError):
    """A record that is not a pipeline event (the consumers dead-letter it)."""


@dataclass(frozen=True, slots=True)
class Event:
    """A transaction, or one program log line matched by a filter, at ``(slot, tx_index)``.

    ``instruction_index`` and ``log_index`` are set for log events only: the instruction whose
    program emitted the log and the line's position in the transaction's log messages.
    ``data`` holds the type's payload (fee, status, accounts, the log line, ...).
    """

    type: EventType
    slot: int
    tx_index: int
    signature: str
    block_time: int | None
    data: dict[str, Any] = field(default_factory=dict)
    instruction_index: int | None = None
    log_index: int | None = None

    @property
    def id(self) -> str:
        """Deterministic id: the signature, or ``signature:instruction:log`` for a log event."""
        if self.type == "transaction":
            return self.signature
        return f"{self.signature}:{self.instruction_index}:{self.log_index}"

    @property
    def partition_key(self) -> str:
        """Kinesis partition key: the id's hash, so one slot's burst spreads over every shard."""
        return hashlib.blake2b(self.id.encode(), digest_size=16).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "slot": self.slot,
            "tx_index": self.tx_index,
            "signature": self.signature,
            "block_time": self.block_time,
            "data": self.data,
        }
        if self.type == "log":
            record["instruction_index"] = self.instruction_index
            record["log_index"] = self.log_index
        return record

    def encode(self) -> bytes:
        """The Kinesis record payload (compact JSON)."""
        return orjson.dumps(self.to_dict())


def decode(payload: bytes | str) -> Event:
    """Parse a record payload; EventError names what is wrong with a malformed one."""
    try:
        record = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise EventError(f"not JSON: {error}") from error
    if not isinstance(record, dict):
        raise EventError(f"not a JSON object: {type(record).__name__}")
    return from_dict(record)


def from_dict(record: dict[str, Any]) -> Event:
    """Build an Event from its JSON object, checking the fields every consumer relies on."""
    kind = record.get("type")
    if kind not in EVENT_TYPES:
        raise EventError(f"type must be one of {EVENT_TYPES}, got {kind!r}")
    for name in ("slot", "tx_index"):
        value = record.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise EventError(f"{name} must be a non-negative integer, got {value!r}")
    signature = record.get("signature")
    if not isinstance(signature, str) or not signature:
        raise EventError(f"signature must be a non-empty string, got {signature!r}")
    block_time = record.get("block_time")
    if block_time is not None and not isinstance(block_time, int):
        raise EventError(f"block_time must be an integer or null, got {block_time!r}")
    data = record.get("data", {})
    if not isinstance(data, dict):
        raise EventError(f"data must be an object, got {type(data).__name__}")
    event = Event(
        type=kind,
        slot=record["slot"],
        tx_index=record["tx_index"],
        signature=signature,
        block_time=block_time,
        data=data,
        instruction_index=record.get("instruction_index"),
        log_index=record.get("log_index"),
    )
    if "id" in record and record["id"] != event.id:
        raise EventError(f"id {record['id']!r} does not match the event's {event.id!r}")
    return event
