from typing import Any

from chainops.listener.decode import DEFAULT_PROGRAMS, block_events

MEMO = "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"
SPL = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
SYSTEM = "11111111111111111111111111111111"
PAYER = "5V8wjQGiL7HnCUdpNf2Xh1SEq5nL5msXcraPZox85AbP"
OTHER = "4n2Q4V1WhvVv5X5Hofu2GmpyMJxY8DXEdyYgSMLrE8QD"


def _tx(
    signature: str,
    keys: list[str],
    program_indexes: list[int],
    logs: list[str],
    *,
    err: Any = None,
    inner: list[int] | None = None,
    loaded: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    return {
        "meta": {
            "computeUnitsConsumed": 150,
            "err": err,
            "fee": 5000,
            "innerInstructions": [
                {"index": 0, "instructions": [{"programIdIndex": i} for i in inner or []]}
            ],
            "loadedAddresses": loaded or {"readonly": [], "writable": []},
            "logMessages": logs,
            "status": {"Ok": None} if err is None else {"Err": err},
        },
        "transaction": {
            "message": {
                "accountKeys": keys,
                "instructions": [{"programIdIndex": i, "accounts": []} for i in program_indexes],
            },
            "signatures": [signature],
        },
        "version": "legacy",
    }


def _block(*txs: dict[str, Any]) -> dict[str, Any]:
    return {"blockTime": 1767225600, "parentSlot": 9, "transactions": list(txs)}


TRANSFER = _tx(
    "sigTransfer",
    [PAYER, OTHER, SYSTEM],
    [2],
    [f"Program {SYSTEM} invoke [1]", f"Program {SYSTEM} success"],
)
MEMO_TX = _tx(
    "sigMemo",
    [PAYER, MEMO],
    [1],
    [
        f"Program {MEMO} invoke [1]",
        'Program log: Memo (len 5): "hello"',
        f"Program {MEMO} consumed 579 of 200000 compute units",
        f"Program {MEMO} success",
    ],
)


def test_one_transaction_event_per_transaction_with_position_and_payload():
    """Each transaction becomes one event at (slot, tx_index), its id the signature."""
    events = block_events(10, _block(TRANSFER, MEMO_TX), frozenset())
    assert [(e.type, e.slot, e.tx_index, e.id) for e in events] == [
        ("transaction", 10, 0, "sigTransfer"),
        ("transaction", 10, 1, "sigMemo"),
    ]
    assert events[0].block_time == 1767225600
    assert events[0].data == {
        "fee": 5000,
        "err": None,
        "status": "ok",
        "accounts": [PAYER, OTHER, SYSTEM],
        "programs": [SYSTEM],
        "compute_units": 150,
    }


def test_failed_transaction_carries_its_error():
    """A failed transaction is still an event, with status failed and the runtime's error."""
    error = {"InstructionError": [0, "InvalidAccountOwner"]}
    failed = _tx("sigFailed", [PAYER, SYSTEM], [1], [], err=error)
    (event,) = block_events(3, _block(failed), DEFAULT_PROGRAMS)
    assert event.data["status"] == "failed"
    assert event.data["err"] == error


def test_log_events_only_for_filtered_programs_with_positions_in_their_ids():
    """A memo transaction yields log events for the memo's lines; a transfer yields none."""
    events = block_events(10, _block(TRANSFER, MEMO_TX), frozenset({MEMO}))
    logs = [e for e in events if e.type == "log"]
    assert [(e.tx_index, e.instruction_index, e.log_index) for e in logs] == [
        (1, 0, 0),
        (1, 0, 1),
        (1, 0, 2),
        (1, 0, 3),
    ]
    assert logs[1].id == "sigMemo:0:1"
    assert logs[1].data == {"program": MEMO, "log": 'Program log: Memo (len 5): "hello"'}
    assert block_events(10, _block(MEMO_TX), frozenset({SPL})) == block_events(
        10, _block(MEMO_TX), frozenset()
    )


def test_cpi_lines_belong_to_the_innermost_program_and_instructions_are_counted():
    """Lines of a program called by CPI are not the caller's; the second instruction is 1."""
    logs = [
        f"Program {SYSTEM} invoke [1]",
        f"Program {SYSTEM} success",
        f"Program {SPL} invoke [1]",
        "Program log: Instruction: Transfer",
        f"Program {MEMO} invoke [2]",
        "Program log: nested memo",
        f"Program {MEMO} success",
        "Program log: back in token",
        f"Program {SPL} success",
    ]
    tx = _tx("sigCpi", [PAYER, SYSTEM, SPL, MEMO], [1, 2], logs, inner=[3])
    (transaction, *log_events) = block_events(5, _block(tx), frozenset({SPL}))
    assert transaction.data["programs"] == [SYSTEM, SPL, MEMO]
    assert [(e.instruction_index, e.log_index) for e in log_events] == [
        (1, 2),
        (1, 3),
        (1, 7),
        (1, 8),
    ]


def test_program_ids_resolve_through_loaded_addresses():
    """A v0 transaction's program index may point past the static keys into loaded ones."""
    tx = _tx("sigV0", [PAYER], [2], [], loaded={"writable": [OTHER], "readonly": [SPL]})
    (event,) = block_events(1, _block(tx), frozenset())
    assert event.data["programs"] == [SPL]
    assert event.data["accounts"] == [PAYER]


def test_partition_keys_spread_one_slot_over_many_keys():
    """Events of one slot get distinct partition keys (the id's hash, not the slot)."""
    txs = [_tx(f"sig{n}", [PAYER, SYSTEM], [1], []) for n in range(50)]
    keys = {e.partition_key for e in block_events(7, _block(*txs), frozenset())}
    assert len(keys) == 50


def test_block_without_transactions_has_no_events():
    """An empty block (or one fetched without details) yields nothing, not an error."""
    assert block_events(4, {"blockTime": None, "transactions": []}, DEFAULT_PROGRAMS) == []
