"""The publisher's batching, in-flight bound and acknowledgements, with an in-memory sink."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from chainops.listener.batcher import Record
from chainops.listener.fetcher import SlotBlock
from chainops.listener.kinesis import Publisher
from chainops.listener.stats import Counters
from chainops.listener.tracker import SlotTracker
from chainops.pipeline.events import Event


class MemorySink:
    """Stores batches after a delay, remembering how many puts overlapped at most."""

    def __init__(self, *, delay_s: float = 0.0) -> None:
        self.counters = Counters()
        self.delay_s = delay_s
        self.batches: list[list[Record]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def put(self, batch: list[Record]) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self.delay_s)
        self.in_flight -= 1
        self.batches.append(batch)


def _block(slot: int, transactions: int) -> SlotBlock:
    events = [
        Event("transaction", slot, index, f"sig-{slot}-{index}", None, {"fee": 5000})
        for index in range(transactions)
    ]
    return SlotBlock(slot, events)


async def _publish(
    publisher: Publisher, blocks: list[SlotBlock], *, queue_size: int = 4
) -> list[int]:
    """Feed blocks through a bounded queue; the queue sizes seen while feeding."""
    queue: asyncio.Queue[SlotBlock | None] = asyncio.Queue(queue_size)
    running = asyncio.create_task(publisher.run(queue))
    sizes = []
    for block in [*blocks, None]:
        await queue.put(block)
        sizes.append(queue.qsize())
    await asyncio.wait_for(running, 10)
    return sizes


@pytest.mark.asyncio
async def test_full_batches_go_at_once_and_puts_in_flight_stay_bounded():
    """3,000 records leave as six full batches, never more than two puts at the same time."""
    sink = MemorySink(delay_s=0.01)
    tracker = SlotTracker(after=99)
    publisher = Publisher(sink, tracker=tracker, batch_records=500, linger_s=60, max_in_flight=2)
    await _publish(publisher, [_block(slot, 300) for slot in range(100, 110)])
    assert [len(batch) for batch in sink.batches] == [500] * 6
    assert sink.most_in_flight == 2
    assert tracker.watermark == 109
    assert sink.counters.events_published == 3000
    ids = [record.data for batch in sink.batches for record in batch]
    assert len(set(ids)) == 3000


@pytest.mark.asyncio
async def test_linger_sends_a_partial_batch_and_skipped_slots_complete():
    """A partial batch leaves after the linger time; a skipped slot completes in order."""
    sink = MemorySink()
    tracker = SlotTracker(after=9)
    publisher = Publisher(sink, tracker=tracker, batch_records=500, linger_s=0.05, max_in_flight=1)
    queue: asyncio.Queue[SlotBlock | None] = asyncio.Queue(4)
    running = asyncio.create_task(publisher.run(queue))
    await queue.put(_block(10, 3))
    await queue.put(SlotBlock(11, [], skipped=True))
    await asyncio.sleep(0.2)
    assert [len(batch) for batch in sink.batches] == [3]
    assert tracker.watermark == 11
    await queue.put(None)
    await asyncio.wait_for(running, 5)


@pytest.mark.asyncio
async def test_a_slow_sink_backs_up_the_queue_instead_of_buffering():
    """With puts slow and one in flight, the publisher stops taking blocks: the queue fills."""
    sink = MemorySink(delay_s=0.05)
    tracker = SlotTracker(after=0)
    publisher = Publisher(sink, tracker=tracker, batch_records=10, linger_s=60, max_in_flight=1)
    sizes = await _publish(publisher, [_block(slot, 10) for slot in range(1, 21)], queue_size=3)
    assert max(sizes) == 3, "the fetcher side waited on a full queue"
    assert tracker.watermark == 20


@pytest.mark.asyncio
async def test_a_sink_failure_is_reported_and_not_acknowledged():
    """A batch the sink cannot store sets `failed`; its slots stay unpublished."""

    class BrokenSink(MemorySink):
        async def put(self, batch: list[Record]) -> None:
            raise RuntimeError("stream deleted")

    tracker = SlotTracker(after=0)
    publisher = Publisher(
        BrokenSink(), tracker=tracker, batch_records=5, linger_s=60, max_in_flight=1
    )
    queue: asyncio.Queue[SlotBlock | None] = asyncio.Queue(4)
    running = asyncio.create_task(publisher.run(queue))
    await queue.put(_block(1, 5))
    await asyncio.wait_for(publisher.failed.wait(), 5)
    assert str(publisher.failure) == "stream deleted"
    assert tracker.watermark == 0
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
