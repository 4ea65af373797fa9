"""JSON-RPC errors with the codes and messages of Agave's `rpc_custom_error.rs`."""

from __future__ import annotations

import re
from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
BLOCK_CLEANED_UP = -32001
PREFLIGHT_FAILURE = -32002
SIGNATURE_VERIFICATION_FAILURE = -32003
BLOCK_NOT_AVAILABLE = -32004
NODE_UNHEALTHY = -32005
SLOT_SKIPPED = -32007
UNSUPPORTED_TRANSACTION_VERSION = -32015
MIN_CONTEXT_SLOT_NOT_REACHED = -32016


class RpcError(Exception):
    """An error object for a JSON-RPC response."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid_params(detail: str) -> RpcError:
    return RpcError(INVALID_PARAMS, f"Invalid params: {detail}.")


def method_not_found() -> RpcError:
    return RpcError(METHOD_NOT_FOUND, "Method not found")


def block_cleaned_up(slot: int, first_available: int) -> RpcError:
    return RpcError(
        BLOCK_CLEANED_UP,
        f"Block {slot} cleaned up, does not exist on node. "
        f"First available block: {first_available}",
    )


def block_not_available(slot: int) -> RpcError:
    return RpcError(BLOCK_NOT_AVAILABLE, f"Block not available for slot {slot}")


def slot_skipped(slot: int) -> RpcError:
    return RpcError(
        SLOT_SKIPPED,
        f"Slot {slot} was skipped, or missing due to ledger jump to recent snapshot",
    )


def min_context_slot_not_reached(context_slot: int) -> RpcError:
    return RpcError(
        MIN_CONTEXT_SLOT_NOT_REACHED,
        "Minimum context slot has not been reached",
        {"contextSlot": context_slot},
    )


_FIELDLESS = {
    "AccountInUse": "Account in use",
    "AccountNotFound": "Attempt to debit an account but found no record of a prior credit.",
    "AlreadyProcessed": "This transaction has already been processed",
    "BlockhashNotFound": "Blockhash not found",
    "InsufficientFundsForFee": "Insufficient funds for fee",
    "InvalidAccountForFee": "This account may not be used to pay transaction fees",
    "ProgramAccountNotFound": "Attempt to load a program that does not exist",
    "SignatureFailure": "Transaction did not pass signature verification",
    "InvalidProgramForExecution": "Attempt to load a program that does not exist",
}


def _sentence(name: str) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    return words[:1].upper() + words[1:]


def describe(err: Any) -> str:
    """The Display text Agave prints for a TransactionError in preflight messages."""
    if isinstance(err, str):
        return _FIELDLESS.get(err, _sentence(err))
    if isinstance(err, dict) and "InstructionError" in err:
        index, inner = err["InstructionError"]
        if isinstance(inner, dict) and "Custom" in inner:
            text = f"custom program error: {inner['Custom']:#x}"
        else:
            text = _sentence(str(inner)).lower() if isinstance(inner, str) else str(inner)
        return f"Error processing Instruction {index}: {text}"
    if isinstance(err, dict) and "InsufficientFundsForRent" in err:
        index = err["InsufficientFundsForRent"]["account_index"]
        return f"Transaction results in an account ({index}) with insufficient funds for rent"
    return str(err)
