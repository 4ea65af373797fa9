"""Lab resources, events and consumer subprocesses for the consumer's tests."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from chainops.pipeline.events import Event
from tests.helpers import create_key_table

STREAM = "chainops-events"
LEASES = "chainops-leases"
IDEMPOTENCY = "chainops-idempotency"
BUCKET = "chainops-lake"
DLQ = "chainops-dlq"
NAMESPACE = "Chainops/Consumer"
CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]
CATCH_UP_S = 60
# 2026-12-02T03:00:00Z: test events span this hour and the next.
BASE_BLOCK_TIME = 1_796_180_400


@dataclass
class Pipeline:
    lab: LabSettings
    dlq_url: str
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = clients.client(self.lab, service)
        return self.clients[service]

    def flags(self, *extra: str) -> list[str]:
        return [
            "--stream", STREAM,
            "--lease-table", LEASES,
            "--idempotency-table", IDEMPOTENCY,
            "--bucket", BUCKET,
            "--dlq-url", self.dlq_url,
            "--endpoint-url", self.lab.endpoint,
            *extra,
        ]  # fmt: skip

    def put(self, payloads: Iterable[tuple[bytes, str]]) -> dict[str, str]:
        """Put (data, partition key) records in order; the last sequence number per shard."""
        last: dict[str, str] = {}
        kinesis = self.client("kinesis")
        batch = list(payloads)
        for start in range(0, len(batch), 500):
            answer = kinesis.put_records(
                StreamName=STREAM,
                Records=[{"Data": d, "PartitionKey": k} for d, k in batch[start : start + 500]],
            )
            assert answer.get("FailedRecordCount", 0) == 0
            for entry in answer["Records"]:
                last[entry["ShardId"]] = entry["SequenceNumber"]
        return last

    def put_events(self, events: Iterable[Event]) -> dict[str, str]:
        return self.put((event.encode(), event.partition_key) for event in events)

    def landed_ids(self) -> list[str]:
        """Every event id in the lake, one per line of every object (repeats kept)."""
        s3 = self.client("s3")
        ids: list[str] = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            for entry in page.get("Contents", []):
                body = s3.get_object(Bucket=BUCKET, Key=entry["Key"])["Body"].read()
                for line in gzip.decompress(body).splitlines():
                    record = orjson.loads(line)
                    assert {"type", "slot", "signature"} <= set(record)
                    ids.append(record["id"])
        return ids

    def object_keys(self) -> list[str]:
        answer = self.client("s3").list_objects_v2(Bucket=BUCKET)
        return [entry["Key"] for entry in answer.get("Contents", [])]

    def table_items(self, table: str) -> list[dict[str, Any]]:
        pages = self.client("dynamodb").get_paginator("scan").paginate(TableName=table)
        return [item for page in pages for item in page["Items"]]

    def claimed_ids(self) -> list[str]:
        keys = [item["idempotency_key"]["S"] for item in self.table_items(IDEMPOTENCY)]
        return [key for key in keys if not key.startswith("poison#")]

    def leases(self) -> dict[str, dict[str, Any]]:
        """Lease items by shard id."""
        found = {}
        for item in self.table_items(LEASES):
            key = item["lease_key"]["S"]
            if key.startswith(f"{STREAM}#"):
                found[key.split("#", 1)[1]] = item
        return found

    def checkpoints(self) -> dict[str, str]:
        return {
            shard: item["checkpoint"]["S"]
            for shard, item in self.leases().items()
            if "checkpoint" in item
        }

    def caught_up(self, last: dict[str, str]) -> bool:
        """Every shard's checkpoint has reached its last put sequence number."""
        done = self.checkpoints()
        return all(
            shard in done and (done[shard] == "SHARD_END" or int(done[shard]) >= int(seq))
            for shard, seq in last.items()
        )

    def wait_caught_up(self, last: dict[str, str]) -> None:
        wait_for(lambda: self.caught_up(last), timeout=CATCH_UP_S, what="checkpoints")

    def dead_letters(self) -> list[dict[str, Any]]:
        sqs = self.client("sqs")
        messages: list[dict[str, Any]] = []
        while True:
            answer = sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10)
            if not answer.get("Messages"):
                return messages
            messages.extend(json.loads(m["Body"]) for m in answer["Messages"])


def make_pipeline(lab: LabSettings, *, shards: int) -> Pipeline:
    kinesis = clients.client(lab, "kinesis")
    kinesis.create_stream(StreamName=STREAM, ShardCount=shards)
    dynamodb = clients.client(lab, "dynamodb")
    create_key_table(dynamodb, LEASES, "lease_key")
    create_key_table(dynamodb, IDEMPOTENCY, "idempotency_key", ttl_attribute="expires_at")
    clients.client(lab, "s3").create_bucket(Bucket=BUCKET)
    dlq_url = clients.client(lab, "sqs").create_queue(QueueName=DLQ)["QueueUrl"]
    return Pipeline(lab=lab, dlq_url=dlq_url)


def make_events(count: int, *, prefix: str = "sig") -> list[Event]:
    """Transactions whose block times span two hours, with a log event every fifth."""
    events: list[Event] = []
    for i in range(count):
        block_time = BASE_BLOCK_TIME + (i * 7200) // count
        signature = f"{prefix}{i:06d}"
        if i % 5 == 4:
            events.append(
                Event(
                    type="log",
                    slot=i,
                    tx_index=0,
                    signature=signature,
                    block_time=block_time,
                    data={"line": f"Program log: {i}"},
                    instruction_index=0,
                    log_index=1,
                )
            )
        else:
            events.append(
                Event(type="transaction", slot=i, tx_index=0, signature=signature,
                      block_time=block_time, data={"fee": 5000})
            )  # fmt: skip
    return events


@dataclass
class ConsumerProcess:
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def log_lines(self) -> list[dict[str, Any]]:
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


def start_consumer(
    pipeline: Pipeline, tmp: Path, consumer_id: str, *extra: str, crash_at: str | None = None
) -> ConsumerProcess:
    """`chainops consumer` against the lab, logging to a file under tmp."""
    env = {**os.environ, **pipeline.lab.aws_env()}
    env.pop("CHAINOPS_CONSUMER_CRASH_AT", None)
    if crash_at:
        env["CHAINOPS_CONSUMER_CRASH_AT"] = crash_at
    log = tmp / f"consumer-{consumer_id}-{time.monotonic_ns()}.log"
    command = [*CLI, "consumer", *pipeline.flags("--consumer-id", consumer_id, *extra)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=out, env=env)
    return ConsumerProcess(process, log)


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def consume(
    pipeline: Pipeline, tmp: Path, consumer_id: str, last: dict[str, str], *extra: str
) -> ConsumerProcess:
    """Run a consumer until every shard is checkpointed up to `last`; SIGTERM must exit 0."""
    consumer = start_consumer(pipeline, tmp, consumer_id, *extra)
    try:
        pipeline.wait_caught_up(last)
    finally:
        assert consumer.stop() == 0
    return consumer
