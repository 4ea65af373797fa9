"""Agave's JSON shapes for transactions, status metas and blocks, cached per block."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any, Literal

import orjson
from solders.message import MessageV0
from solders.pubkey import Pubkey

from chainops.validator.ledger import Block, TxRecord

Encoding = Literal["json", "base64", "base58", "binary"]
Details = Literal["full", "signatures", "none", "accounts"]
ENCODINGS: tuple[str, ...] = ("json", "base64", "base58", "binary")
DETAILS: tuple[str, ...] = ("full", "signatures", "none", "accounts")

_B58 = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class UnsupportedVersion(Exception):
    """A v0 transaction asked for without maxSupportedTransactionVersion (-32015)."""

    def __init__(self, version: int) -> None:
        super().__init__(
            f"Transaction version ({version}) is not supported by the requesting client. "
            "Please try the request again with the following configuration parameter: "
            '"maxSupportedTransactionVersion": 0'
        )


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    out = bytearray()
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58[rem])
    return ("1" * zeros) + out[::-1].decode()


def b58decode(text: str) -> bytes:
    number = 0
    for char in text.encode():
        index = _B58.find(char)
        if index < 0:
            raise ValueError(f"invalid base58 character {chr(char)!r}")
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def version_of(record: TxRecord) -> int | str:
    return 0 if isinstance(record.tx.message, MessageV0) else "legacy"


def _message_json(record: TxRecord) -> dict[str, Any]:
    message = record.tx.message
    header = message.header
    out: dict[str, Any] = {
        "accountKeys": [str(k) for k in record.keys],
        "header": {
            "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
            "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
            "numRequiredSignatures": header.num_required_signatures,
        },
        "instructions": [
            {
                "accounts": list(ix.accounts),
                "data": b58encode(bytes(ix.data)),
                "programIdIndex": ix.program_id_index,
                "stackHeight": None,
            }
            for ix in message.instructions
        ],
        "recentBlockhash": str(message.recent_blockhash),
    }
    if isinstance(message, MessageV0):
        out["addressTableLookups"] = [
            {
                "accountKey": str(lookup.account_key),
                "readonlyIndexes": list(lookup.readonly_indexes),
                "writableIndexes": list(lookup.writable_indexes),
            }
            for lookup in message.address_table_lookups
        ]
    return out


def transaction_json(record: TxRecord, encoding: str) -> Any:
    if encoding == "base64":
        return [base64.b64encode(record.raw).decode(), "base64"]
    if encoding == "base58":
        return [b58encode(record.raw), "base58"]
    if encoding == "binary":
        return b58encode(record.raw)
    return {"message": _message_json(record), "signatures": [str(s) for s in record.tx.signatures]}


def meta_json(record: TxRecord, *, rewards: bool) -> dict[str, Any]:
    err = record.err
    meta: dict[str, Any] = {
        "computeUnitsConsumed": record.compute_units,
        "err": err,
        "fee": record.fee,
        "innerInstructions": [],
        "loadedAddresses": {"readonly": [], "writable": []},
        "logMessages": list(record.logs),
        "postBalances": list(record.post_balances),
        "postTokenBalances": list(record.post_token_balances),
        "preBalances": list(record.pre_balances),
        "preTokenBalances": list(record.pre_token_balances),
        "status": {"Ok": None} if err is None else {"Err": err},
    }
    if rewards:
        meta["rewards"] = []
    return meta


def _checked_version(record: TxRecord, max_version: int | None) -> int | str:
    version = version_of(record)
    if version != "legacy" and (max_version is None or version > max_version):  # type: ignore[operator]
        raise UnsupportedVersion(version)  # type: ignore[arg-type]
    return version


def tx_with_meta(
    record: TxRecord, *, encoding: str, max_version: int | None, rewards: bool
) -> dict[str, Any]:
    """One entry of a block's `transactions` (and the body of getTransaction)."""
    version = _checked_version(record, max_version)
    out: dict[str, Any] = {
        "meta": meta_json(record, rewards=rewards),
        "transaction": transaction_json(record, encoding),
    }
    if max_version is not None:
        out["version"] = version
    return out


def _accounts_entry(record: TxRecord, max_version: int | None) -> dict[str, Any]:
    version = _checked_version(record, max_version)
    header = record.tx.message.header
    writable = set(record.writable)
    signers = header.num_required_signatures
    meta = meta_json(record, rewards=False)
    for dropped in ("innerInstructions", "logMessages", "loadedAddresses", "computeUnitsConsumed"):
        meta.pop(dropped)
    out: dict[str, Any] = {
        "meta": meta,
        "transaction": {
            "accountKeys": [
                {
                    "pubkey": str(k),
                    "signer": i < signers,
                    "source": "transaction",
                    "writable": k in writable,
                }
                for i, k in enumerate(record.keys)
            ],
            "signatures": [str(s) for s in record.tx.signatures],
        },
    }
    if max_version is not None:
        out["version"] = version
    return out


def block_json_bytes(  # noqa: PLR0913 - keyword-only options of one request
    block: Block,
    *,
    encoding: str,
    details: str,
    max_version: int | None,
    rewards: bool,
    mentions: Pubkey | None = None,
) -> bytes:
    """The serialized `result` of getBlock (or a blockNotification's `block`), cached."""
    key = (encoding, details, max_version, rewards, mentions)
    cached = block.encoded.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    txs: Iterable[TxRecord] = block.txs
    if mentions is not None:
        txs = [r for r in block.txs if mentions in r.keys]
    out: dict[str, Any] = {
        "blockHeight": block.block_height,
        "blockTime": block.block_time,
        "blockhash": block.blockhash,
        "parentSlot": block.parent_slot,
        "previousBlockhash": block.previous_blockhash,
    }
    if details == "full":
        out["transactions"] = [
            tx_with_meta(r, encoding=encoding, max_version=max_version, rewards=rewards)
            for r in txs
        ]
    elif details == "signatures":
        out["signatures"] = [r.signature for r in txs]
    elif details == "accounts":
        out["transactions"] = [_accounts_entry(r, max_version) for r in txs]
    if rewards:
        out["rewards"] = []
    encoded = orjson.dumps(out)
    block.encoded[key] = encoded
    return encoded


def fragment(data: bytes) -> Any:
    """Embed already-serialized JSON in an orjson document without re-encoding it."""
    make: Callable[[bytes], Any] = orjson.Fragment
    return make(data)


def account_json(account: Any, encoding: str, *, data_slice: tuple[int, int] | None = None) -> Any:
    """An account as getAccountInfo and accountSubscribe show it; data_slice: (offset, length)."""
    data = bytes(account.data)
    if data_slice is not None:
        offset, length = data_slice
        data = data[offset : offset + length]
    if encoding == "binary":
        rendered: Any = b58encode(data)
    elif encoding == "base58":
        rendered = [b58encode(data), "base58"]
    else:
        rendered = [base64.b64encode(data).decode(), "base64"]
    return {
        "data": rendered,
        "executable": account.executable,
        "lamports": account.lamports,
        "owner": str(account.owner),
        "rentEpoch": min(account.rent_epoch, 2**64 - 1),
        "space": len(account.data),
    }
