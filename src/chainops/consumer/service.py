"""The consumer process: keep a fair share of leases, land their shards, stop cleanly.

Each round lands one batch of every ready leased shard, the shards in parallel threads; a
shard is in one thread at a time and its batches follow each other, so it is strictly serial.
Every third of a lease period the process heartbeats, renews its leases and rebalances.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chainops.consumer.config import ConsumerConfig
from chainops.consumer.idempotency import CONCURRENCY, IdempotencyTable
from chainops.consumer.leases import LeaseTable, LostLease, plan
from chainops.consumer.sinks import DeadLetterQueue, Lake
from chainops.consumer.stream import StreamReader
from chainops.consumer.worker import CrashPoint, Services, ShardWorker
from chainops.daemon import log_json
from chainops.pipeline.metrics import Metrics

log = logging.getLogger(__name__)

# Shards served at once by one process: batches are latency-bound (AWS round trips).
SHARD_THREADS = 8
# Pause when no shard had records, so an idle consumer costs a few calls a second.
IDLE_SECONDS = 0.25
# botocore retries ride out a blip within a call (3 attempts: about 1.5 s); a longer
# outage fails the step, and the shard backs off with jitter (worker.backoff) and redoes it.
_CLIENT_CONFIG = Config(
    retries={"total_max_attempts": 3, "mode": "standard"},
    connect_timeout=5,
    max_pool_connections=CONCURRENCY + SHARD_THREADS,
)
# boto3-stubs types clients per literal service name; this module picks them by name.
_new_client: Callable[..., Any] = boto3.client


class ConsumerError(Exception):
    """The consumer cannot start (a missing resource, no credentials); the message says why."""


class Consumer:
    def __init__(self, config: ConsumerConfig, services: Services) -> None:
        self._config = config
        self._services = services
        self._workers: dict[str, ShardWorker] = {}
        self._rebalance_at = 0.0
        self._pool = ThreadPoolExecutor(max_workers=SHARD_THREADS, thread_name_prefix="shard")

    @property
    def shards(self) -> list[str]:
        return sorted(self._workers)

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set; then checkpointed leases are released for the others."""
        leases = self._services.leases
        self._release_stale()
        while not stop.is_set():
            if self._services.clock() >= self._rebalance_at:
                self._rebalance()
            ready = [shard_id for shard_id, worker in self._workers.items() if worker.ready()]
            consumed = 0
            # One batch of each ready shard at once: a shard's own batches stay strictly serial.
            for shard_id, (count, keep) in zip(
                ready, self._pool.map(self._step, ready), strict=True
            ):
                consumed += count
                if not keep:
                    del self._workers[shard_id]
            self._services.metrics.flush()
            if not consumed:
                stop.wait(IDLE_SECONDS)
        self._services.metrics.flush(force=True)
        try:
            for shard_id in list(self._workers):
                leases.release(shard_id)
            leases.leave()
        except (ClientError, BotoCoreError) as error:
            # Checkpoints are written already; unreleased leases simply expire.
            log.warning("leases not released", extra={"error": str(error)})
            return
        log.info("consumer stopped", extra={"released": self.shards})

    def _release_stale(self) -> None:
        """Free leases a previous process with our consumer id held, for the plan to count."""
        table, _ = self._services.leases.scan()
        for shard_id, lease in table.items():
            if lease.owner == self._config.consumer_id:
                self._services.leases.release(shard_id)

    def _step(self, shard_id: str) -> tuple[int, bool]:
        """One batch of a shard: (records consumed, whether to keep serving the shard)."""
        worker = self._workers[shard_id]
        try:
            consumed = worker.step()
        except LostLease as error:
            # Another holder may be at work: stop this shard now; a rebalance looks again.
            log.warning("shard dropped", extra={"shard": shard_id, "reason": str(error)})
            return 0, False
        except (ClientError, BotoCoreError) as error:
            pause = worker.reset()
            log.warning(
                "batch failed",
                extra={"shard": shard_id, "error": str(error), "retry_in_s": round(pause, 2)},
            )
            return 0, True
        if worker.finished:
            log.info("shard finished", extra={"shard": shard_id})
            self._services.leases.release(shard_id)
            return consumed, False
        return consumed, True

    def _rebalance(self) -> None:
        services = self._services
        leases = services.leases
        self._rebalance_at = services.clock() + self._config.lease_seconds / 3
        try:
            leases.heartbeat()
            for shard_id in list(self._workers):
                try:
                    leases.renew(shard_id)
                except LostLease:
                    log.warning("lease lost", extra={"shard": shard_id})
                    del self._workers[shard_id]
            shards = services.reader.shards()
            table, live = leases.scan()
            decision = plan(
                shards,
                table,
                me=self._config.consumer_id,
                live_consumers=live,
                now=services.clock(),
            )
            for shard_id in decision.shed:
                leases.release(shard_id)
                self._workers.pop(shard_id, None)
            by_id = {shard.shard_id: shard for shard in shards}
            for shard_id in decision.take:
                try:
                    lease = leases.take(shard_id)
                except LostLease:
                    continue  # another consumer was quicker
                self._workers[shard_id] = ShardWorker(by_id[shard_id], lease, services)
        except (ClientError, BotoCoreError) as error:
            log.warning("rebalance failed", extra={"error": str(error)})
            return
        if decision.take or decision.shed:
            log.info(
                "leases rebalanced",
                extra={"took": decision.take, "shed": decision.shed, "shards": self.shards},
            )


def connect(config: ConsumerConfig, *, crash_at: CrashPoint | None) -> Services:
    """Clients for the consumer's resources, checked once so a wrong name fails at start."""

    def client(service: str) -> Any:
        return _new_client(service, endpoint_url=config.endpoint_url, config=_CLIENT_CONFIG)

    try:
        kinesis, dynamodb, s3, sqs = (client(s) for s in ("kinesis", "dynamodb", "s3", "sqs"))
        cloudwatch = client("cloudwatch")
        kinesis.describe_stream_summary(StreamName=config.stream)
        for table in (config.lease_table, config.idempotency_table):
            dynamodb.describe_table(TableName=table)
        s3.head_bucket(Bucket=config.bucket)
        sqs.get_queue_attributes(QueueUrl=config.dlq_url, AttributeNames=["QueueArn"])
    except (ClientError, BotoCoreError) as error:
        raise ConsumerError(str(error)) from error
    clock = time.time
    return Services(
        reader=StreamReader(kinesis, stream=config.stream),
        leases=LeaseTable(
            dynamodb,
            table=config.lease_table,
            stream=config.stream,
            owner=config.consumer_id,
            lease_seconds=config.lease_seconds,
        ),
        idempotency=IdempotencyTable(
            dynamodb,
            table=config.idempotency_table,
            ttl_seconds=config.idempotency_ttl_seconds,
            clock=clock,
        ),
        lake=Lake(s3, bucket=config.bucket),
        dead_letters=DeadLetterQueue(sqs, queue_url=config.dlq_url, stream=config.stream),
        metrics=Metrics(
            cloudwatch,
            namespace=config.metrics_namespace,
            dimensions={"Stream": config.stream},
            clock=clock,
        ),
        clock=clock,
        max_attempts=config.max_attempts,
        batch_limit=config.batch_limit,
        crash_point=_crash_hook(crash_at),
    )


def _crash_hook(crash_at: CrashPoint | None) -> Callable[[CrashPoint], None]:
    def crash_point(point: CrashPoint) -> None:
        if point == crash_at:
            log.warning("crashing on purpose", extra={"at": point})
            os.kill(os.getpid(), signal.SIGKILL)

    return crash_point


def run(config: ConsumerConfig, *, crash_at: CrashPoint | None = None) -> int:
    """The foreground service: JSON logs on stderr, clean exit on SIGTERM or SIGINT."""
    log_json()
    services = connect(config, crash_at=crash_at)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # The batch in hand finishes and is checkpointed: the loop checks between batches.
        signal.signal(signum, lambda *_: stop.set())
    log.info("consumer started", extra={"consumer": config.consumer_id, "stream": config.stream})
    Consumer(config, services).run(stop)
    return 0
