"""Recording produced blocks as JSON lines, and reading them back for replay."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import IO, Any

import orjson
from solders.transaction import VersionedTransaction

from chainops.validator.bank import static_facts
from chainops.validator.ledger import Block, TxRecord


class Recorder:
    """Appends one line per block: header fields and each transaction with its status meta."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = path.open("ab", buffering=1 << 20)

    def write(self, block: Block) -> None:
        line = {
            "slot": block.slot,
            "parent_slot": block.parent_slot,
            "block_time": block.block_time,
            "txs": [
                [
                    base64.b64encode(r.raw).decode(),
                    r.err,
                    r.fee,
                    r.logs,
                    r.compute_units,
                    r.pre_balances,
                    r.post_balances,
                    r.pre_token_balances,
                    r.post_token_balances,
                ]
                for r in block.txs
            ],
        }
        self._file.write(orjson.dumps(line) + b"\n")

    def close(self) -> None:
        self._file.close()


def _record(item: list[Any]) -> TxRecord:
    raw = base64.b64decode(item[0])
    tx = VersionedTransaction.from_bytes(raw)
    facts = static_facts(tx)
    return TxRecord(
        signature=str(tx.signatures[0]),
        tx=tx,
        raw=raw,
        keys=facts.keys,
        err=item[1],
        fee=item[2],
        logs=tuple(item[3]),
        compute_units=item[4],
        pre_balances=tuple(item[5]),
        post_balances=tuple(item[6]),
        is_vote=facts.is_vote,
        memo=facts.memo,
        writable=facts.writable,
        pre_token_balances=tuple(item[7]) if len(item) > 7 else (),
        post_token_balances=tuple(item[8]) if len(item) > 8 else (),
    )


def load(path: Path) -> list[list[TxRecord]]:
    """Every recorded block's transactions, decoded once up front so replay costs no parsing."""
    blocks: list[list[TxRecord]] = []
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                blocks.append([_record(item) for item in orjson.loads(line)["txs"]])
    return blocks
