"""One leased shard, landed one GetRecords batch at a time, strictly in order.

A batch goes: decode, counting poison records -> record its extent in the lease (inflight)
-> claim its event ids -> write its S3 objects -> checkpoint. Each step is idempotent for
the same batch key, and a redo after a crash reads the same extent, so a crash anywhere
repeats the batch with the same effects (docs/consumer.md walks through each case).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from chainops.consumer import layout
from chainops.consumer import metrics as names
from chainops.consumer.idempotency import IdempotencyTable
from chainops.consumer.leases import SHARD_END, InFlight, Lease, LeaseTable, Shard
from chainops.consumer.sinks import DeadLetterQueue, Lake
from chainops.consumer.stream import Page, Record, ShardSource
from chainops.pipeline.events import decode
from chainops.pipeline.metrics import Metrics

log = logging.getLogger(__name__)

CrashPoint = Literal["after-claim", "after-write"]
CRASH_POINTS: tuple[CrashPoint, ...] = ("after-claim", "after-write")
# Pause of a shard after a poison record, before it is read again.
RETRY_PAUSE_SECONDS = 1.0
# After a failed step (an AWS call failed past botocore's own retries): the pause doubles from
# the base with each failure in a row, up to the cap, half of it random so that the shards
# of all consumers do not retry a recovering service in step.
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 20.0


def backoff(failures: int, *, draw: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after the failures-th failed step in a row (equal jitter)."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** max(failures - 1, 0))
    return ceiling / 2 + draw(0, ceiling / 2)


@dataclass(frozen=True, slots=True)
class Services:
    """What every shard worker of a consumer shares."""

    reader: ShardSource
    leases: LeaseTable
    idempotency: IdempotencyTable
    lake: Lake
    dead_letters: DeadLetterQueue
    metrics: Metrics
    clock: Callable[[], float]
    max_attempts: int
    batch_limit: int
    # Test hook: called at each crash point of a batch that claimed events.
    crash_point: Callable[[CrashPoint], None]


class ShardWorker:
    def __init__(self, shard: Shard, lease: Lease, services: Services) -> None:
        self.shard = shard
        self._services = services
        self._checkpoint = lease.checkpoint
        self._inflight = lease.inflight
        self._iterator: str | None = None
        self._resume_at = 0.0
        self._failures = 0
        # After an iterator is opened from a checkpoint or an extent: whether the records
        # after them still exist is checked at the first page with records.
        self._verify = False
        # The oldest record's sequence number when a loss was last reported (reported once).
        self._lost_before: str | None = None
        # A crashed attempt's batch key whose first records expired: its claims are ours.
        self._orphan: str | None = None
        self.finished = lease.finished

    def ready(self) -> bool:
        return self._services.clock() >= self._resume_at

    def reset(self) -> float:
        """After a failed step: re-read from the checkpoint (the inflight extent still holds)
        after a backoff; the seconds of it."""
        self._iterator = None
        self._failures += 1
        pause = backoff(self._failures)
        self._resume_at = self._services.clock() + pause
        return pause

    def _pause(self) -> None:
        self._resume_at = self._services.clock() + RETRY_PAUSE_SECONDS

    def step(self) -> int:
        """Land the next batch; the number of records consumed. Raises LostLease, and AWS's
        errors (the caller resets the worker)."""
        consumed = self._step()
        self._failures = 0  # a later failure backs off from the start again
        return consumed

    def _step(self) -> int:
        services = self._services
        if self._iterator is None:
            self._iterator = services.reader.iterator(self.shard.shard_id, self._checkpoint)
            self._verify = self._checkpoint is not None or self._inflight is not None
        page = services.reader.read(self._iterator, services.batch_limit)
        services.metrics.observe(
            names.MILLIS_BEHIND_LATEST, page.millis_behind_latest, "Milliseconds"
        )
        if self._verify and page.records:
            self._check_expired()
            self._verify = False
        records, next_iterator, cut = self._extent(page)
        if not records:
            if next_iterator is None:  # AWS's end of a closed shard
                self._finish(SHARD_END)
            else:
                self._iterator = next_iterator
            return 0
        consumed = self._land(records)
        if consumed:
            cut = cut or len(consumed) < len(records)
            end = next_iterator is None and not cut
            self._finish(SHARD_END if end else consumed[-1].sequence_number)
        # After a cut, the next batch starts right after the checkpoint, not at page's end.
        self._iterator = None if cut or not consumed else next_iterator
        if not consumed:
            self._pause()  # its first record failed: retry it a little later
        return len(consumed)

    def _extent(self, page: Page) -> tuple[list[Record], str | None, bool]:
        """The records of this batch: the page, or exactly a crashed batch's records again."""
        inflight = self._inflight
        if inflight is None:
            return page.records, page.next_iterator, False
        records, next_iterator = list(page.records), page.next_iterator
        last = int(inflight.last_sequence)
        # Read on to the extent's end, however small the pages: a shorter redo under the same
        # key would checkpoint early and the rest of its ids would then be dropped as claimed.
        while next_iterator is not None and not (
            records and int(records[-1].sequence_number) >= last
        ):
            more = self._services.reader.read(next_iterator, self._services.batch_limit)
            if not more.records and more.millis_behind_latest == 0:
                break  # at the tip: nothing further exists yet
            records.extend(more.records)
            next_iterator = more.next_iterator
        if not records:
            return [], next_iterator, False  # nothing visible yet: keep the extent, read on
        kept = [r for r in records if int(r.sequence_number) <= last]
        if kept and self._key(kept[0]) == inflight.batch_key:
            return kept, next_iterator, len(kept) < len(records)
        # Its first records expired (reported by _check_expired): it cannot be repeated
        # exactly. The rest land under a new key; the ids the attempt claimed stay ours.
        log.warning(
            "inflight batch not found again",
            extra={"shard": self.shard.shard_id, "batch": inflight.batch_key},
        )
        self._orphan = inflight.batch_key
        self._inflight = None
        return page.records, page.next_iterator, False

    def _check_expired(self) -> None:
        """Report records after the checkpoint that expired unread (the stream's retention
        passed them while nothing landed them): an error log with the range, and a metric.

        With an inflight extent, its first record is known: it is lost if older than the
        oldest record left. Otherwise the checkpoint's record being gone says that whatever
        followed it up to the oldest left expired too; whether anything did, AWS's sequence
        numbers (with gaps) cannot tell, so it is reported as possible.
        """
        oldest = self._services.reader.oldest(self.shard.shard_id)
        if oldest is None:
            return
        inflight = self._inflight
        first = inflight.batch_key.rsplit("-", 1)[1] if inflight else None
        known = first if first is not None else self._checkpoint
        if known is None or int(oldest.sequence_number) <= int(known):
            return
        if self._lost_before is not None and int(oldest.sequence_number) <= int(self._lost_before):
            return  # this range was reported already
        self._lost_before = oldest.sequence_number
        log.error(
            "records expired before they were landed: data lost",
            extra={
                "shard": self.shard.shard_id,
                "after_sequence": self._checkpoint,
                "first_lost": first,
                "before_sequence": oldest.sequence_number,
                "before_arrival": oldest.arrival.isoformat(),
                "inflight_batch": inflight.batch_key if inflight else None,
                "certain": first is not None,
            },
        )
        self._services.metrics.observe(names.LOST_RANGES, 1, "Count")

    def _key(self, record: Record) -> str:
        return layout.batch_key(self.shard.shard_id, record.sequence_number)

    def _land(self, records: list[Record]) -> list[Record]:
        """Decode, claim, write; the records consumed (a prefix, up to a poison record)."""
        services = self._services
        lines: list[layout.LakeLine] = []
        consumed: list[Record] = []
        dead = 0
        for record in records:
            try:
                lines.append(layout.to_lake_line(decode(record.data), record.arrival))
            except Exception as error:  # any failure of one record makes it poison
                if not self._poisoned(record, error):
                    break  # retried later: the batch ends before it
                dead += 1
            consumed.append(record)
        if not consumed:
            return []
        key = self._key(consumed[0])
        if self._inflight is None:
            self._inflight = InFlight(key, consumed[-1].sequence_number)
            services.leases.begin(self.shard.shard_id, self._inflight)
        unique = _first_of_each(lines)
        duplicates = services.idempotency.claim(
            key,
            [line.event_id for line in unique],
            also_ours=[self._orphan] if self._orphan else [],
        )
        if unique:
            services.crash_point("after-claim")
        kept = [line for line in unique if line.event_id not in duplicates]
        services.lake.put(layout.lake_objects(key, kept))
        if unique:
            services.crash_point("after-write")
        durable = services.clock()
        for line in kept:
            if line.block_time is not None:
                services.metrics.observe(
                    names.BLOCK_PROCESSING_LAG, durable - line.block_time, "Seconds"
                )
        for name, value in (
            (names.RECORDS_PER_BATCH, len(consumed)),
            (names.EVENTS_LANDED, len(kept)),
            (names.DUPLICATES_DROPPED, len(lines) - len(kept)),
            (names.DEAD_LETTERED, dead),
        ):
            services.metrics.observe(name, value, "Count")
        log.debug(
            "batch landed",
            extra={"batch": key, "records": len(consumed), "landed": len(kept), "dead": dead},
        )
        return consumed

    def _poisoned(self, record: Record, error: Exception) -> bool:
        """Count a failed attempt; dead-letter the record once attempts reach the limit."""
        services = self._services
        shard_id = self.shard.shard_id
        attempts, sent = services.idempotency.count_attempt(shard_id, record.sequence_number)
        detail = f"{type(error).__name__}: {error}"
        log.warning(
            "record failed",
            extra={
                "shard": shard_id,
                "sequence_number": record.sequence_number,
                "attempts": attempts,
                "error": detail,
            },
        )
        if attempts < services.max_attempts:
            return False
        if not sent:
            services.dead_letters.send(shard_id, record, error=detail, attempts=attempts)
            services.idempotency.mark_dead_lettered(shard_id, record.sequence_number)
        return True

    def _finish(self, checkpoint: str) -> None:
        self._services.leases.checkpoint(self.shard.shard_id, checkpoint)
        self._checkpoint = checkpoint
        self._inflight = None
        self._orphan = None
        self.finished = checkpoint == SHARD_END


def _first_of_each(lines: list[layout.LakeLine]) -> list[layout.LakeLine]:
    """The batch without repeats of an id (a re-publish landing in the same batch)."""
    seen: set[str] = set()
    unique: list[layout.LakeLine] = []
    for line in lines:
        if line.event_id not in seen:
            seen.add(line.event_id)
            unique.append(line)
    return unique
