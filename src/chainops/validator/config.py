"""Validated settings of one validator process (the CLI builds them from argv)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

    bind: str = "127.0.0.1"
    rpc_port: int = Field(8899, ge=0, le=65535)
    ws_port: int = Field(8900, ge=0, le=65535)
    slot_ms: int = Field(400, ge=10, le=60_000)
    tps: int = Field(0, ge=0, le=100_000)
    mix: dict[TxKind, float] = Field(default_factory=lambda: dict(DEFAULT_MIX))
    seed: int = 0
    skip_probability: float = Field(0.0, ge=0.0, lt=1.0)
    confirmed_depth: int = Field(1, ge=0, le=64)
    finalized_depth: int = Field(32, ge=0, le=512)
    retain_blocks: int = Field(2000, ge=1)
    retain_txs: int = Field(500_000, ge=0)  # about 3 KiB each in memory; 0 = no limit
    max_block_txs: int = Field(20_000, ge=1)
    max_inflight: int = Field(256, ge=1)
    max_ws_connections: int = Field(512, ge=1)
    signers: int = Field(1, ge=0, le=8)
    record: Path | None = None
    replay: Path | None = None
    replay_rate: float | None = Field(None, gt=0.0)
    # Unix time of slot 0: nodes sharing it agree on the current slot, as a cluster's do.
    genesis_time: float | None = Field(None, ge=0.0)
    # Agave takes a performance sample every 60 s; tests shorten it to read a slot time soon.
    sample_period_s: int = Field(60, ge=1, le=3600)

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
