"""Block JSON (getBlock, encoding "json", details "full") -> pipeline events. Pure.

One ``transaction`` event per transaction, and one ``log`` event per log line a filtered
program emitted, for the transactions that invoke one. Runs on orjson's dicts directly: the
events want strings and ints, which typed solders objects would only convert back to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from chainops.pipeline.events import Event

MEMO_PROGRAMS = frozenset(
    {"MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr", "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"}
)
TOKEN_PROGRAMS = frozenset(
    {"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"}
)
DEFAULT_PROGRAMS = MEMO_PROGRAMS | TOKEN_PROGRAMS


def block_events(slot: int, block: Mapping[str, Any], programs: frozenset[str]) -> list[Event]:
    """Every event of one block, in ``(tx_index, log_index)`` order."""
    block_time = block.get("blockTime")
    events: list[Event] = []
    for tx_index, entry in enumerate(block.get("transactions") or ()):
        transaction = transaction_event(slot, tx_index, block_time, entry)
        events.append(transaction)
        if not programs.isdisjoint(transaction.data["programs"]):
            meta = entry.get("meta") or {}
            events.extend(log_events(transaction, meta.get("logMessages") or (), programs=programs))
    return events


def transaction_event(
    slot: int, tx_index: int, block_time: int | None, entry: Mapping[str, Any]
) -> Event:
    """The transaction's event: fee, status, static accounts, invoked programs, compute units."""
    transaction = entry["transaction"]
    message = transaction["message"]
    static_keys: list[str] = message["accountKeys"]
    meta = entry.get("meta") or {}
    loaded = meta.get("loadedAddresses") or {}
    # Program indexes address the static keys followed by the lookup tables' loaded ones.
    keys = static_keys
    if loaded.get("writable") or loaded.get("readonly"):
        keys = [*static_keys, *loaded.get("writable", ()), *loaded.get("readonly", ())]
    err = meta.get("err")
    data: dict[str, Any] = {
        "fee": meta.get("fee"),
        "err": err,
        "status": "ok" if err is None else "failed",
        "accounts": static_keys,
        "programs": _invoked(keys, message["instructions"], meta.get("innerInstructions")),
    }
    compute_units = meta.get("computeUnitsConsumed")
    if compute_units is not None:
        data["compute_units"] = compute_units
    return Event(
        type="transaction",
        slot=slot,
        tx_index=tx_index,
        signature=transaction["signatures"][0],
        block_time=block_time,
        data=data,
    )


def _invoked(
    keys: Sequence[str],
    instructions: Sequence[Mapping[str, Any]],
    inner: Sequence[Mapping[str, Any]] | None,
) -> list[str]:
    """Program ids of the top-level and inner instructions, first occurrence order."""
    programs: list[str] = []
    # A list scan beats a set for the few programs a transaction calls (the hot path).
    for ix in instructions:
        program = keys[ix["programIdIndex"]]
        if program not in programs:
            programs.append(program)
    for group in inner or ():
        for ix in group["instructions"]:
            program = keys[ix["programIdIndex"]]
            if program not in programs:
                programs.append(program)
    return programs


def log_events(
    transaction: Event, logs: Sequence[str], *, programs: frozenset[str]
) -> Iterator[Event]:
    """One event per log line emitted while a filtered program was executing.

    The runtime frames each invocation with ``Program <id> invoke [depth]`` and
    ``Program <id> success|failed``; lines in between belong to the innermost running program,
    so a filtered program's CPI into another program does not match that program's lines.
    """
    stack: list[str] = []
    instruction = -1
    for log_index, line in enumerate(logs):
        program = stack[-1] if stack else None
        if line.startswith("Program "):
            parts = line.split(" ", 3)
            verb = parts[2] if len(parts) > 2 else ""
            if verb == "invoke":
                if parts[3:] == ["[1]"]:
                    instruction += 1
                program = parts[1]
                stack.append(program)
            elif verb in ("success", "failed:") and stack:
                program = stack.pop()
        if program in programs:
            yield Event(
                type="log",
                slot=transaction.slot,
                tx_index=transaction.tx_index,
                signature=transaction.signature,
                block_time=transaction.block_time,
                data={"program": program, "log": line},
                instruction_index=max(instruction, 0),
                log_index=log_index,
            )
