"""Validated settings of one validator process: the schema of its flags and `CHAINOPS_*`
environment (`chainops.settings` derives both from the fields), and the one home of every
default, Solana's RPC port among them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Solana's JSON-RPC port (PubSub: the next one); the project's other copies are checked against
# it by tests/validator/test_cli.py.
DEFAULT_RPC_PORT = 8899
MAX_PERF_SAMPLES = 720  # Agave keeps twelve hours of 60 s performance samples

TxKind = Literal["transfer", "token", "memo", "vote"]
TX_KINDS: tuple[TxKind, ...] = ("transfer", "token", "memo", "vote")
DEFAULT_MIX: dict[TxKind, float] = {"transfer": 0.5, "token": 0.2, "memo": 0.1, "vote": 0.2}


def parse_mix(text: str) -> dict[TxKind, float]:
    """`transfer=5,token=2,memo=1,vote=2` -> normalised weights; raises ValueError on junk."""
    weights: dict[TxKind, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep or name not in TX_KINDS:
            raise ValueError(f"mix entry {part!r}: expected KIND=WEIGHT with KIND in {TX_KINDS}")
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"mix entry {part!r}: weight {value!r} is not a number") from None
        if weight < 0:
            raise ValueError(f"mix entry {part!r}: weight must be >= 0")
        weights[name] = weight  # name was checked against TX_KINDS
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("mix: at least one weight must be positive")
    return {kind: weight / total for kind, weight in weights.items()}


class ValidatorConfig(BaseModel):
    """Everything a node needs; frozen so every module sees the same values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bind: str = Field("127.0.0.1", description="listen address")
    rpc_port: int = Field(
        DEFAULT_RPC_PORT, ge=0, le=65535, description="JSON-RPC port; 0 picks a free one"
    )
    ws_port: int = Field(
        DEFAULT_RPC_PORT + 1, ge=0, le=65535, description="PubSub port; 0 picks a free one"
    )
    slot_ms: int = Field(400, ge=10, le=60_000, description="slot time in milliseconds")
    tps: int = Field(
        0, ge=0, le=100_000, description="load generator rate, transactions per second"
    )
    mix: dict[TxKind, float] = Field(
        default_factory=lambda: dict(DEFAULT_MIX),
        description="generator mix, e.g. transfer=5,token=2,memo=1,vote=2 (default: 5,2,1,2)",
    )
    seed: int = Field(0, description="seed for keys, the mix and skipped slots")
    skip_probability: float = Field(0.0, ge=0.0, lt=1.0, description="chance a slot is skipped")
    confirmed_depth: int = Field(
        1, ge=0, le=64, description="blocks between processed and confirmed"
    )
    finalized_depth: int = Field(
        32, ge=0, le=512, description="blocks between processed and finalized"
    )
    retain_blocks: int = Field(2000, ge=1, description="blocks kept before pruning")
    # About 3 KiB each in memory.
    retain_txs: int = Field(500_000, ge=0, description="transactions kept (0: no limit)")
    max_block_txs: int = Field(20_000, ge=1, description="transactions per block at most")
    max_inflight: int = Field(256, ge=1, description="concurrent RPC requests before 429")
    max_ws_connections: int = Field(512, ge=1, description="websockets before 429")
    signers: int = Field(1, ge=0, le=8, description="signing worker processes for the generator")
    record: Path | None = Field(None, description="append produced blocks to this file")
    replay: Path | None = Field(None, description="replay recorded blocks instead of generating")
    replay_rate: float | None = Field(
        None, gt=0.0, description="replayed blocks per second (default: one per slot)"
    )
    # Nodes sharing it agree on the current slot, as a cluster's do.
    genesis_time: float | None = Field(
        None,
        ge=0.0,
        description="unix time of slot 0: nodes started with the same value agree on the slot",
    )
    # Agave takes a performance sample every 60 s; tests shorten it to read a slot time soon.
    sample_period_s: int = Field(
        60,
        ge=1,
        le=3600,
        description="seconds between getRecentPerformanceSamples samples (Agave: 60)",
    )

    @field_validator("mix", mode="before")
    @classmethod
    def _mix_text(cls, mix: object) -> object:
        # The flag's and the variable's form, `transfer=5,token=2,...`.
        return parse_mix(mix) if isinstance(mix, str) else mix

    @field_validator("mix")
    @classmethod
    def _mix_positive(cls, mix: dict[TxKind, float]) -> dict[TxKind, float]:
        if not mix or sum(mix.values()) <= 0 or any(w < 0 for w in mix.values()):
            raise ValueError("mix needs non-negative weights with a positive sum")
        return mix

    @model_validator(mode="after")
    def _consistent(self) -> ValidatorConfig:
        if self.finalized_depth < self.confirmed_depth:
            raise ValueError("finalized_depth must be >= confirmed_depth")
        if self.rpc_port and self.rpc_port == self.ws_port:
            raise ValueError("rpc_port and ws_port must differ")
        if self.replay is not None and not self.replay.is_file():
            raise ValueError(f"replay file {self.replay} does not exist")
        if self.replay is not None and self.record is not None:
            raise ValueError("--record and --replay are exclusive")
        return self

    @property
    def replay_interval_s(self) -> float:
        """Seconds between replayed blocks: --replay-rate blocks/s, else the slot time."""
        if self.replay_rate is None:
            return self.slot_ms / 1000
        return 1.0 / self.replay_rate
