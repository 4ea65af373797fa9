"""Follows the commitment's tip and fetches every slot after the last one handed on.

Each wake-up (a slot notification, or the watchdog's timeout without one) compares the
commitment's tip with the next slot: one new slot is fetched with getBlock (-32007: skipped),
a longer range (lag, reconnect, stall, failover) is enumerated with getBlocks first (absent:
skipped) and backfilled in order. Blocks go into a bounded queue, so the fetcher waits while
the publisher is behind instead of buffering without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from chainops.listener.decode import block_events
from chainops.listener.errors import ListenerError
from chainops.listener.rpc import (
    BLOCK_CLEANED_UP,
    BLOCK_NOT_AVAILABLE,
    NodeUnavailable,
    RpcError,
)
from chainops.listener.slots import SlotFollower
from chainops.pipeline.events import Event

log = logging.getLogger(__name__)
BACKFILL_CHUNK = 1000  # slots per getBlocks call: bounds the listing and shows progress
LOGGED_BACKFILL = 4  # backfills of more slots than this are logged


@dataclass(frozen=True, slots=True)
class SlotBlock:
    """One slot's outcome: its events, or none for a skipped slot."""

    slot: int
    events: list[Event]
    skipped: bool = False


class BlockFetcher:
    """Hands every slot from ``next_slot`` on to the queue, in order, each exactly once."""

    def __init__(
        self, follower: SlotFollower, *, programs: frozenset[str], concurrency: int, next_slot: int
    ) -> None:
        self.follower = follower
        self.pool = follower.pool
        self.clock = follower.clock
        self.counters = follower.counters
        self.programs = programs
        self.concurrency = concurrency
        self.next_slot = next_slot
        self._cleaned_up_on: set[str] = set()

    async def run(self, out: asyncio.Queue[SlotBlock | None]) -> None:
        loop = asyncio.get_running_loop()
        wake = self.follower.wake
        progressed = loop.time()
        while True:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # races with the wake-up, and the fetcher would outlive the shutdown.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.clock.watchdog_s):
                    await wake.wait()
            wake.clear()
            generation = self.pool.generation
            try:
                tip = await self.pool.rpc.slot()
                self.pool.succeeded()
                if self.follower.processed is not None:
                    self.clock.observe_depth(self.follower.processed, tip)
                if tip >= self.next_slot:
                    await self._catch_up(tip, out)
                    progressed = loop.time()
                elif loop.time() - progressed > self.clock.commitment_watchdog_s:
                    self.counters.stalls += 1
                    log.warning("commitment stalled", extra={"tip": tip, "next": self.next_slot})
                    self.pool.fail_over(generation, f"{self.pool.commitment} tip stuck at {tip}")
                    progressed = loop.time()
            except NodeUnavailable as error:
                self.pool.failed(generation, str(error))
                await asyncio.sleep(self.clock.slot_time_s)
            except RpcError as error:
                if error.code != BLOCK_CLEANED_UP:
                    raise ListenerError(f"node {self.pool.current.rpc_url}: {error}") from error
                self._cleaned_up(generation, error)

    def _cleaned_up(self, generation: int, error: RpcError) -> None:
        """The node pruned the next slot: another node may still have it; none means loss."""
        self._cleaned_up_on.add(self.pool.current.rpc_url)
        if len(self._cleaned_up_on) >= len(self.pool.nodes):
            raise ListenerError(
                f"slot {self.next_slot} is cleaned up on every node ({error}); "
                "restart with a node that keeps it, or accept the loss with --start-slot"
            )
        self.pool.fail_over(generation, str(error))

    async def _catch_up(self, tip: int, out: asyncio.Queue[SlotBlock | None]) -> None:
        if tip == self.next_slot:
            await self._hand_on(await self._fetch(tip), out)
            return
        self.counters.backfills += 1
        if tip - self.next_slot >= LOGGED_BACKFILL:
            log.info("backfilling", extra={"from": self.next_slot, "to": tip})
        while self.next_slot <= tip:
            start = self.next_slot
            end = min(start + BACKFILL_CHUNK - 1, tip)
            present = set(await self.pool.rpc.blocks(start, end))
            # getBlocks leaves out pruned slots as it does skipped ones; asked after the
            # listing (pruning only moves forward), this tells the two apart.
            first_available = await self.pool.rpc.first_available_block()
            if start < first_available:
                raise RpcError(
                    BLOCK_CLEANED_UP,
                    f"slots from {start} are pruned; first available block {first_available}",
                )
            slots = list(range(start, end + 1))
            for index in range(0, len(slots), self.concurrency):
                window = slots[index : index + self.concurrency]
                fetched = await asyncio.gather(
                    *(self._fetch(s) if s in present else self._skipped(s) for s in window)
                )
                for block in fetched:
                    await self._hand_on(block, out)
                    self.counters.slots_backfilled += 1

    async def _hand_on(self, block: SlotBlock, out: asyncio.Queue[SlotBlock | None]) -> None:
        await out.put(block)
        self.next_slot = block.slot + 1
        self._cleaned_up_on.clear()

    async def _skipped(self, slot: int) -> SlotBlock:
        self.counters.slots_skipped += 1
        return SlotBlock(slot, [], skipped=True)

    async def _fetch(self, slot: int) -> SlotBlock:
        """getBlock, retried at the slot time while the block is not yet at the commitment."""
        attempts = 0
        while True:
            try:
                block = await self.pool.rpc.block(slot)
                break
            except RpcError as error:
                if error.code != BLOCK_NOT_AVAILABLE:
                    raise
                attempts += 1
                self.counters.not_available_retries += 1
                # The commitment trails by `depth` slots; well past that the node is not keeping up.
                if attempts * self.clock.slot_time_s > self.clock.commitment_watchdog_s:
                    raise NodeUnavailable(f"slot {slot} still not available: {error}") from error
                await asyncio.sleep(self.clock.slot_time_s)
        if block is None:
            return await self._skipped(slot)
        self.counters.blocks += 1
        return SlotBlock(slot, block_events(slot, block, self.programs))
