"""The listener's counters, logged periodically and on exit."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Counters:
    events_published: int = 0
    batches_published: int = 0
    records_retried: int = 0  # failed entries of a PutRecords answer, sent again
    calls_retried: int = 0  # whole PutRecords calls refused (throttled) and sent again
    blocks: int = 0
    slots_skipped: int = 0
    not_available_retries: int = 0  # getBlock -32004: not yet at the commitment
    gaps_detected: int = 0  # notifications jumped, a reconnect, or a watchdog stall
    backfills: int = 0  # slot ranges enumerated with getBlocks
    slots_backfilled: int = 0
    reconnects: int = 0
    stalls: int = 0
    failovers: int = 0
    checkpoints: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
