"""Validated settings of one listener (the CLI builds them from argv)."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from solders.pubkey import Pubkey

from chainops.listener.decode import DEFAULT_PROGRAMS
from chainops.pipeline.events import MAX_BATCH_RECORDS

Commitment = Literal["confirmed", "finalized"]
_STREAM_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")
_TABLE_NAME = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")


def ws_url_for(rpc_url: str) -> str:
    """The PubSub URL Solana's tools derive: ws(s) scheme, and the RPC port + 1 if one is set."""
    parts = urlsplit(rpc_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    netloc = parts.netloc
    if parts.port is not None:
        netloc = f"{parts.hostname}:{parts.port + 1}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, ""))


class ListenerConfig(BaseModel):
    """Everything the listener needs; frozen so every task sees the same values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rpc: tuple[str, ...] = Field(min_length=1)
    ws: tuple[str, ...] = ()  # derived from `rpc` when empty
    stream: str
    checkpoint_table: str
    listener_id: str = Field(min_length=1, max_length=256)
    commitment: Commitment = "confirmed"
    start_slot: int | None = Field(None, ge=0)
    programs: frozenset[str] = DEFAULT_PROGRAMS
    endpoint_url: str | None = None
    region: str | None = None
    batch_records: int = Field(MAX_BATCH_RECORDS, ge=1, le=MAX_BATCH_RECORDS)
    linger_ms: int = Field(200, ge=1, le=60_000)
    max_in_flight: int = Field(4, ge=1, le=64)
    queue_blocks: int = Field(64, ge=1, le=100_000)
    fetch_concurrency: int = Field(8, ge=1, le=64)
    checkpoint_interval_s: float = Field(1.0, gt=0, le=3600)
    stats_interval_s: float = Field(30.0, gt=0, le=86_400)
    shutdown_timeout_s: float = Field(20.0, gt=0, le=3600)

    @field_validator("rpc", "ws")
    @classmethod
    def _urls(cls, urls: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        schemes = ("http", "https") if info.field_name == "rpc" else ("ws", "wss")
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in schemes or not parts.hostname:
                raise ValueError(f"{url!r} is not a {'/'.join(schemes)} URL")
        return urls

    @field_validator("stream")
    @classmethod
    def _stream_name(cls, name: str) -> str:
        if not _STREAM_NAME.match(name):
            raise ValueError(f"{name!r} is not a Kinesis stream name ([a-zA-Z0-9_.-]{{1,128}})")
        return name

    @field_validator("checkpoint_table")
    @classmethod
    def _table_name(cls, name: str) -> str:
        if not _TABLE_NAME.match(name):
            raise ValueError(f"{name!r} is not a DynamoDB table name ([a-zA-Z0-9_.-]{{3,255}})")
        return name

    @field_validator("programs")
    @classmethod
    def _program_ids(cls, programs: frozenset[str]) -> frozenset[str]:
        for program in programs:
            try:
                Pubkey.from_string(program)
            except ValueError:
                raise ValueError(f"{program!r} is not a base58 program id") from None
        return programs

    @model_validator(mode="after")
    def _endpoints(self) -> ListenerConfig:
        if self.ws and len(self.ws) != len(self.rpc):
            raise ValueError(f"{len(self.ws)} --ws URL(s) for {len(self.rpc)} --rpc URL(s)")
        return self

    @property
    def nodes(self) -> list[tuple[str, str]]:
        """(rpc, ws) URL pairs in failover order."""
        ws = self.ws or tuple(ws_url_for(url) for url in self.rpc)
        return list(zip(self.rpc, ws, strict=True))
