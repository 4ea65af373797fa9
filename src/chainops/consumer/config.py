"""Validated settings of one consumer process: the schema of its flags and `CHAINOPS_*`
environment (`chainops.settings` derives both from the fields), and the one home of every
default."""

from __future__ import annotations

import os
import re
import socket

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chainops.pipeline.names import BucketName, StreamName, TableName
from chainops.settings import MetricsNamespace


def default_consumer_id() -> str:
    """`<hostname>-<pid>`: unique among the processes sharing a lease table."""
    return f"{socket.gethostname()}-{os.getpid()}"


class ConsumerConfig(BaseModel):
    """Everything a consumer needs; frozen so every module sees the same values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stream: StreamName = Field(description="Kinesis stream name")
    lease_table: TableName = Field(description="DynamoDB table of shard leases and checkpoints")
    idempotency_table: TableName = Field(description="DynamoDB table of event-id claims")
    bucket: BucketName = Field(description="S3 bucket of the data lake")
    dlq_url: str = Field(description="SQS dead-letter queue URL")
    consumer_id: str = Field(
        default_factory=default_consumer_id,
        min_length=1,
        max_length=128,
        description="unique name of this process (default: hostname-pid)",
    )
    max_attempts: int = Field(
        3, ge=1, le=100, description="attempts at a failing record before it is dead-lettered"
    )
    # AWS allows 1..10,000 records a call.
    batch_limit: int = Field(1000, ge=1, le=10_000, description="records per GetRecords")
    lease_seconds: int = Field(
        10,
        ge=3,
        le=600,
        description="lease lifetime without renewal; then another consumer may take it",
    )
    idempotency_ttl_days: int = Field(7, ge=1, le=365, description="days an event-id claim is kept")
    metrics_namespace: MetricsNamespace = "Chainops/Consumer"
    endpoint_url: str | None = Field(
        None, description="AWS endpoint (the lab's); default AWS's own"
    )

    @field_validator("dlq_url", "endpoint_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("consumer_id")
    @classmethod
    def _consumer_id(cls, value: str) -> str:
        # '#' separates the parts of lease-table keys.
        if "#" in value or value.strip() != value:
            raise ValueError(f"{value!r}: no '#' and no surrounding spaces")
        return value

    @property
    def idempotency_ttl_seconds(self) -> int:
        return self.idempotency_ttl_days * 86_400
