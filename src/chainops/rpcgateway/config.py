"""Validated settings of one RPC gateway: the schema of its flags and `CHAINOPS_*` environment
(`chainops.settings` derives both from the fields), and the one home of every default."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from chainops.settings import (
    AwsEndpoint,
    AwsRegion,
    MetricsInterval,
    MetricsNamespace,
    check_url,
)
from chainops.validator.config import DEFAULT_RPC_PORT

_SCHEMES = {"upstream_rpc": ("http", "https"), "upstream_ws": ("ws", "wss")}


class GatewayConfig(BaseModel):
    """Everything the gateway needs; frozen so every part sees the same values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Agave's RPC binds every address unless told otherwise; the load balancer must reach it.
    host: str = Field("0.0.0.0", min_length=1, description="listen address")  # noqa: S104
    rpc_port: int = Field(
        DEFAULT_RPC_PORT, ge=0, le=65535, description="JSON-RPC port; 0 picks a free one"
    )
    ws_port: int = Field(
        DEFAULT_RPC_PORT + 1, ge=0, le=65535, description="PubSub port; 0 picks a free one"
    )
    upstream_rpc: str = Field(description="the node's JSON-RPC URL")
    upstream_ws: str | None = Field(
        None, description="the node's PubSub URL (default: its RPC port + 1)"
    )
    group_name: str = Field(
        min_length=1,
        max_length=255,
        description="Auto Scaling group name: the metrics' AutoScalingGroupName",
    )
    metrics_namespace: MetricsNamespace = "Chainops/RPC"
    metrics_interval_s: MetricsInterval = 60.0
    endpoint_url: AwsEndpoint = None
    region: AwsRegion = None
    upstream_timeout_s: float = Field(
        60.0, gt=0, le=3600, description="longest wait for the node's answer, in seconds"
    )
    upstream_connections: int = Field(
        256, ge=1, le=65_536, description="connections to the node's RPC at most"
    )
    shutdown_timeout_s: float = Field(
        10.0, gt=0, le=3600, description="longest wait for requests in flight on SIGTERM"
    )
    health_disk_paths: tuple[str, ...] = Field(
        (), description="paths whose filesystems /health watches (the node's ledger, accounts)"
    )
    health_max_disk_used_percent: float = Field(
        95.0, gt=0, le=100, description="/health answers 503 when a watched filesystem is fuller"
    )

    @field_validator("upstream_rpc", "upstream_ws")
    @classmethod
    def _url(cls, url: str | None, info: ValidationInfo) -> str | None:
        return None if url is None else check_url(url, _SCHEMES[str(info.field_name)])

    @property
    def pubsub_url(self) -> str:
        """The node's PubSub URL: given, or Solana's rule (ws(s), the RPC port + 1)."""
        if self.upstream_ws is not None:
            return self.upstream_ws
        parts = urlsplit(self.upstream_rpc)
        # The host as spelled (an IPv6 address keeps its brackets), the next port.
        netloc = parts.netloc
        if parts.port is not None:
            netloc = f"{netloc.rsplit(':', 1)[0]}:{parts.port + 1}"
        scheme = "wss" if parts.scheme == "https" else "ws"
        return parts._replace(scheme=scheme, netloc=netloc).geturl()
