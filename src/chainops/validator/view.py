"""The node as its APIs see it: what the JSON-RPC methods and the PubSub hub read and call.

rpc.py and pubsub.py take a `NodeView`, not node.Node, so the node (which owns the hub) and
its APIs do not import each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from solders.transaction import VersionedTransaction

from chainops.validator.bank import Bank
from chainops.validator.config import ValidatorConfig
from chainops.validator.faults import Faults
from chainops.validator.ledger import Ledger


@dataclass(frozen=True, slots=True)
class PerfSample:
    """One getRecentPerformanceSamples entry: what happened during one sample period."""

    slot: int
    num_transactions: int
    num_non_vote_transactions: int
    num_slots: int
    sample_period_secs: int


class NodeView(Protocol):
    """A running validator, read-only but for submitting transactions (node.Node is one)."""

    @property
    def config(self) -> ValidatorConfig: ...

    @property
    def bank(self) -> Bank: ...

    @property
    def ledger(self) -> Ledger: ...

    @property
    def faults(self) -> Faults: ...

    @property
    def perf_samples(self) -> Iterable[PerfSample]: ...

    def is_known(self, signature: str) -> bool: ...

    def submit(self, tx: VersionedTransaction, raw: bytes) -> None: ...
