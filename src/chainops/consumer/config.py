"""Validated settings of one consumer process: the schema of its flags and `CHAINOPS_*`
environment (`chainops.settings` derives both from the fields), and the one home of every
default."""

from __future__ import annotations

import os
import re
import socket

from pydantic import BaseModel, ConfigDict, Field, field_validator

# AWS naming rules, checked here so a typo fails at start-up rather than on the first call.
_STREAM = re.compile(r"[a-zA-Z0-9_.-]{1,128}")
_TABLE = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def default_consumer_id() -> str:
    """`<hostname>-<pid>`: unique among the processes sharing a lease table."""
    return f"{socket.gethostname()}-{os.getpid()}"


class ConsumerConfig(BaseModel):
    """Everything a consumer needs; frozen so every module sees the same values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stream: str = Field(description="Kinesis stream name")
    lease_table: str = Field(description="DynamoDB table of shard leases and checkpoints")
    idempotency_table: str = Field(description="DynamoDB table of event-id claims")
    bucket: str = Field(description="S3 bucket of the data lake")
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
    metrics_namespace: str = Field(
        "chainops/pipeline", min_length=1, max_length=255, description="CloudWatch namespace"
    )
    endpoint_url: str | None = Field(
        None, description="AWS endpoint (the lab's); default AWS's own"
    )

    @field_validator("stream")
    @classmethod
    def _stream_name(cls, value: str) -> str:
        return _matching(_STREAM, value, "a Kinesis stream name ([a-zA-Z0-9_.-], 1-128)")

    @field_validator("lease_table", "idempotency_table")
    @classmethod
    def _table_name(cls, value: str) -> str:
        return _matching(_TABLE, value, "a DynamoDB table name ([a-zA-Z0-9_.-], 3-255)")

    @field_validator("bucket")
    @classmethod
    def _bucket_name(cls, value: str) -> str:
        if ".." in value:
            raise ValueError(f"{value!r} is not an S3 bucket name (no '..')")
        return _matching(_BUCKET, value, "an S3 bucket name ([a-z0-9.-], 3-63)")

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


def _matching(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(f"{value!r} is not {what}")
    return value
