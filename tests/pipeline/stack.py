"""The whole pipeline on the lab: its AWS resources, listener and consumer processes, the lake.

Shared by the end-to-end test and benchmarks/pipeline_e2e.py: both run the real CLIs as
subprocesses against a lab AWS and a lab validator, and read the results back with boto3.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chainops.consumer import permissions as consumer_permissions
from chainops.consumer.config import ConsumerConfig
from chainops.consumer.layout import LAKE_PREFIX
from chainops.lab.aws import clients
from chainops.lab.aws.clients import RoleSession
from chainops.lab.settings import LabSettings
from chainops.listener import permissions as listener_permissions
from chainops.listener.config import ListenerConfig
from tests.helpers import create_key_table

CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]


@dataclass
class Service:
    """A `chainops` subprocess logging JSON lines to a file."""

    process: subprocess.Popen[bytes]
    log: Path

    def lines(self) -> list[dict[str, Any]]:
        text = self.log.read_text().splitlines()
        return [json.loads(line) for line in text if line.startswith("{")]

    def logged(self, message: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line.get("msg") == message]

    def wait_logged(self, message: str, timeout: float = 30) -> dict[str, Any]:
        """The first log line with this message; fails if the process exits first."""

        def found() -> dict[str, Any] | None:
            assert self.process.poll() is None, self.log.read_text()[-4000:]
            return next(iter(self.logged(message)), None)

        return dict(wait_for(found, timeout=timeout, what=repr(message), every=0.1))

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM (graceful: flush, checkpoint, release) and the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no flush, no checkpoint, leases left to expire."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@dataclass
class Stack:
    """One pipeline's resources, named per run so nothing is shared with an earlier one."""

    lab: LabSettings
    run: str
    dlq_url: str = ""
    clients: dict[str, Any] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    sessions: dict[str, RoleSession] = field(default_factory=dict)
    _lake: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def stream(self) -> str:
        return f"events-{self.run}"

    @property
    def checkpoints(self) -> str:
        return f"checkpoints-{self.run}"

    @property
    def leases(self) -> str:
        return f"leases-{self.run}"

    @property
    def idempotency(self) -> str:
        return f"idempotency-{self.run}"

    @property
    def bucket(self) -> str:
        return f"lake-{self.run}"

    def arns(self) -> dict[str, str]:
        """Each permission list's resource kind (its Sid) -> this stack's ARN for it."""
        region, account = self.lab.regions[0], self.account
        table = f"arn:aws:dynamodb:{region}:{account}:table"
        return {
            "Stream": f"arn:aws:kinesis:{region}:{account}:stream/{self.stream}",
            "CheckpointTable": f"{table}/{self.checkpoints}",
            "LeaseTable": f"{table}/{self.leases}",
            "IdempotencyTable": f"{table}/{self.idempotency}",
            "LakeBucket": f"arn:aws:s3:::{self.bucket}",
            "LakeObjects": f"arn:aws:s3:::{self.bucket}/{LAKE_PREFIX}/*",
            "DeadLetterQueue": f"arn:aws:sqs:{region}:{account}:dlq-{self.run}",
        }

    @property
    def account(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    def policy(self, process: str, *, without: str | None = None) -> str:
        """The process's policy as the blockchain stack grants it (its permission list), on
        this stack's resources; ``without`` leaves one action out."""
        actions, namespace = _PROCESSES[process]
        arns = self.arns()
        statements: list[dict[str, Any]] = []
        for kind in sorted({kind for kinds in actions.values() for kind in kinds}):
            granted = sorted(a for a, kinds in actions.items() if kind in kinds and a != without)
            if not granted:
                continue
            if kind == "Metrics":
                condition = {"StringEquals": {"cloudwatch:namespace": namespace}}
                statements.append(
                    {"Sid": kind, "Effect": "Allow", "Action": granted, "Resource": "*",
                     "Condition": condition}
                )  # fmt: skip
            else:
                statements.append(
                    {"Sid": kind, "Effect": "Allow", "Action": granted, "Resource": arns[kind]}
                )
        return json.dumps({"Version": "2012-10-17", "Statement": statements})

    def role_name(self, process: str) -> str:
        return f"{process}-{self.run}"

    def grant(self, process: str, *, without: str | None = None) -> None:
        """(Re)write the process role's policy, optionally short of one action."""
        self.client("iam").put_role_policy(
            RoleName=self.role_name(process),
            PolicyName="pipeline",
            PolicyDocument=self.policy(process, without=without),
        )

    def session(self, process: str) -> RoleSession:
        """Credentials of the process's role, from the lab's STS (one session per process kind)."""
        if process not in self.sessions:
            iam = self.client("iam")
            trust = {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]},
                }],
            }  # fmt: skip
            role = iam.create_role(
                RoleName=self.role_name(process), AssumeRolePolicyDocument=json.dumps(trust)
            )["Role"]["Arn"]
            self.grant(process)
            self.sessions[process] = clients.assume_role(self.lab, role, f"{process}-{self.run}")
        return self.sessions[process]

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = clients.client(self.lab, service)
        return self.clients[service]

    @classmethod
    def create(cls, lab: LabSettings, *, shards: int = 2) -> Stack:
        """Stream, checkpoint/lease/idempotency tables, bucket and DLQ, as the stack makes them."""
        stack = cls(lab, uuid.uuid4().hex[:8])
        stack.client("kinesis").create_stream(StreamName=stack.stream, ShardCount=shards)
        dynamodb = stack.client("dynamodb")
        create_key_table(dynamodb, stack.checkpoints, "listener_id")
        create_key_table(dynamodb, stack.leases, "lease_key")
        create_key_table(dynamodb, stack.idempotency, "idempotency_key", ttl_attribute="expires_at")
        stack.client("s3").create_bucket(Bucket=stack.bucket)
        queue = stack.client("sqs").create_queue(QueueName=f"dlq-{stack.run}")
        stack.dlq_url = queue["QueueUrl"]
        stack.client("kinesis").get_waiter("stream_exists").wait(StreamName=stack.stream)
        return stack

    def _start(self, tmp: Path, args: list[str], env: dict[str, str] | None = None) -> Service:
        """`chainops ARGS` logging to its own file (a restart gets a new one), as its role."""
        role = self.session(args[0]).env()
        environment = {**os.environ, **self.lab.aws_env(), **role, **(env or {})}
        log = tmp / f"{len(self.services)}-{args[0]}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([*CLI, *args], stdout=out, stderr=out, env=environment)
        service = Service(process, log)
        self.services.append(service)
        return service

    def start_listener(
        self, tmp: Path, rpc_url: str, ws_url: str, *extra: str, listener_id: str = "e2e"
    ) -> Service:
        args = [
            "listener", "--rpc", rpc_url, "--ws", ws_url,
            "--stream", self.stream,
            "--checkpoint-table", self.checkpoints,
            "--listener-id", listener_id,
            "--endpoint-url", self.lab.endpoint,
            *extra,
        ]  # fmt: skip
        return self._start(tmp, args)

    def start_consumer(
        self, tmp: Path, consumer_id: str, *extra: str, crash_at: str | None = None
    ) -> Service:
        """`chainops consumer`; `crash_at` is its test hook (SIGKILL itself mid first batch)."""
        args = [
            "consumer",
            "--stream", self.stream,
            "--lease-table", self.leases,
            "--idempotency-table", self.idempotency,
            "--bucket", self.bucket,
            "--dlq-url", self.dlq_url,
            "--consumer-id", consumer_id,
            "--endpoint-url", self.lab.endpoint,
            *extra,
        ]  # fmt: skip
        env = {"CHAINOPS_CONSUMER_CRASH_AT": crash_at} if crash_at else {}
        return self._start(tmp, args, env)

    def stop_all(self) -> None:
        """Kill whatever is still running (a failed test's leftovers)."""
        for service in self.services:
            service.kill()

    def lake_objects(self) -> dict[str, dict[str, Any]]:
        """Every lake object's key -> LastModified and lines; new keys fetched, old ones cached.

        A key is only ever rewritten with the same bytes (a redo of its batch), so caching by
        key is exact.
        """
        s3 = self.client("s3")
        found: dict[str, dict[str, Any]] = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for entry in page.get("Contents", []):
                key = entry["Key"]
                if key not in self._lake:
                    body = s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
                    lines = gzip.decompress(body).splitlines()
                    self._lake[key] = [orjson.loads(line) for line in lines]
                found[key] = {"modified": entry["LastModified"], "events": self._lake[key]}
        return found

    def lake_events(self) -> list[dict[str, Any]]:
        """Every event line in the lake (repeats kept)."""
        return [event for entry in self.lake_objects().values() for event in entry["events"]]

    def claimed_ids(self) -> list[str]:
        """Event ids claimed in the idempotency table (poison counters left out)."""
        pages = self.client("dynamodb").get_paginator("scan").paginate(TableName=self.idempotency)
        keys = [item["idempotency_key"]["S"] for page in pages for item in page["Items"]]
        return [key for key in keys if not key.startswith("poison#")]

    def dead_letter_count(self) -> int:
        """Messages in the DLQ, visible or in flight."""
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=self.dlq_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(value) for value in attributes.values())

    def stream_records(self) -> list[dict[str, Any]]:
        """Every record of every shard from the start: Data, ApproximateArrivalTimestamp, ..."""
        kinesis = self.client("kinesis")
        records: list[dict[str, Any]] = []
        for shard in kinesis.list_shards(StreamName=self.stream)["Shards"]:
            iterator = kinesis.get_shard_iterator(
                StreamName=self.stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            while iterator:
                answer = kinesis.get_records(ShardIterator=iterator, Limit=10_000)
                records.extend(answer["Records"])
                if not answer["Records"]:
                    break
                iterator = answer.get("NextShardIterator")
        return records


_PROCESSES: dict[str, tuple[Any, str]] = {
    "listener": (
        listener_permissions.ACTIONS,
        ListenerConfig.model_fields["metrics_namespace"].default,
    ),
    "consumer": (
        consumer_permissions.ACTIONS,
        ConsumerConfig.model_fields["metrics_namespace"].default,
    ),
}


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, every: float = 0.5) -> Any:
    """Poll until ``predicate`` is truthy (its value) or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
