"""PutRecords with retry of only the failed entries, and a publisher that bounds what is in flight.

boto3 is synchronous: calls run in a thread pool with at most ``max_in_flight`` batches out at
once; the publisher waits for a free slot, which backs up the block queue and so the fetcher.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from chainops.listener.batcher import Batcher, Record, record_of
from chainops.listener.errors import ListenerError
from chainops.listener.fetcher import SlotBlock
from chainops.listener.stats import Counters
from chainops.listener.tracker import SlotTracker

log = logging.getLogger(__name__)
BACKOFF_BASE_S = 0.05
BACKOFF_CAP_S = 5.0
RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "LimitExceededException",
        "KMSThrottlingException",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)


def backoff_s(attempt: int, *, uniform: Callable[[float, float], float] = random.uniform) -> float:
    """Full jitter: a uniform wait up to an exponentially growing, capped bound."""
    return uniform(0.0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))


class Sink(Protocol):
    """Where batches go: Kinesis in service, an in-memory sink in the publisher's tests."""

    counters: Counters

    async def put(self, batch: list[Record]) -> None:
        """Return once every record of ``batch`` is stored; raise if that cannot happen."""


class KinesisSink:
    """Puts one batch until every entry is in the stream."""

    def __init__(
        self, client: Any, *, stream: str, executor: ThreadPoolExecutor, counters: Counters
    ) -> None:
        self.client = client
        self.stream = stream
        self.executor = executor
        self.counters = counters

    async def put(self, batch: list[Record]) -> None:
        """Send ``batch``; a partial failure re-sends only the entries that failed."""
        loop = asyncio.get_running_loop()
        pending = batch
        attempt = 0
        while pending:
            entries = [{"Data": r.data, "PartitionKey": r.partition_key} for r in pending]
            try:
                answer = await loop.run_in_executor(self.executor, self._put_records, entries)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code not in RETRYABLE:
                    raise ListenerError(f"PutRecords to {self.stream}: {error}") from error
                self.counters.calls_retried += 1
                log.info("PutRecords refused, retrying", extra={"code": code, "n": len(pending)})
            except BotoCoreError as error:
                self.counters.calls_retried += 1
                log.warning("PutRecords failed, retrying", extra={"error": str(error)})
            else:
                # Entries answer in request order; only those with an ErrorCode were not stored.
                pending = [
                    record
                    for record, entry in zip(pending, answer["Records"], strict=True)
                    if "ErrorCode" in entry
                ]
                if not pending:
                    return
                self.counters.records_retried += len(pending)
                log.info(
                    "PutRecords partly failed, retrying the failed entries",
                    extra={"failed": len(pending), "of": len(entries)},
                )
            await asyncio.sleep(backoff_s(attempt))
            attempt += 1

    def _put_records(self, entries: list[dict[str, Any]]) -> Any:
        return self.client.put_records(StreamName=self.stream, Records=entries)


class Publisher:
    """Queue of slots -> records -> batches (on size or linger) -> the sink, acks the tracker."""

    def __init__(
        self,
        sink: Sink,
        *,
        tracker: SlotTracker,
        batch_records: int,
        linger_s: float,
        max_in_flight: int,
    ) -> None:
        self.sink = sink
        self.tracker = tracker
        self.counters = sink.counters
        self.linger_s = linger_s
        self.batcher = Batcher(max_records=batch_records)
        self.failure: BaseException | None = None
        self.failed = asyncio.Event()
        self._free = asyncio.Semaphore(max_in_flight)
        self._sends: set[asyncio.Task[None]] = set()

    async def run(self, queue: asyncio.Queue[SlotBlock | None]) -> None:
        """Until a None arrives: then flush what is batched and wait for every send."""
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        while True:
            timeout = None if deadline is None else max(deadline - loop.time(), 0.0)
            try:
                async with asyncio.timeout(timeout):  # see BlockFetcher.run: not wait_for
                    item = await queue.get()
            except TimeoutError:
                await self._send(self.batcher.flush())
                deadline = None
                continue
            if item is None:
                break
            records = [record_of(event) for event in item.events]
            self.tracker.open(item.slot, len(records))
            for record in records:
                full = self.batcher.add(record)
                if full:
                    await self._send(full)
                    deadline = None
            if len(self.batcher) and deadline is None:
                deadline = loop.time() + self.linger_s
        await self._send(self.batcher.flush())
        await self.drain()

    async def drain(self) -> None:
        while self._sends:
            await asyncio.gather(*self._sends)

    async def _send(self, batch: list[Record]) -> None:
        if not batch:
            return
        await self._free.acquire()
        task = asyncio.create_task(self._put(batch))
        self._sends.add(task)
        task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sends.discard(task)
        self._free.release()

    async def _put(self, batch: list[Record]) -> None:
        try:
            await self.sink.put(batch)
        except Exception as error:  # handed to the service, which stops
            self.failure = error
            self.failed.set()
            return
        self.tracker.ack(record.slot for record in batch)
        self.counters.events_published += len(batch)
        self.counters.batches_published += 1
