"""Kinesis: throughput faults, AWS's PutRecords limits, SubscribeToShard, retention's trim.

Faults (the registry and API are ``chainops.lab.aws.extensions.faults``): a ``kinesis``
fault on PutRecord or PutRecords makes the next ``count`` matching calls (every call when
``count`` is null)

- ``"mode": "fail"``: fail entirely with ``ProvisionedThroughputExceededException`` (HTTP
  400), writing nothing; or
- ``"mode": "partial"`` (PutRecords only): fail a ``fraction`` of the batch's records, spread
  evenly over it, with ``ErrorCode`` ProvisionedThroughputExceededException, counted in
  ``FailedRecordCount``; the failed records are not written, the others are.

``stream`` (a name) restricts a fault to one stream. ``chainops.lab.aws.faults`` is the typed
client.

Limits: moto checked the 5 MiB total before the per-record size, so a batch with one record
over 1 MiB got "Records size exceeds 5 MB limit" rather than AWS's validation error for the
record, counted the partition key into the 1 MiB data limit, accepted an empty batch and
never checked PutRecord's data size. The lab validates in AWS's order with AWS's errors.

Concurrency: moto numbers a shard's records as its highest sequence number plus one, without a
lock, and the server answers on threads, so two concurrent PutRecords could take the same
number and one record overwrote the other (lost), and a GetRecords reading the shard while a
put added to it could fail with "dictionary changed size during iteration". The lab serialises
each shard's writes and reads with one lock, as AWS's per-shard ordering implies. moto's
GetRecords also walked the shard from its first record on every call, and each put copied every
sequence number to find the last, so both grew with the stream's age: the lab bisects a list of
the shard's numbers it keeps beside the records and reads the last number off the ordered
dict's end.

Speed (`benchmarks/lab_aws.py`): a PutRecords batch takes the lock once, not once a record;
records are stamped without rebuilding the epoch each; a record's size is read off its base64
length; GetRecords and PutRecords answer in JSON written directly (orjson), the stored base64
passed through where moto decoded each blob for its serializer to encode again.

SubscribeToShard (enhanced fan-out) was missing. The lab answers with one
SubscribeToShardEvent holding the records after the starting position (up to 10,000) and its
ContinuationSequenceNumber, then ends the stream: AWS keeps a subscription open for up to five
minutes, a consumer resubscribes either way.

Retention: moto keeps every record for ever, whatever RetentionPeriodHours says, so a
consumer's outage past retention cannot happen. ``POST /moto-api/chainops/kinesis/trim`` with
``{"stream": name, "older_than_seconds": s}`` (default 0: every record) expires the records
that arrived more than ``s`` seconds ago, in every shard, as the trim horizon passing them
does on AWS: TRIM_HORIZON then starts at the oldest record left, an iterator after a trimmed
sequence number reads on from there, and new records keep their shard's numbering.
"""

from __future__ import annotations

import base64
import bisect
import functools
import json
import math
import threading
import time
from datetime import UTC, datetime
from typing import Any

import orjson

from chainops.lab.aws.extensions.faults import take_fault
from chainops.lab.aws.extensions.locking import serialise

THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException"
MAX_RECORDS = 500
MAX_RECORD_BYTES = 1024 * 1024
MAX_BATCH_BYTES = 5 * 1024 * 1024
SUBSCRIBE_BATCH = 10_000


def failing_indexes(size: int, fraction: float) -> set[int]:
    """Which of ``size`` records fail: ``ceil(size * fraction)`` of them, spread evenly."""
    failing = min(size, math.ceil(size * fraction))
    return {math.floor(i * size / failing) for i in range(failing)} if failing else set()


def _throughput_error(stream: str, account_id: str, error: str) -> Any:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(
        error,
        f"Rate exceeded for shard shardId-000000000000 in stream {stream} "
        f"under account {account_id}.",
    )


def _stream_name(response: Any) -> str:
    name = response._get_param("StreamName")
    if name:
        return str(name)
    return str(response._get_param("StreamARN") or "").rsplit("/", 1)[-1]


def _data_length(data: Any) -> int:
    """The decoded size of a blob moto hands over still base64-encoded (str or bytes), from its
    length: decoding each record only to count it was a tenth of PutRecords' time."""
    if not data:
        return 0
    encoded = data.encode() if isinstance(data, str) else bytes(data)
    encoded = encoded.rstrip(b"\n")
    if len(encoded) % 4:  # not base64 as SDKs send it: decoding says what is wrong
        return len(base64.b64decode(encoded))
    return len(encoded) // 4 * 3 - (len(encoded) - len(encoded.rstrip(b"=")))


def validate_put_records(records: list[dict[str, Any]]) -> None:
    """AWS's checks on a PutRecords batch, in AWS's order, with AWS's errors."""
    from moto.core.exceptions import JsonRESTError

    if not records:
        raise JsonRESTError(
            "ValidationException",
            "1 validation error detected: Value '[]' at 'records' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1",
        )
    if len(records) > MAX_RECORDS:
        raise JsonRESTError(
            "ValidationException",
            "1 validation error detected: Value at 'records' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_RECORDS}",
        )
    sizes = [_data_length(r.get("Data")) for r in records]
    for position, size in enumerate(sizes, start=1):
        if size > MAX_RECORD_BYTES:
            raise JsonRESTError(
                "ValidationException",
                f"1 validation error detected: Value at 'records.{position}.member.data' "
                "failed to satisfy constraint: Member must have length less than or equal "
                f"to {MAX_RECORD_BYTES}",
            )
    total = sum(sizes) + sum(len(str(r.get("PartitionKey") or "").encode()) for r in records)
    if total > MAX_BATCH_BYTES:
        raise JsonRESTError("InvalidArgumentException", "Records size exceeds 5 MB limit")


def write_records(
    backend: Any, stream_arn: str | None, stream_name: str | None, records: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """Store validated records as moto's PutRecords does, without its own size checks."""
    stream = backend.describe_stream(stream_arn=stream_arn, stream_name=stream_name)
    written = []
    # The batch takes the shards' lock once rather than once a record, as contended as that was
    # (half of PutRecords' samples were threads waiting for it); the lock is reentrant.
    with _shard_lock:
        for record in records:
            sequence_number, shard_id = stream.put_record(
                record.get("PartitionKey"), record.get("ExplicitHashKey"), record.get("Data")
            )
            written.append({"SequenceNumber": sequence_number, "ShardId": shard_id})
    if records:
        backend._send_stream_metrics(
            stream.stream_name,
            incoming_bytes=sum(_data_length(r.get("Data")) for r in records),
            incoming_records=len(records),
        )
    return written


# One lock for every shard's records: the lab's Kinesis traffic is small, correctness is not.
_shard_lock = threading.RLock()


# A shard's sequence numbers in order, kept on moto's Shard beside its dict of records.
_NUMBERS = "chainops_numbers"


def _numbers(shard: Any) -> list[int]:
    """The shard's sequence numbers, ascending (the dict's insertion order). Puts append and
    trims cut the front; a dict changed any other way (moto's resharding) no longer matches in
    length and the list is rebuilt. Was: sorted afresh on every GetRecords, the lab's heaviest
    frame once a stream held a backlog."""
    numbers: list[int] | None = getattr(shard, _NUMBERS, None)
    if numbers is None or len(numbers) != len(shard.records):
        numbers = [int(number) for number in shard.records]
        setattr(shard, _NUMBERS, numbers)
    return numbers


def _get_records(self: Any, last_sequence_id: str, limit: int | None) -> tuple[list[Any], int, int]:
    """moto's Shard.get_records (records after a sequence number), by bisection."""
    after = int(last_sequence_id)
    numbers = _numbers(self)
    start = bisect.bisect_right(numbers, after)
    chosen = numbers[start : start + limit if limit else None]
    if not chosen:
        return [], after, 0
    records = [self.records[number] for number in chosen]
    behind_s = self.records[numbers[-1]].created_at - records[-1].created_at
    return records, chosen[-1], int(behind_s * 1000)


def _max_sequence_number(self: Any) -> int:
    """moto's copies every key to read the last one, so each put cost the shard's length.

    A shard trimmed empty keeps counting from its last number, as AWS never reuses one.
    """
    if self.records:
        return int(next(reversed(self.records)))
    return int(getattr(self, _TRIMMED_THROUGH, 0))


def _put_record(self: Any, partition_key: str, data: str, explicit_hash_key: str) -> str:
    """moto's, numbering from the last number ever given (0 only for a new shard)."""
    from moto.kinesis.models import Record

    numbers = _numbers(self)
    sequence_number = _max_sequence_number(self) + 1
    self.records[sequence_number] = Record(partition_key, data, sequence_number, explicit_hash_key)
    numbers.append(sequence_number)
    return str(sequence_number)


def _min_sequence_number(self: Any) -> int:
    return int(next(iter(self.records))) if self.records else 0


# A shard's highest trimmed sequence number, kept on moto's Shard.
_TRIMMED_THROUGH = "chainops_trimmed_through"


def trim(shard: Any, horizon: float) -> tuple[int, int] | None:
    """Expire a shard's records that arrived before ``horizon`` (epoch seconds), as retention
    does; the first and last sequence numbers removed, or None."""
    with _shard_lock:
        numbers = _numbers(shard)
        # Records arrive in order, so the expired ones are a prefix.
        count = bisect.bisect_left(
            numbers, True, key=lambda number: shard.records[number].created_at >= horizon
        )
        if not count:
            return None
        expired = numbers[:count]
        last_given = _max_sequence_number(shard)
        for number in expired:
            del shard.records[number]
        del numbers[:count]
        setattr(shard, _TRIMMED_THROUGH, max(expired[-1], last_given))
        return expired[0], expired[-1]


def _streams(name: str) -> list[Any]:
    from moto.kinesis.models import kinesis_backends

    return [
        backend.streams[name]
        for regions in kinesis_backends.values()
        for backend in regions.values()
        if name in backend.streams
    ]


def _trim_route(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    """POST {"stream": name, "older_than_seconds": 0}: retention passes over the stream now."""
    json_type = {"Content-Type": "application/json"}
    if request.method != "POST":
        return 405, json_type, json.dumps({"error": "use POST"})
    try:
        raw = request.get_data() if hasattr(request, "get_data") else request.data
        body = json.loads(raw or b"{}")
        name = str(body["stream"])
        age = float(body.get("older_than_seconds", 0))
    except (ValueError, TypeError, KeyError) as error:
        return 400, json_type, json.dumps({"error": f"bad trim request: {error!r}"})
    streams = _streams(name)
    if not streams:
        return 404, json_type, json.dumps({"error": f"no stream {name}"})
    horizon = time.time() - age
    trimmed = {}
    for stream in streams:
        for shard in stream.shards.values():
            removed = trim(shard, horizon)
            if removed is not None:
                trimmed[shard.shard_id] = [str(removed[0]), str(removed[1])]
    return 200, json_type, json.dumps({"trimmed": trimmed})


def _put_records_with_faults(original: Any) -> Any:
    @functools.wraps(original)
    def put_records(self: Any) -> Any:
        records = list(self._get_param("Records") or [])
        validate_put_records(records)
        stream = _stream_name(self)
        # An unknown stream is reported before any fault fires.
        self.kinesis_backend.describe_stream(
            stream_arn=self._get_param("StreamARN"), stream_name=self._get_param("StreamName")
        )
        fault = take_fault("kinesis", "PutRecords", stream)
        if fault is not None and fault.mode == "fail":
            raise _throughput_error(stream, self.current_account, fault.error)
        failing = failing_indexes(len(records), fault.fraction) if fault else set()
        written = iter(
            write_records(
                self.kinesis_backend,
                self._get_param("StreamARN"),
                self._get_param("StreamName"),
                [record for i, record in enumerate(records) if i not in failing],
            )
        )
        message = _throughput_error(stream, self.current_account, THROUGHPUT_EXCEEDED).message
        results = [
            {"ErrorCode": fault.error, "ErrorMessage": message}
            if fault and i in failing
            else next(written)
            for i in range(len(records))
        ]
        return orjson.dumps({"FailedRecordCount": len(failing), "Records": results}).decode()

    return put_records


def _arrival(record: Any) -> float:
    """ApproximateArrivalTimestamp as moto's serializer writes it: epoch seconds, milliseconds
    truncated; from the record's epoch seconds (exact to the microsecond), not its datetime."""
    micros: int = round(record.created_at * 1_000_000)
    return micros // 1000 / 1000


_EPOCH = datetime(1970, 1, 1)  # moto's records hold naive UTC datetimes


def _record_init(
    self: Any, partition_key: str, data: str, sequence_number: int, explicit_hash_key: str
) -> None:
    """moto's Record.__init__, without building the epoch anew for every record."""
    self.partition_key = partition_key
    self.data = data
    self.sequence_number = sequence_number
    self.explicit_hash_key = explicit_hash_key
    self.created_at_datetime = datetime.now(UTC).replace(tzinfo=None)
    self.created_at = (self.created_at_datetime - _EPOCH).total_seconds()


def _get_records_answer(self: Any) -> str:
    """GetRecords written straight as JSON: the stored blob is already base64, as the answer
    carries it. moto decoded every record and its serializer encoded it again, a third of a
    GetRecords' time (`benchmarks/lab_aws.py --profile`)."""
    next_iterator, records, behind = self.kinesis_backend.get_records(
        self._get_param("StreamARN"), self._get_param("ShardIterator"), self._get_param("Limit")
    )
    data = [
        {
            "Data": record.data if isinstance(record.data, str) else record.data.decode(),
            "PartitionKey": record.partition_key,
            "SequenceNumber": str(record.sequence_number),
            "ApproximateArrivalTimestamp": _arrival(record),
        }
        for record in records
    ]
    return orjson.dumps(
        {"NextShardIterator": next_iterator, "Records": data, "MillisBehindLatest": behind}
    ).decode()


def _put_record_with_faults(original: Any) -> Any:
    @functools.wraps(original)
    def put_record(self: Any) -> Any:
        from moto.core.exceptions import JsonRESTError

        if _data_length(self._get_param("Data")) > MAX_RECORD_BYTES:
            raise JsonRESTError(
                "ValidationException",
                "1 validation error detected: Value at 'data' failed to satisfy constraint: "
                f"Member must have length less than or equal to {MAX_RECORD_BYTES}",
            )
        stream = _stream_name(self)
        self.kinesis_backend.describe_stream(
            stream_arn=self._get_param("StreamARN"), stream_name=self._get_param("StreamName")
        )
        fault = take_fault("kinesis", "PutRecord", stream)
        if fault is not None:
            raise _throughput_error(stream, self.current_account, fault.error)
        return original(self)

    return put_record


def _subscribe_to_shard(self: Any) -> Any:
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult

    consumer_arn = str(self._get_param("ConsumerARN") or "")
    stream_arn = consumer_arn.split("/consumer/", 1)[0]
    backend = self.kinesis_backend
    consumers = backend.describe_stream(stream_arn=stream_arn, stream_name=None).consumers
    if not any(c.consumer_arn == consumer_arn for c in consumers):
        raise JsonRESTError("ResourceNotFoundException", f"Consumer {consumer_arn} not found.")
    position = self._get_param("StartingPosition") or {}
    iterator = backend.get_shard_iterator(
        stream_arn,
        None,
        self._get_param("ShardId"),
        position.get("Type"),
        position.get("SequenceNumber"),
        position.get("Timestamp"),
    )
    _, records, millis_behind = backend.get_records(stream_arn, iterator, SUBSCRIBE_BATCH)
    continuation = records[-1].sequence_number if records else last_sequence(iterator)
    event = {
        "Records": [record.to_json() for record in records],
        "ContinuationSequenceNumber": str(continuation),
        "MillisBehindLatest": millis_behind,
        "ChildShards": [],
    }
    return ActionResult({"EventStream": [{"SubscribeToShardEvent": event}]})


def last_sequence(iterator: str) -> int:
    """The sequence number a moto shard iterator starts after."""
    from moto.kinesis.utils import decompose_shard_iterator

    return int(decompose_shard_iterator(iterator)[2])


def install() -> None:
    from moto.kinesis.models import Record, Shard
    from moto.kinesis.responses import KinesisResponse
    from moto.moto_api._internal import urls

    Record.__init__ = _record_init
    Shard.get_records = _get_records
    Shard.get_max_sequence_number = _max_sequence_number
    Shard.put_record = _put_record
    Shard.get_min_sequence_number = _min_sequence_number
    serialise(
        Shard,
        ("put_record", "get_records", "get_min_sequence_number", "get_max_sequence_number"),
        _shard_lock,
    )
    KinesisResponse.put_records = _put_records_with_faults(KinesisResponse.put_records)
    KinesisResponse.put_record = _put_record_with_faults(KinesisResponse.put_record)
    KinesisResponse.subscribe_to_shard = _subscribe_to_shard
    KinesisResponse.get_records = _get_records_answer
    urls.url_paths["{0}/moto-api/chainops/kinesis/trim$"] = _trim_route
