"""Blocks, transaction records and the bounded ledger with its indexes and commitment levels."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

from solders.pubkey import Pubkey
from solders.transaction import VersionedTransaction

Commitment = Literal["processed", "confirmed", "finalized"]
COMMITMENTS: tuple[Commitment, ...] = ("processed", "confirmed", "finalized")


@dataclass(frozen=True, slots=True)
class TxRecord:
    """One executed transaction with the status meta Agave would store for it."""

    signature: str
    tx: VersionedTransaction
    raw: bytes
    keys: tuple[Pubkey, ...]
    err: Any  # the TransactionError as Agave serialises it, or None
    fee: int
    logs: tuple[str, ...]
    compute_units: int
    pre_balances: tuple[int, ...]
    post_balances: tuple[int, ...]
    is_vote: bool
    memo: str | None = None
    writable: tuple[Pubkey, ...] = ()
    pre_token_balances: tuple[dict[str, Any], ...] = ()
    post_token_balances: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A produced block; `encoded` caches its rendered forms per encoding options."""

    slot: int
    parent_slot: int
    blockhash: str
    previous_blockhash: str
    block_time: int
    block_height: int
    txs: tuple[TxRecord, ...]
    encoded: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class SignatureEntry:
    slot: int
    record: TxRecord
    block_time: int


class Ledger:
    """The last `retain` blocks, looked up by slot, signature and address.

    Commitment is positional: the newest block is processed, the one `confirmed_depth`
    blocks below it confirmed, the one `finalized_depth` below it finalized (rooted).
    """

    def __init__(
        self, *, retain: int, confirmed_depth: int, finalized_depth: int, retain_txs: int = 0
    ) -> None:
        self.retain = retain
        self.retain_txs = retain_txs
        self.retained_txs = 0
        self.confirmed_depth = confirmed_depth
        self.finalized_depth = finalized_depth
        self.blocks: dict[int, Block] = {}
        self.order: deque[int] = deque()
        self.skipped: set[int] = set()
        self.signatures: dict[str, SignatureEntry] = {}
        self.by_address: dict[Pubkey, deque[SignatureEntry]] = {}
        self.current_slot = 0
        self.first_available = 0
        self.transaction_count = 0
        self.vote_count = 0

    # -- writing -----------------------------------------------------------------
    def add(self, block: Block) -> list[Block]:
        """Store a block; return the blocks pruned to stay within `retain`."""
        self.blocks[block.slot] = block
        self.order.append(block.slot)
        self.current_slot = max(self.current_slot, block.slot)
        self.transaction_count += len(block.txs)
        self.retained_txs += len(block.txs)
        signatures = self.signatures
        by_address = self.by_address
        for record in block.txs:
            self.vote_count += record.is_vote
            entry = SignatureEntry(block.slot, record, block.block_time)
            signatures[record.signature] = entry
            for key in record.keys:
                entries = by_address.get(key)
                if entries is None:
                    entries = by_address[key] = deque()
                entries.append(entry)
        pruned: list[Block] = []
        keep = self.finalized_depth + 1  # commitment needs the finalized block
        while len(self.order) > keep and (
            len(self.order) > self.retain
            or (self.retain_txs and self.retained_txs > self.retain_txs)
        ):
            pruned.append(self._prune_oldest())
        return pruned

    def skip(self, slot: int) -> None:
        self.skipped.add(slot)
        self.current_slot = max(self.current_slot, slot)

    def _prune_oldest(self) -> Block:
        slot = self.order.popleft()
        block = self.blocks.pop(slot)
        self.retained_txs -= len(block.txs)
        for record in block.txs:
            entry = self.signatures.get(record.signature)
            if entry is not None and entry.slot == slot:
                del self.signatures[record.signature]
            for key in record.keys:
                entries = self.by_address.get(key)
                if entries is None:
                    continue
                while entries and entries[0].slot <= slot:
                    entries.popleft()
                if not entries:
                    del self.by_address[key]
        self.first_available = self.order[0]
        self.skipped = {s for s in self.skipped if s > self.first_available}
        return block

    # -- commitment --------------------------------------------------------------
    def depth(self, commitment: Commitment) -> int:
        if commitment == "finalized":
            return self.finalized_depth
        if commitment == "confirmed":
            return self.confirmed_depth
        return 0

    def slot_at(self, commitment: Commitment) -> int:
        """The newest slot at a commitment level (the first block while too few exist)."""
        depth = self.depth(commitment)
        if not self.order:
            return 0
        index = max(len(self.order) - 1 - depth, 0)
        return self.order[index]

    def block_at(self, commitment: Commitment) -> Block:
        return self.blocks[self.slot_at(commitment)]

    def status(self, slot: int) -> tuple[Commitment, int | None]:
        """(confirmationStatus, confirmations) of a block, as getSignatureStatuses reports."""
        if slot <= self.slot_at("finalized"):
            return "finalized", None
        tip = self.blocks[self.order[-1]].block_height
        confirmations = tip - self.blocks[slot].block_height
        if slot <= self.slot_at("confirmed"):
            return "confirmed", confirmations
        return "processed", confirmations

    def slots_between(self, start: int, end: int) -> list[int]:
        return [s for s in self.order if start <= s <= end]
