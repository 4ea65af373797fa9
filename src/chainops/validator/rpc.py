"""JSON-RPC methods: parameter checking and result shapes as Agave answers them."""

from __future__ import annotations

import base64
import binascii
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from chainops.validator import encoding as enc
from chainops.validator import errors
from chainops.validator.config import MAX_PERF_SAMPLES
from chainops.validator.errors import RpcError
from chainops.validator.ledger import COMMITMENTS, Block, Commitment
from chainops.validator.view import NodeView

Handler = Callable[[NodeView, list[Any]], Awaitable[Any]]
CORE_VERSION = "2.2.16"
FEATURE_SET = 3294202862
SLOTS_PER_EPOCH = 432_000
MAX_SIGNATURE_STATUSES = 256
MAX_BLOCKS_RANGE = 500_000
_LEGACY_COMMITMENTS: dict[str, Commitment] = {
    "recent": "processed",
    "single": "confirmed",
    "singleGossip": "confirmed",
    "root": "finalized",
    "max": "finalized",
}


# -- parameter helpers -----------------------------------------------------------------
def _param(params: list[Any], index: int, name: str) -> Any:
    if index >= len(params):
        raise errors.invalid_params(f"missing parameter `{name}`")
    return params[index]


def _config(params: list[Any], index: int) -> dict[str, Any]:
    if index >= len(params) or params[index] is None:
        return {}
    value = params[index]
    if not isinstance(value, dict):
        raise errors.invalid_params(f"invalid type: expected a config object, got {value!r}")
    return value


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise errors.invalid_params(f"invalid type for `{name}`: expected u64, got {value!r}")
    return value


def _pubkey(value: Any) -> Pubkey:
    try:
        return Pubkey.from_string(value)
    except (ValueError, TypeError):
        raise errors.invalid_params(
            f"Invalid param: WrongSize or invalid pubkey {value!r}"
        ) from None


def _signature(value: Any) -> Signature:
    try:
        return Signature.from_string(value)
    except (ValueError, TypeError):
        raise errors.invalid_params(f"Invalid param: invalid signature {value!r}") from None


def _commitment(config: dict[str, Any], default: Commitment = "finalized") -> Commitment:
    value = config.get("commitment")
    if value is None:
        return default
    if value in COMMITMENTS:
        return value  # type: ignore[no-any-return]
    if value in _LEGACY_COMMITMENTS:
        return _LEGACY_COMMITMENTS[value]
    raise errors.invalid_params(
        f"unknown variant `{value}`, expected one of `processed`, `confirmed`, `finalized`"
    )


def _confirmed_at_least(config: dict[str, Any]) -> Commitment:
    commitment = _commitment(config)
    if commitment == "processed":
        raise errors.invalid_params("Method does not support commitment below `confirmed`")
    return commitment


def _choice(config: dict[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = config.get(key, default)
    if value is None:
        return default
    if value not in allowed:
        names = ", ".join(f"`{a}`" for a in allowed)
        raise errors.invalid_params(
            f"unknown variant `{value}` for `{key}`, expected one of {names}"
        )
    return str(value)


def _max_version(config: dict[str, Any]) -> int | None:
    value = config.get("maxSupportedTransactionVersion")
    if value is None:
        return None
    if value != 0:
        raise errors.invalid_params(f"unsupported maxSupportedTransactionVersion {value!r}")
    return 0


def _context_slot(node: NodeView, config: dict[str, Any], commitment: Commitment) -> int:
    slot = node.ledger.slot_at(commitment)
    minimum = config.get("minContextSlot")
    if minimum is not None and _int(minimum, "minContextSlot") > slot:
        raise errors.min_context_slot_not_reached(slot)
    return slot


def _context(slot: int, value: Any) -> dict[str, Any]:
    return {"context": {"apiVersion": CORE_VERSION, "slot": slot}, "value": value}


def _block(node: NodeView, slot: int, commitment: Commitment) -> Block:
    """The block at `slot`, or the error Agave gives for pruned, future and skipped slots."""
    ledger = node.ledger
    limit = ledger.slot_at(commitment)
    block = ledger.blocks.get(slot)
    if block is not None and slot <= limit:
        return block
    if slot < ledger.first_available:
        raise errors.block_cleaned_up(slot, ledger.first_available)
    if slot > limit:
        raise errors.block_not_available(slot)
    raise errors.slot_skipped(slot)


def _unsupported(exc: enc.UnsupportedVersion) -> RpcError:
    return RpcError(errors.UNSUPPORTED_TRANSACTION_VERSION, str(exc))


# -- cluster -------------------------------------------------------------------------
async def get_health(node: NodeView, params: list[Any]) -> Any:
    return "ok"


async def get_version(node: NodeView, params: list[Any]) -> Any:
    return {"feature-set": FEATURE_SET, "solana-core": CORE_VERSION}


async def get_identity(node: NodeView, params: list[Any]) -> Any:
    return {"identity": str(node.bank.identity.pubkey())}


async def get_genesis_hash(node: NodeView, params: list[Any]) -> Any:
    return str(node.bank.genesis_hash)


async def get_slot(node: NodeView, params: list[Any]) -> Any:
    config = _config(params, 0)
    return _context_slot(node, config, _commitment(config))


async def get_block_height(node: NodeView, params: list[Any]) -> Any:
    config = _config(params, 0)
    slot = _context_slot(node, config, _commitment(config))
    return node.ledger.blocks[slot].block_height


async def get_epoch_info(node: NodeView, params: list[Any]) -> Any:
    config = _config(params, 0)
    slot = _context_slot(node, config, _commitment(config))
    return {
        "absoluteSlot": slot,
        "blockHeight": node.ledger.blocks[slot].block_height,
        "epoch": slot // SLOTS_PER_EPOCH,
        "slotIndex": slot % SLOTS_PER_EPOCH,
        "slotsInEpoch": SLOTS_PER_EPOCH,
        "transactionCount": node.ledger.transaction_count,
    }


async def get_latest_blockhash(node: NodeView, params: list[Any]) -> Any:
    config = _config(params, 0)
    slot = _context_slot(node, config, _commitment(config))
    block = node.ledger.blocks[slot]
    value = {"blockhash": block.blockhash, "lastValidBlockHeight": block.block_height + 150}
    return _context(slot, value)


async def get_first_available_block(node: NodeView, params: list[Any]) -> Any:
    return node.ledger.first_available


async def get_transaction_count(node: NodeView, params: list[Any]) -> Any:
    return node.ledger.transaction_count


async def get_recent_performance_samples(node: NodeView, params: list[Any]) -> Any:
    limit = MAX_PERF_SAMPLES if not params or params[0] is None else _int(params[0], "limit")
    if limit > MAX_PERF_SAMPLES:
        raise errors.invalid_params(f"Invalid limit; max {MAX_PERF_SAMPLES}")
    return [
        {
            "numNonVoteTransactions": sample.num_non_vote_transactions,
            "numSlots": sample.num_slots,
            "numTransactions": sample.num_transactions,
            "samplePeriodSecs": sample.sample_period_secs,
            "slot": sample.slot,
        }
        for sample in itertools.islice(node.perf_samples, limit)
    ]


# -- blocks --------------------------------------------------------------------------
async def get_block(node: NodeView, params: list[Any]) -> Any:
    slot = _int(_param(params, 0, "slot"), "slot")
    raw_config = params[1] if len(params) > 1 else None
    config = {"encoding": raw_config} if isinstance(raw_config, str) else _config(params, 1)
    commitment = _confirmed_at_least(config)
    encoding = _choice(config, "encoding", enc.ENCODINGS, "json")
    details = _choice(config, "transactionDetails", enc.DETAILS, "full")
    rewards = config.get("rewards", True) is not False
    max_version = _max_version(config)
    block = _block(node, slot, commitment)
    try:
        data = enc.block_json_bytes(
            block, encoding=encoding, details=details, max_version=max_version, rewards=rewards
        )
    except enc.UnsupportedVersion as exc:
        raise _unsupported(exc) from None
    return enc.fragment(data)


async def get_block_time(node: NodeView, params: list[Any]) -> Any:
    slot = _int(_param(params, 0, "slot"), "slot")
    return _block(node, slot, "finalized").block_time


async def get_blocks(node: NodeView, params: list[Any]) -> Any:
    start = _int(_param(params, 0, "start_slot"), "start_slot")
    end_param = params[1] if len(params) > 1 and not isinstance(params[1], dict) else None
    config = _config(params, 2 if end_param is not None else 1)
    commitment = _confirmed_at_least(config)
    limit = node.ledger.slot_at(commitment)
    end = limit if end_param is None else min(_int(end_param, "end_slot"), limit)
    if end_param is not None and end_param - start > MAX_BLOCKS_RANGE:
        raise errors.invalid_params(f"Slot range too large; max {MAX_BLOCKS_RANGE}")
    return node.ledger.slots_between(start, end)


# -- transactions ----------------------------------------------------------------------
async def get_transaction(node: NodeView, params: list[Any]) -> Any:
    signature = str(_signature(_param(params, 0, "signature")))
    raw_config = params[1] if len(params) > 1 else None
    config = {"encoding": raw_config} if isinstance(raw_config, str) else _config(params, 1)
    commitment = _confirmed_at_least(config)
    encoding = _choice(config, "encoding", enc.ENCODINGS, "json")
    max_version = _max_version(config)
    entry = node.ledger.signatures.get(signature)
    if entry is None or entry.slot > node.ledger.slot_at(commitment):
        return None
    try:
        body = enc.tx_with_meta(
            entry.record, encoding=encoding, max_version=max_version, rewards=True
        )
    except enc.UnsupportedVersion as exc:
        raise _unsupported(exc) from None
    return {"blockTime": entry.block_time, "slot": entry.slot, **body}


async def get_signature_statuses(node: NodeView, params: list[Any]) -> Any:
    signatures = _param(params, 0, "signatures")
    if not isinstance(signatures, list):
        raise errors.invalid_params("invalid type: expected a sequence of signatures")
    if len(signatures) > MAX_SIGNATURE_STATUSES:
        raise errors.invalid_params(f"Too many inputs provided; max {MAX_SIGNATURE_STATUSES}")
    ledger = node.ledger
    values: list[Any] = []
    for raw in signatures:
        entry = ledger.signatures.get(str(_signature(raw)))
        if entry is None:
            values.append(None)
            continue
        status, confirmations = ledger.status(entry.slot)
        err = entry.record.err
        values.append(
            {
                "confirmationStatus": status,
                "confirmations": confirmations,
                "err": err,
                "slot": entry.slot,
                "status": {"Ok": None} if err is None else {"Err": err},
            }
        )
    return _context(ledger.slot_at("processed"), values)


async def get_signatures_for_address(node: NodeView, params: list[Any]) -> Any:
    address = _pubkey(_param(params, 0, "address"))
    config = _config(params, 1)
    commitment = _confirmed_at_least(config)
    limit = config.get("limit") or 1000
    if _int(limit, "limit") < 1 or limit > 1000:
        raise errors.invalid_params("Invalid limit; max 1000")
    before = config.get("before")
    until = config.get("until")
    before_sig = str(_signature(before)) if before else None
    until_sig = str(_signature(until)) if until else None
    max_slot = _context_slot(node, config, commitment)
    ledger = node.ledger
    results: list[dict[str, Any]] = []
    started = before_sig is None
    for entry in reversed(ledger.by_address.get(address, ())):
        signature = entry.record.signature
        if not started:
            started = signature == before_sig
            continue
        if signature == until_sig:
            break
        if entry.slot > max_slot:
            continue
        status, _ = ledger.status(entry.slot)
        results.append(
            {
                "blockTime": entry.block_time,
                "confirmationStatus": status,
                "err": entry.record.err,
                "memo": entry.record.memo,
                "signature": signature,
                "slot": entry.slot,
            }
        )
        if len(results) >= limit:
            break
    return results


def decode_transaction(data: Any, encoding: str) -> tuple[VersionedTransaction, bytes]:
    if not isinstance(data, str):
        raise errors.invalid_params("invalid type: expected an encoded transaction string")
    try:
        raw = base64.b64decode(data, validate=True) if encoding == "base64" else enc.b58decode(data)
        return VersionedTransaction.from_bytes(raw), raw
    except (ValueError, binascii.Error) as exc:
        raise errors.invalid_params(
            f"failed to deserialize solana_transaction::versioned::VersionedTransaction: {exc}"
        ) from None


def _tx_encoding(config: dict[str, Any]) -> str:
    return _choice(config, "encoding", ("base58", "base64"), "base58")


async def send_transaction(node: NodeView, params: list[Any]) -> Any:
    config = _config(params, 1)
    tx, raw = decode_transaction(_param(params, 0, "transaction"), _tx_encoding(config))
    if not all(tx.verify_with_results()):
        raise RpcError(
            errors.SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure"
        )
    signature = str(tx.signatures[0])
    if not config.get("skipPreflight", False):
        _context_slot(node, config, _commitment({"commitment": config.get("preflightCommitment")}))
        if node.is_known(signature):
            err: Any = "AlreadyProcessed"
            sim_logs: tuple[str, ...] = ()
            units = 0
        else:
            result = node.bank.simulate(tx)
            err, sim_logs, units = result.err, result.logs, result.compute_units
        if err is not None:
            raise RpcError(
                errors.PREFLIGHT_FAILURE,
                f"Transaction simulation failed: {errors.describe(err)}",
                _simulation_value(err, sim_logs, units),
            )
    node.submit(tx, raw)
    return signature


def _simulation_value(err: Any, logs: tuple[str, ...], units: int) -> dict[str, Any]:
    return {
        "accounts": None,
        "err": err,
        "innerInstructions": None,
        "logs": list(logs),
        "replacementBlockhash": None,
        "returnData": None,
        "unitsConsumed": units,
    }


async def simulate_transaction(node: NodeView, params: list[Any]) -> Any:
    config = _config(params, 1)
    tx, _ = decode_transaction(_param(params, 0, "transaction"), _tx_encoding(config))
    slot = _context_slot(node, config, _commitment(config))
    if config.get("sigVerify") and not all(tx.verify_with_results()):
        raise RpcError(
            errors.SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure"
        )
    if config.get("sigVerify") and config.get("replaceRecentBlockhash"):
        raise errors.invalid_params("sigVerify may not be used with replaceRecentBlockhash")
    result = node.bank.simulate(tx)
    return _context(slot, _simulation_value(result.err, result.logs, result.compute_units))


async def request_airdrop(node: NodeView, params: list[Any]) -> Any:
    address = _pubkey(_param(params, 0, "pubkey"))
    lamports = _int(_param(params, 1, "lamports"), "lamports")
    tx = node.bank.airdrop_tx(address, lamports)
    node.submit(tx, bytes(tx))
    return str(tx.signatures[0])


# -- accounts ----------------------------------------------------------------------------
def _data_slice(config: dict[str, Any]) -> tuple[int, int] | None:
    """The `dataSlice` (offset, length) of an account request, if any."""
    data_slice = config.get("dataSlice")
    if not data_slice:
        return None
    return (
        _int(data_slice.get("offset", 0), "offset"),
        _int(data_slice.get("length", 0), "length"),
    )


ACCOUNT_ENCODINGS = ("binary", "base58", "base64", "jsonParsed")


async def get_account_info(node: NodeView, params: list[Any]) -> Any:
    address = _pubkey(_param(params, 0, "pubkey"))
    config = _config(params, 1)
    slot = _context_slot(node, config, _commitment(config))
    encoding = _choice(config, "encoding", ACCOUNT_ENCODINGS, "binary")
    account = node.bank.account(address)
    data_slice = _data_slice(config)
    value = None if account is None else enc.account_json(account, encoding, data_slice=data_slice)
    return _context(slot, value)


async def get_balance(node: NodeView, params: list[Any]) -> Any:
    address = _pubkey(_param(params, 0, "pubkey"))
    config = _config(params, 1)
    slot = _context_slot(node, config, _commitment(config))
    account = node.bank.account(address)
    return _context(slot, 0 if account is None else account.lamports)


METHODS: dict[str, Handler] = {
    "getAccountInfo": get_account_info,
    "getBalance": get_balance,
    "getBlock": get_block,
    "getBlockHeight": get_block_height,
    "getBlockTime": get_block_time,
    "getBlocks": get_blocks,
    "getEpochInfo": get_epoch_info,
    "getFirstAvailableBlock": get_first_available_block,
    "getGenesisHash": get_genesis_hash,
    "getHealth": get_health,
    "getIdentity": get_identity,
    "getLatestBlockhash": get_latest_blockhash,
    "getRecentPerformanceSamples": get_recent_performance_samples,
    "getSignatureStatuses": get_signature_statuses,
    "getSignaturesForAddress": get_signatures_for_address,
    "getSlot": get_slot,
    "getTransaction": get_transaction,
    "getTransactionCount": get_transaction_count,
    "getVersion": get_version,
    "minimumLedgerSlot": get_first_available_block,
    "requestAirdrop": request_airdrop,
    "sendTransaction": send_transaction,
    "simulateTransaction": simulate_transaction,
}


async def call(node: NodeView, request: Any) -> dict[str, Any] | None:
    """Answer one JSON-RPC request object (None for a notification without id)."""
    if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or "method" not in request:
        return _error_envelope(RpcError(errors.INVALID_REQUEST, "Invalid request"), None)
    request_id = request.get("id")
    method = request["method"]
    params = request.get("params", [])
    handler = METHODS.get(method) if isinstance(method, str) else None
    try:
        if handler is None:
            raise errors.method_not_found()
        if params is None:
            params = []
        if not isinstance(params, list):
            raise errors.invalid_params("params must be an array")
        result = await handler(node, params)
    except RpcError as exc:
        return _error_envelope(exc, request_id) if "id" in request else None
    if "id" not in request:
        return None  # a JSON-RPC notification: executed, never answered
    return {"id": request_id, "jsonrpc": "2.0", "result": result}


def _error_envelope(exc: RpcError, request_id: Any) -> dict[str, Any]:
    return {"error": exc.as_dict(), "id": request_id, "jsonrpc": "2.0"}


def parse_error() -> dict[str, Any]:
    return _error_envelope(RpcError(errors.PARSE_ERROR, "Parse error"), None)


def invalid_request() -> dict[str, Any]:
    return _error_envelope(RpcError(errors.INVALID_REQUEST, "Invalid request"), None)
