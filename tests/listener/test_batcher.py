import pytest

from chainops.listener.batcher import Batcher, Record, RecordTooLarge, record_of
from chainops.pipeline.events import MAX_BATCH_BYTES, MAX_RECORD_BYTES, Event

KEY = "0" * 32


def _record(size: int, slot: int = 1) -> Record:
    return Record(b"x" * (size - len(KEY)), KEY, slot)


def _pack(batcher: Batcher, records: list[Record]) -> list[list[Record]]:
    batches = [full for record in records if (full := batcher.add(record))]
    if rest := batcher.flush():
        batches.append(rest)
    return batches


def test_batches_hold_at_most_500_records():
    """1,201 small records pack into 500 + 500 + 201, nothing lost or reordered."""
    records = [_record(100, slot=n) for n in range(1201)]
    batches = _pack(Batcher(), records)
    assert [len(b) for b in batches] == [500, 500, 201]
    assert [r for b in batches for r in b] == records


def test_batches_stay_within_5_mib_counting_partition_keys():
    """Records of 1 MiB (data + key) go five to a batch: a sixth would pass 5 MiB."""
    records = [_record(MAX_RECORD_BYTES) for _ in range(11)]
    batches = _pack(Batcher(), records)
    assert [len(b) for b in batches] == [5, 5, 1]
    assert all(sum(r.size for r in b) <= MAX_BATCH_BYTES for b in batches)


def test_record_over_1_mib_is_rejected_with_the_event_named():
    """An event whose record would exceed 1 MiB raises RecordTooLarge naming the event."""
    event = Event("transaction", 9, 0, "bigSig", None, {"blob": "y" * MAX_RECORD_BYTES})
    with pytest.raises(RecordTooLarge, match=r"bigSig at slot 9 .* at most 1048576"):
        record_of(event)
    with pytest.raises(RecordTooLarge):
        Batcher().add(_record(MAX_RECORD_BYTES + 1))


def test_record_carries_the_event_payload_key_and_slot():
    """The record's data is the event's wire form, its key the event's partition key."""
    event = Event("transaction", 12, 3, "sig", 1, {"fee": 5000})
    record = record_of(event)
    assert (record.data, record.partition_key, record.slot) == (
        event.encode(),
        event.partition_key,
        12,
    )


def test_smaller_batch_size_is_honoured_and_bad_limits_refused():
    """--batch-records below 500 caps batches; limits beyond Kinesis' are refused."""
    assert [len(b) for b in _pack(Batcher(max_records=3), [_record(10)] * 7)] == [3, 3, 1]
    with pytest.raises(ValueError, match="max_records"):
        Batcher(max_records=501)
    with pytest.raises(ValueError, match="max_bytes"):
        Batcher(max_bytes=MAX_BATCH_BYTES + 1)
