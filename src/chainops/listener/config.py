"""Validated settings of one listener: the schema of its flags and `CHAINOPS_*` environment
(`chainops.settings` derives both from the fields), and the one home of every default."""

from __future__ import annotations

from typing import Annotated, Literal
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
from chainops.pipeline.names import StreamName, TableName
from chainops.settings import (
    AwsEndpoint,
    AwsRegion,
    Flag,
    MetricsInterval,
    MetricsNamespace,
    check_url,
)

Commitment = Literal["confirmed", "finalized"]


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

    rpc: tuple[str, ...] = Field(
        min_length=1, description="JSON-RPC URL; repeat for failover order"
    )
    ws: tuple[str, ...] = Field((), description="PubSub URL per --rpc (default: RPC port + 1)")
    stream: StreamName = Field(description="Kinesis stream name")
    checkpoint_table: TableName = Field(description="DynamoDB table (hash key listener_id)")
    listener_id: str = Field(
        min_length=1, max_length=256, description="this listener's checkpoint key"
    )
    commitment: Commitment = Field("confirmed", description="confirmed or finalized")
    start_slot: int | None = Field(
        None, ge=0, description="first slot when no checkpoint exists (default: the tip)"
    )
    programs: Annotated[frozenset[str], Flag("--program")] = Field(
        DEFAULT_PROGRAMS,
        description="program id whose logs become events (default: Memo and SPL Token)",
    )
    endpoint_url: AwsEndpoint = None
    region: AwsRegion = None
    batch_records: int = Field(
        MAX_BATCH_RECORDS,
        ge=1,
        le=MAX_BATCH_RECORDS,
        description=f"records per PutRecords (at most {MAX_BATCH_RECORDS})",
    )
    linger_ms: int = Field(
        200, ge=1, le=60_000, description="longest wait before a partial batch is sent"
    )
    max_in_flight: int = Field(4, ge=1, le=64, description="PutRecords calls in flight at most")
    queue_blocks: int = Field(
        64, ge=1, le=100_000, description="fetched blocks waiting to be published"
    )
    fetch_concurrency: int = Field(
        8, ge=1, le=64, description="getBlock calls at once when backfilling"
    )
    checkpoint_interval_s: float = Field(
        1.0, gt=0, le=3600, description="seconds between checkpoints"
    )
    stats_interval_s: float = Field(
        30.0, gt=0, le=86_400, description="seconds between counter logs"
    )
    metrics_namespace: MetricsNamespace = "Chainops/Listener"
    metrics_interval_s: MetricsInterval = 60.0
    shutdown_timeout_s: float = Field(
        20.0, gt=0, le=3600, description="longest flush on SIGTERM, in seconds"
    )

    @field_validator("rpc", "ws")
    @classmethod
    def _urls(cls, urls: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        schemes = ("http", "https") if info.field_name == "rpc" else ("ws", "wss")
        return tuple(check_url(url, schemes) for url in urls)

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
