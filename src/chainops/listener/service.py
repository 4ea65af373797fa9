"""The listener service: wires follower, fetcher, publisher and checkpointer, and stops cleanly.

slotSubscribe ──wake──> fetcher ──SlotBlock──> [bounded queue] ──> publisher ──> Kinesis
(watchdog)              getSlot/getBlocks/getBlock                 batches, retries
                                                                    │ acks
DynamoDB checkpoint <── checkpointer <── tracker watermark <────────┘
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import aiohttp
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chainops.daemon import log_json
from chainops.listener.checkpoint import CheckpointStore
from chainops.listener.clock import ChainClock
from chainops.listener.config import ListenerConfig
from chainops.listener.errors import ListenerError
from chainops.listener.fetcher import BlockFetcher, SlotBlock
from chainops.listener.kinesis import KinesisSink, Publisher
from chainops.listener.rpc import Node, NodePool, NodeUnavailable, RpcError
from chainops.listener.slots import SlotFollower
from chainops.listener.stats import Counters
from chainops.listener.tracker import SlotTracker
from chainops.pipeline.metrics import Metrics

log = logging.getLogger(__name__)
RPC_TIMEOUT_S = 10.0
GC_GEN0_THRESHOLD = 50_000  # allocations between young-generation collections (default 700)
# The listener's metrics (namespace: the config's metrics_namespace, dimension Stream).
SLOT_LAG = "SlotLag"  # slots between the node's processed tip and the last slot fully published
EVENTS_PUBLISHED = "EventsPublished"
METER_SAMPLE_S = 5.0  # metrics are sampled this often (at most), published each interval
SAMPLE_REFRESH_S = 60.0  # Agave's sample period; until the first sample, every slot-time x 20


@dataclass(frozen=True)
class Pipeline:
    """The running parts of one listener, from the node pool to the completeness tracker."""

    pool: NodePool
    follower: SlotFollower
    fetcher: BlockFetcher
    publisher: Publisher
    queue: asyncio.Queue[SlotBlock | None]
    tracker: SlotTracker


class Listener:
    """One run of the service, from the checkpoint to a stop (signal or fatal error)."""

    def __init__(
        self, config: ListenerConfig, *, kinesis: Any, dynamodb: Any, cloudwatch: Any
    ) -> None:
        self.config = config
        self.counters = Counters()
        self.clock = ChainClock()
        self.store = CheckpointStore(
            dynamodb, table=config.checkpoint_table, listener_id=config.listener_id
        )
        self.metrics = Metrics(
            cloudwatch,
            namespace=config.metrics_namespace,
            dimensions={"Stream": config.stream},
            clock=time.monotonic,
            interval_seconds=config.metrics_interval_s,
        )
        self._published_metered = 0  # events_published at the last metrics sample
        # PutRecords in flight, the checkpoint and the metrics each take a thread.
        self.executor = ThreadPoolExecutor(config.max_in_flight + 2, thread_name_prefix="aws")
        self.kinesis = kinesis
        self.saved: int | None = None

    async def serve(self, stop: asyncio.Event) -> int:
        """Run until ``stop`` is set (exit 0 after flushing) or a fatal error (exit 1)."""
        config = self.config
        timeout = aiohttp.ClientTimeout(total=RPC_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            pool = NodePool(
                [Node(rpc, ws) for rpc, ws in config.nodes],
                session=session,
                commitment=config.commitment,
                counters=self.counters,
            )
            self.saved = await self._in_thread(self._resources)
            start = await self._start_slot(pool, stop)
            if start is None:
                return 0
            log.info(
                "listener starting",
                extra={"from_slot": start, "checkpoint": self.saved, "node": pool.current.rpc_url},
            )
            tracker = SlotTracker(after=start - 1)
            follower = SlotFollower(
                pool, clock=self.clock, counters=self.counters, wake=asyncio.Event()
            )
            sink = KinesisSink(
                self.kinesis, stream=config.stream, executor=self.executor, counters=self.counters
            )
            pipeline = Pipeline(
                pool=pool,
                follower=follower,
                fetcher=BlockFetcher(
                    follower,
                    programs=config.programs,
                    concurrency=config.fetch_concurrency,
                    next_slot=start,
                ),
                publisher=Publisher(
                    sink,
                    tracker=tracker,
                    batch_records=config.batch_records,
                    linger_s=config.linger_ms / 1000,
                    max_in_flight=config.max_in_flight,
                ),
                queue=asyncio.Queue(config.queue_blocks),
                tracker=tracker,
            )
            return await self._supervise(stop, pipeline)

    async def _supervise(self, stop: asyncio.Event, pipeline: Pipeline) -> int:
        queue, publisher, tracker = pipeline.queue, pipeline.publisher, pipeline.tracker
        sources = [
            asyncio.create_task(pipeline.follower.run(), name="follower"),
            asyncio.create_task(pipeline.fetcher.run(queue), name="fetcher"),
            asyncio.create_task(self._sample(pipeline.pool), name="sampler"),
        ]
        publishing = asyncio.create_task(publisher.run(queue), name="publisher")
        background = [
            asyncio.create_task(self._checkpoints(tracker), name="checkpointer"),
            asyncio.create_task(self._report(tracker, queue), name="stats"),
            asyncio.create_task(self._meter(pipeline.follower, tracker), name="metrics"),
        ]
        waits = [
            asyncio.create_task(stop.wait()),
            asyncio.create_task(publisher.failed.wait()),
        ]
        await asyncio.wait([*waits, publishing, *sources], return_when=asyncio.FIRST_COMPLETED)
        error = publisher.failure or self._crash([*sources, publishing])
        for task in sources:
            task.cancel()
        await asyncio.gather(*sources, return_exceptions=True)
        if error is None:
            # Graceful: everything fetched is published and acknowledged before the checkpoint.
            try:
                await asyncio.wait_for(
                    self._drain(queue, publishing), self.config.shutdown_timeout_s
                )
            except TimeoutError:
                log.warning("shutdown timed out; unpublished slots stay after the checkpoint")
            error = publisher.failure or self._crash([publishing])
        rest: list[asyncio.Task[Any]] = [publishing, *background, *waits]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)
        await self._checkpoint(tracker.watermark)
        self._observe(pipeline.follower, tracker)
        await self._in_thread(functools.partial(self.metrics.flush, force=True))
        self.executor.shutdown(wait=False, cancel_futures=True)
        extra = {"checkpoint": self.saved, "counters": self.counters.as_dict()}
        if error is not None:
            log.error("listener failed", extra={**extra, "error": str(error)})
            return 1
        log.info("listener stopped", extra=extra)
        return 0

    @staticmethod
    async def _drain(
        queue: asyncio.Queue[SlotBlock | None], publishing: asyncio.Task[None]
    ) -> None:
        """The end marker behind what is queued (waiting while the queue is full), then the end."""
        await queue.put(None)
        await asyncio.shield(publishing)

    @staticmethod
    def _crash(tasks: list[asyncio.Task[Any]]) -> BaseException | None:
        for task in tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                return task.exception()
        return None

    def _resources(self) -> int | None:
        """Fail fast on a missing stream or table, then the stored checkpoint."""
        try:
            self.kinesis.describe_stream_summary(StreamName=self.config.stream)
            return self.store.load()
        except (BotoCoreError, ClientError) as error:
            raise ListenerError(f"AWS resources not usable: {error}") from error

    async def _start_slot(self, pool: NodePool, stop: asyncio.Event) -> int | None:
        """After the checkpoint, else --start-slot, else the commitment's tip (None: stopped)."""
        if self.saved is not None:
            return self.saved + 1
        if self.config.start_slot is not None:
            return self.config.start_slot
        while not stop.is_set():
            generation = pool.generation
            try:
                return await pool.rpc.slot()
            except (NodeUnavailable, RpcError) as error:
                pool.failed(generation, str(error))
                await asyncio.sleep(1.0)
        return None

    async def _sample(self, pool: NodePool) -> None:
        """Reads the slot time from getRecentPerformanceSamples, often until one exists."""
        while True:
            with contextlib.suppress(NodeUnavailable, RpcError):
                self.clock.observe_samples(await pool.rpc.performance_samples(1))
            await asyncio.sleep(SAMPLE_REFRESH_S if self.clock.sampled else self.clock.watchdog_s)

    async def _checkpoints(self, tracker: SlotTracker) -> None:
        while True:
            await asyncio.sleep(self.config.checkpoint_interval_s)
            await self._checkpoint(tracker.watermark)

    async def _checkpoint(self, slot: int) -> None:
        if self.saved is not None and slot <= self.saved:
            return
        try:
            advanced = await self._in_thread(self.store.save, slot)
        except Exception as error:  # retried at the next interval
            log.warning("checkpoint write failed", extra={"slot": slot, "error": str(error)})
            return
        if not advanced:
            log.warning(
                "checkpoint is ahead of this listener (another instance?)", extra={"slot": slot}
            )
        self.saved = slot
        self.counters.checkpoints += 1

    async def _report(self, tracker: SlotTracker, queue: asyncio.Queue[SlotBlock | None]) -> None:
        while True:
            await asyncio.sleep(self.config.stats_interval_s)
            log.info(
                "listener stats",
                extra={
                    "counters": self.counters.as_dict(),
                    "watermark": tracker.watermark,
                    "pending_slots": tracker.pending_slots,
                    "queued_blocks": queue.qsize(),
                    "slot_s": self.clock.slot_s,
                    "depth": self.clock.depth,
                },
            )

    async def _meter(self, follower: SlotFollower, tracker: SlotTracker) -> None:
        every = min(METER_SAMPLE_S, self.config.metrics_interval_s)
        while True:
            await asyncio.sleep(every)
            self._observe(follower, tracker)
            await self._in_thread(self.metrics.flush)

    def _observe(self, follower: SlotFollower, tracker: SlotTracker) -> None:
        if follower.processed is not None:
            lag = max(follower.processed - tracker.watermark, 0)
            self.metrics.observe(SLOT_LAG, lag, "Count")
        published = self.counters.events_published
        self.metrics.observe(EVENTS_PUBLISHED, published - self._published_metered, "Count")
        self._published_metered = published

    async def _in_thread(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)


def aws_clients(config: ListenerConfig) -> tuple[Any, Any, Any]:
    """Kinesis, DynamoDB and CloudWatch clients; the listener retries itself (metrics: at the
    next flush), so botocore does not."""
    settings = Config(
        retries={"total_max_attempts": 1},
        max_pool_connections=config.max_in_flight + 2,
        connect_timeout=5,
        read_timeout=10,  # a hung call holds a pool thread; exit waits for it
    )
    session = boto3.session.Session(region_name=config.region)
    clients = [
        session.client(name, endpoint_url=config.endpoint_url, config=settings)
        for name in ("kinesis", "dynamodb", "cloudwatch")
    ]
    return clients[0], clients[1], clients[2]


def relax_gc() -> None:
    """Fewer cyclic GC passes: decoded blocks are acyclic and freed by reference counting.

    Parsing a block allocates tens of thousands of dicts and lists, each pass of the default
    thresholds rescanning them (and boto3's large module graph, frozen here) for nothing.
    """
    gc.freeze()
    gc.set_threshold(GC_GEN0_THRESHOLD, 20, 20)


def run(config: ListenerConfig) -> int:
    """The foreground service: JSON logs on stderr; SIGTERM/SIGINT flush, checkpoint, exit 0."""
    log_json()
    try:
        kinesis, dynamodb, cloudwatch = aws_clients(config)
    except BotoCoreError as error:  # no region, a malformed endpoint
        log.error("listener failed", extra={"error": str(error)})
        return 1
    relax_gc()

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        try:
            listener = Listener(config, kinesis=kinesis, dynamodb=dynamodb, cloudwatch=cloudwatch)
            return await listener.serve(stop)
        except ListenerError as error:
            log.error("listener failed", extra={"error": str(error)})
            return 1

    return asyncio.run(main())
