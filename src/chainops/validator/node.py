"""The slot loop: packs transactions into blocks, advances commitment, emits events."""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import random
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from solders.transaction import VersionedTransaction

from chainops.validator.bank import Bank, Rejected
from chainops.validator.config import MAX_PERF_SAMPLES, ValidatorConfig
from chainops.validator.faults import Faults
from chainops.validator.generator import LoadGenerator, genesis_accounts
from chainops.validator.ledger import Block, Commitment, Ledger, TxRecord
from chainops.validator.pubsub import Hub
from chainops.validator.record import Recorder, load
from chainops.validator.signer import SignerProcess
from chainops.validator.view import PerfSample

log = logging.getLogger(__name__)
EXECUTE_CHUNK = 200  # transactions between yields to the event loop, so RPC stays responsive


@dataclass
class SlotStats:
    """Per-slot timings the benchmark reads from the logs."""

    produced: int = 0
    skipped: int = 0
    transactions: int = 0
    rejected: int = 0
    intervals_ms: list[float] = field(default_factory=list)
    execute_ms: list[float] = field(default_factory=list)


class Node:
    """One validator: bank, ledger, generator, subscriptions, faults."""

    def __init__(self, config: ValidatorConfig) -> None:
        self.config = config
        self.bank = Bank(seed=config.seed)
        for address, account in genesis_accounts(config.seed):
            self.bank.svm.set_account(address, account)
        self.ledger = Ledger(
            retain=config.retain_blocks,
            confirmed_depth=config.confirmed_depth,
            finalized_depth=config.finalized_depth,
            retain_txs=config.retain_txs,
        )
        self.faults = Faults()
        self.hub = Hub(self)
        self.stats = SlotStats()
        self.generator = LoadGenerator(
            seed=config.seed,
            tps=0 if config.replay else config.tps,
            slot_ms=config.slot_ms,
            mix=dict(config.mix),
            signers=config.signers,
        )
        self._rng = random.Random(config.seed ^ 0x5EED)  # noqa: S311 - seeded skips
        self._pending: list[tuple[VersionedTransaction, bytes]] = []
        self._pending_signatures: set[str] = set()
        self._recorder = Recorder(config.record) if config.record else None
        self._replay: Iterator[list[TxRecord]] | None = None
        if config.replay is not None:
            recorded = load(config.replay)
            log.info("replay loaded", extra={"blocks": len(recorded), "path": str(config.replay)})
            self._replay = itertools.cycle(recorded) if recorded else None
        self.perf_samples: deque[PerfSample] = deque(maxlen=MAX_PERF_SAMPLES)
        self._notified: dict[Commitment, int] = {"confirmed": 0, "finalized": 0}
        self._unstalled = asyncio.Event()
        self._unstalled.set()
        self._first_slot = self._wall_clock_slot() or 0
        genesis = Block(
            slot=self._first_slot,
            parent_slot=max(self._first_slot - 1, 0),
            blockhash=str(self.bank.genesis_hash),
            previous_blockhash=str(self.bank.genesis_hash),
            block_time=int(time.time()),
            block_height=0,
            txs=(),
        )
        self.ledger.add(genesis)

    # -- transaction intake ---------------------------------------------------------------
    def is_known(self, signature: str) -> bool:
        return signature in self._pending_signatures or signature in self.ledger.signatures

    def submit(self, tx: VersionedTransaction, raw: bytes) -> None:
        signature = str(tx.signatures[0])
        if self.is_known(signature):
            return
        self._pending_signatures.add(signature)
        self._pending.append((tx, raw))
        self.hub.on_received(signature, self.ledger.slot_at("processed"))

    # -- slot loop ------------------------------------------------------------------------
    @property
    def interval_s(self) -> float:
        return self.config.replay_interval_s if self.config.replay else self.config.slot_ms / 1000

    def _wall_clock_slot(self) -> int | None:
        """The cluster's current slot by the shared genesis time (None without one)."""
        if self.config.genesis_time is None:
            return None
        return int((time.time() - self.config.genesis_time) * 1000 // self.config.slot_ms)

    async def run(self, stop: asyncio.Event) -> None:
        sampler = asyncio.create_task(self._sample(stop))
        try:
            await self._slots(stop)
        finally:
            sampler.cancel()

    async def _sample(self, stop: asyncio.Event) -> None:
        """Agave's performance sampler: slots and transactions per period, newest first."""
        period = self.config.sample_period_s
        ledger = self.ledger
        last = (ledger.current_slot, ledger.transaction_count, ledger.vote_count)
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), period)
                return
            except TimeoutError:
                pass
            now = (ledger.current_slot, ledger.transaction_count, ledger.vote_count)
            transactions = now[1] - last[1]
            self.perf_samples.appendleft(
                PerfSample(
                    slot=now[0],
                    num_transactions=transactions,
                    num_non_vote_transactions=transactions - (now[2] - last[2]),
                    num_slots=now[0] - last[0],
                    sample_period_secs=period,
                )
            )
            last = now

    async def _slots(self, stop: asyncio.Event) -> None:
        await self.generator.warm_up(SignerProcess.start)
        loop = asyncio.get_running_loop()
        interval = self.interval_s
        start = loop.time()
        slot = self._first_slot
        clock_slot = self._wall_clock_slot()
        if clock_slot is not None:
            # Slot boundaries on the shared clock; a node that fell behind (warm-up, a stall)
            # produces its missed slots back to back until it has caught up, as a real one does.
            assert self.config.genesis_time is not None  # noqa: S101 - implied by clock_slot
            start = loop.time() - (time.time() - self.config.genesis_time - slot * interval)
        last = start
        tick = 0
        while not stop.is_set():
            tick += 1
            delay = start + tick * interval - loop.time()
            if delay > 0:
                try:
                    await asyncio.wait_for(stop.wait(), delay)
                    break
                except TimeoutError:
                    pass
            else:
                # Behind schedule: still let RPC, websockets and SIGTERM in once per slot.
                await asyncio.sleep(0)
            if self.faults.stall_slots:
                stalled_at = loop.time()
                while self.faults.stall_slots and not stop.is_set():
                    await asyncio.sleep(0.01)
                if clock_slot is None:
                    start += loop.time() - stalled_at
                else:
                    tick -= 1  # this slot is still owed on the shared clock
                continue
            now = loop.time()
            self.stats.intervals_ms.append((now - last) * 1000)
            last = now
            slot += 1
            await self._slot(slot)

    def _skip(self) -> bool:
        if self.faults.skip_next > 0:
            self.faults.skip_next -= 1
            return True
        probability = self.faults.skip_probability
        if probability is None:
            probability = self.config.skip_probability
        return self._rng.random() < probability

    async def _slot(self, slot: int) -> None:
        ledger = self.ledger
        parent = ledger.order[-1]
        generated = await self.generator.take(self.bank.latest_blockhash)
        if self._skip():
            ledger.skip(slot)
            self.stats.skipped += 1
            self._carry(generated)
            return
        self.hub.on_slot(slot, parent, ledger.slot_at("finalized"))
        began = time.perf_counter()
        records = await self._execute(generated)
        parent_block = ledger.blocks[parent]
        blockhash = self.bank.next_blockhash(slot, len(records))
        block = Block(
            slot=slot,
            parent_slot=parent,
            blockhash=str(blockhash),
            previous_blockhash=parent_block.blockhash,
            block_time=int(time.time()),
            block_height=parent_block.block_height + 1,
            txs=tuple(records),
        )
        ledger.add(block)
        # The ledger holds millions of acyclic objects: keep the cyclic GC from rescanning
        # them every slot (pruned records are still freed by reference counting).
        gc.freeze()
        self.stats.produced += 1
        self.stats.transactions += len(records)
        self.stats.execute_ms.append((time.perf_counter() - began) * 1000)
        if self._recorder is not None:
            self._recorder.write(block)
        self._notify(block)

    def _carry(self, generated: list[bytes]) -> None:
        """A skipped leader's transactions are forwarded to the next one."""
        for raw in generated:
            self._pending.append((VersionedTransaction.from_bytes(raw), raw))

    async def _execute(self, generated: list[bytes]) -> list[TxRecord]:
        records: list[TxRecord] = []
        if self._replay is not None:
            records.extend(next(self._replay, []))
        pending, self._pending = self._pending, []
        self._pending_signatures.clear()
        execute = self.bank.execute
        from_bytes = VersionedTransaction.from_bytes
        work = [*pending, *((from_bytes(raw), raw) for raw in generated)]
        limit = self.config.max_block_txs
        if len(work) > limit:
            for tx, raw in work[limit:]:
                self._pending.append((tx, raw))
                self._pending_signatures.add(str(tx.signatures[0]))
            work = work[:limit]
        known = self.ledger.signatures
        for index, (tx, raw) in enumerate(work):
            if index and index % EXECUTE_CHUNK == 0:
                await asyncio.sleep(0)
            if str(tx.signatures[0]) in known:
                continue
            result = execute(tx, raw)
            if isinstance(result, Rejected):
                self.stats.rejected += 1
                continue
            records.append(result)
        return records

    def _notify(self, block: Block) -> None:
        hub = self.hub
        hub.on_block(block, "processed")
        levels: tuple[Commitment, ...] = ("confirmed", "finalized")
        for commitment in levels:
            level: Commitment = commitment
            target = self.ledger.slot_at(level)
            done = self._notified[level]
            if target <= done:
                continue
            for slot in self.ledger.slots_between(done + 1, target):
                hub.on_block(self.ledger.blocks[slot], level)
            self._notified[level] = target

    def close(self) -> None:
        self.generator.close()
        if self._recorder is not None:
            self._recorder.close()
