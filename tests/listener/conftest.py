"""Real parts for the listener's tests: lab Kinesis/DynamoDB, validator and listener processes."""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from chainops.listener.config import ListenerConfig
from chainops.pipeline.events import Event, decode
from tests.helpers import ServiceProcess, metric_statistics
from tests.validator_node import FAST, Validator, start_validator_process

TABLE = "listener-checkpoints"
RUN_SLOTS = 40  # 2 s of 50 ms slots
LISTENER_ID = "test-listener"


@dataclass
class Aws:
    settings: LabSettings
    kinesis: Any
    dynamodb: Any
    stream: str

    def checkpoint(self) -> int | None:
        item = self.dynamodb.get_item(
            TableName=TABLE, Key={"listener_id": {"S": LISTENER_ID}}, ConsistentRead=True
        ).get("Item")
        return None if item is None else int(item["slot"]["N"])

    def metric_sums(self, name: str) -> list[float]:
        """The last hour's sum of one of the listener's metrics for this stream, if any."""
        points = metric_statistics(
            clients.client(self.settings, "cloudwatch"),
            ListenerConfig.model_fields["metrics_namespace"].default,
            name,
            {"Stream": self.stream},
            Statistics=["Sum"],
        )
        return [float(point["Sum"]) for point in points]

    def events(self) -> list[Event]:
        """Every record of every shard, from the start of the stream."""
        events: list[Event] = []
        for shard in self.kinesis.list_shards(StreamName=self.stream)["Shards"]:
            iterator = self.kinesis.get_shard_iterator(
                StreamName=self.stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            while iterator:
                answer = self.kinesis.get_records(ShardIterator=iterator, Limit=10_000)
                events.extend(decode(record["Data"]) for record in answer["Records"])
                if not answer["Records"]:
                    break
                iterator = answer.get("NextShardIterator")
        return events


@pytest.fixture
def lab_aws(lab: LabSettings) -> Aws:
    """The stream (two shards) and checkpoint table the blockchain stack would create.

    The stream is named per test: validators all count slots from 0, so a stream that
    outlived a lab reset would hold other runs' events at the same slots.
    """
    kinesis = clients.client(lab, "kinesis")
    dynamodb = clients.client(lab, "dynamodb")
    stream = f"chain-events-{uuid.uuid4().hex[:8]}"
    kinesis.create_stream(StreamName=stream, ShardCount=2)
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "listener_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "listener_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    kinesis.get_waiter("stream_exists").wait(StreamName=stream)
    return Aws(lab, kinesis, dynamodb, stream)


@pytest.fixture
def start_validator(tmp_path: Path) -> Iterator[Callable[..., Validator]]:
    """Validators on 50 ms slots with load and 1 s performance samples; stopped afterwards."""
    started: list[Validator] = []

    def start(*args: str) -> Validator:
        extra = ["--tps", "200", "--signers", "0", "--sample-period-s", "1", *args]
        validator = start_validator_process(tmp_path, [*FAST, *extra])
        started.append(validator)
        return validator

    yield start
    for validator in started:
        validator.stop()


class ListenerProcess(ServiceProcess):
    def counters(self) -> dict[str, int]:
        (stopped,) = self.logged("listener stopped")
        counters: dict[str, int] = stopped["counters"]
        return counters


@pytest.fixture
def start_listener(tmp_path: Path, lab_aws: Aws) -> Iterator[Callable[..., ListenerProcess]]:
    """`chainops listener` subprocesses against the lab; any still running are killed after."""
    started: list[ListenerProcess] = []

    def start(*validators: Validator, args: tuple[str, ...] = ()) -> ListenerProcess:
        nodes = [f for v in validators for f in ("--rpc", v.rpc_url, "--ws", v.ws_url)]
        command = [
            sys.executable,
            "-c",
            "import sys; from chainops.cli import main; sys.exit(main())",
            "listener",
            *nodes,
            "--stream", lab_aws.stream,
            "--checkpoint-table", TABLE,
            "--listener-id", LISTENER_ID,
            "--endpoint-url", lab_aws.settings.endpoint,
            "--linger-ms", "50",
            "--checkpoint-interval-s", "0.2",
            "--stats-interval-s", "2",
            *args,
        ]  # fmt: skip
        log = tmp_path / f"listener-{len(started)}.log"
        env = {**os.environ, **lab_aws.settings.aws_env()}
        listener = ListenerProcess.spawn(command, log, env)
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.kill()


def rpc(url: str, method: str, params: list[Any]) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    assert "error" not in answer, answer
    return answer["result"]


def chain_signatures(validator: Validator, first: int, last: int) -> dict[int, list[str]]:
    """Each block's transaction signatures in [first, last], as the validator serves them."""
    config = {"commitment": "confirmed"}
    blocks: dict[int, list[str]] = {}
    for slot in rpc(validator.rpc_url, "getBlocks", [first, last, config]):
        block = rpc(
            validator.rpc_url,
            "getBlock",
            [slot, {**config, "transactionDetails": "signatures", "rewards": False}],
        )
        blocks[slot] = block["signatures"]
    return blocks


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def published_signatures(events: list[Event], first: int, last: int) -> dict[int, list[str]]:
    """Transaction signatures per slot in [first, last] as the stream holds them (with repeats)."""
    blocks: dict[int, list[str]] = {}
    for event in sorted(events, key=lambda e: (e.slot, e.tx_index)):
        if event.type == "transaction" and first <= event.slot <= last:
            blocks.setdefault(event.slot, []).append(event.signature)
    return blocks


def assert_same_blocks(published: dict[int, list[str]], expected: dict[int, list[str]]) -> None:
    """Per slot, the stream's transactions are the block's, in order; differences named."""
    differing = {
        slot: {
            "missing": sorted(set(expected.get(slot, [])) - set(published.get(slot, []))),
            "extra": sorted(set(published.get(slot, [])) - set(expected.get(slot, []))),
            "counts": (len(expected.get(slot, [])), len(published.get(slot, []))),
        }
        for slot in sorted(set(published) | set(expected))
        if published.get(slot) != expected.get(slot)
    }
    assert not differing, f"slots differing from the chain: {differing}"


def distinct(published: dict[int, list[str]]) -> dict[int, list[str]]:
    """Each slot's signatures with repeats (at-least-once) removed, first occurrence kept."""
    return {slot: list(dict.fromkeys(signatures)) for slot, signatures in published.items()}


def advance(aws: Aws, past: int, *, slots: int = RUN_SLOTS, timeout: float = 30) -> int:
    """Wait for the checkpoint to reach ``past + slots``; the checkpoint then."""
    return int(
        wait_for(
            lambda: (c := aws.checkpoint()) is not None and c >= past + slots and c,
            timeout=timeout,
            what=f"the checkpoint to pass {past + slots}",
        )
    )


def stop_and_check(
    listener: ListenerProcess, validator: Validator, aws: Aws, first: int
) -> tuple[list[Event], int]:
    """SIGTERM, then every transaction of [first, checkpoint] is in the stream at least once."""
    assert listener.terminate() == 0, listener.log.read_text()
    last = aws.checkpoint()
    assert last is not None
    events = aws.events()
    expected = chain_signatures(validator, first, last)
    assert_same_blocks(distinct(published_signatures(events, first, last)), expected)
    return events, last


__all__ = ["FAST", "Aws", "ListenerProcess", "Validator", "start_validator_process"]
