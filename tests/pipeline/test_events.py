import pytest

from chainops.pipeline.events import Event, EventError, decode


def _transaction(**overrides: object) -> Event:
    fields: dict[str, object] = {
        "type": "transaction",
        "slot": 42,
        "tx_index": 3,
        "signature": "5sig",
        "block_time": 1767225600,
        "data": {"fee": 5000},
    }
    fields.update(overrides)
    return Event(**fields)  # type: ignore[arg-type]


def test_event_round_trips_through_its_wire_form():
    event = _transaction()
    assert decode(event.encode()) == event


def test_ids_are_deterministic_and_log_ids_name_their_position():
    assert _transaction().id == "5sig"
    log = _transaction(type="log", instruction_index=1, log_index=4)
    assert log.id == "5sig:1:4"
    assert decode(log.encode()).id == "5sig:1:4"


def test_partition_key_does_not_follow_the_slot():
    keys = {_transaction(signature=f"sig{n}").partition_key for n in range(64)}
    assert len(keys) == 64
    assert _transaction(slot=1).partition_key == _transaction(slot=2).partition_key


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"type": "block", "slot": 1, "tx_index": 0, "signature": "s"}', "type must be"),
        (b'{"type": "log", "slot": -1, "tx_index": 0, "signature": "s"}', "slot must be"),
        (b'{"type": "transaction", "slot": 1, "tx_index": 0, "signature": ""}', "signature"),
        (
            b'{"id": "x", "type": "transaction", "slot": 1, "tx_index": 0, "signature": "s"}',
            "does not match",
        ),
    ],
)
def test_malformed_records_are_refused_with_the_reason(payload: bytes, message: str):
    with pytest.raises(EventError, match=message):
        decode(payload)
