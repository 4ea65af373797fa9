"""Kinesis: throughput faults injected at run time, AWS's PutRecords limits, SubscribeToShard.

Faults: ``POST /moto-api/chainops/faults`` with a JSON body adds one, ``GET`` lists them,
``DELETE`` clears them (all, or one with ``?id=``); a lab reset clears them too. A fault makes
the next ``count`` matching PutRecord/PutRecords calls (every call when ``count`` is null)

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
sequence number to find the last, so both grew with the stream's age: the lab bisects to a
read's position and reads the last number off the ordered dict's end.

SubscribeToShard (enhanced fan-out) was missing. The lab answers with one
SubscribeToShardEvent holding the records after the starting position (up to 10,000) and its
ContinuationSequenceNumber, then ends the stream: AWS keeps a subscription open for up to five
minutes, a consumer resubscribes either way.
"""

from __future__ import annotations

import base64
import bisect
import functools
import itertools
import json
import math
import threading
import urllib.parse
from dataclasses import asdict, dataclass, field
from typing import Any

from chainops.lab.aws.extensions.locking import serialise

OPERATIONS = ("PutRecord", "PutRecords")
MODES = ("fail", "partial")
THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException"
MAX_RECORDS = 500
MAX_RECORD_BYTES = 1024 * 1024
MAX_BATCH_BYTES = 5 * 1024 * 1024
SUBSCRIBE_BATCH = 10_000


@dataclass
class Fault:
    """One injected fault, as POSTed (with defaults) and listed."""

    operation: str
    mode: str = "fail"
    count: int | None = 1
    fraction: float = 0.5
    stream: str | None = None
    error: str = THROUGHPUT_EXCEEDED
    id: str = ""
    triggered: int = field(default=0)


_faults: list[Fault] = []
_lock = threading.Lock()
_ids = itertools.count(1)


def parse_fault(body: dict[str, Any]) -> Fault:
    """A Fault from a request body; ValueError says what is wrong with it."""
    unknown = set(body) - {"operation", "mode", "count", "fraction", "stream", "error"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    fault = Fault(
        operation=str(body.get("operation", "")),
        mode=str(body.get("mode", "fail")),
        count=None if body.get("count", 1) is None else int(body.get("count", 1)),
        fraction=float(body.get("fraction", 0.5)),
        stream=body.get("stream"),
        error=str(body.get("error", THROUGHPUT_EXCEEDED)),
    )
    if fault.operation not in OPERATIONS:
        raise ValueError(f"operation must be one of {OPERATIONS}")
    if fault.mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if fault.mode == "partial" and fault.operation != "PutRecords":
        raise ValueError("mode partial applies to PutRecords only")
    if fault.count is not None and fault.count < 1:
        raise ValueError("count must be at least 1, or null for every call")
    if not 0 < fault.fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    return fault


def add_fault(fault: Fault) -> Fault:
    with _lock:
        fault.id = f"fault-{next(_ids)}"
        _faults.append(fault)
    return fault


def clear_faults(fault_id: str | None = None) -> int:
    """Remove one fault (by id) or all; the number removed."""
    with _lock:
        before = len(_faults)
        _faults[:] = [f for f in _faults if fault_id is not None and f.id != fault_id]
        return before - len(_faults)


def list_faults() -> list[dict[str, Any]]:
    with _lock:
        return [asdict(fault) for fault in _faults]


def take_fault(operation: str, stream: str | None) -> Fault | None:
    """The first fault matching a call, used up by it."""
    with _lock:
        for fault in _faults:
            if fault.operation != operation or (fault.stream and fault.stream != stream):
                continue
            fault.triggered += 1
            if fault.count is not None:
                fault.count -= 1
                if fault.count == 0:
                    _faults.remove(fault)
            return fault
    return None


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
    # moto hands the blob over still base64-encoded (str or bytes).
    return len(base64.b64decode(data or b""))


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


def _get_records(self: Any, last_sequence_id: str, limit: int | None) -> tuple[list[Any], int, int]:
    """moto's Shard.get_records (records after a sequence number), by bisection."""
    after = int(last_sequence_id)
    numbers = sorted(self.records)  # already in order: timsort's linear pass
    start = bisect.bisect_right(numbers, after)
    chosen = numbers[start : start + limit if limit else None]
    if not chosen:
        return [], after, 0
    records = [self.records[number] for number in chosen]
    behind_s = self.records[numbers[-1]].created_at - records[-1].created_at
    return records, chosen[-1], int(behind_s * 1000)


def _max_sequence_number(self: Any) -> int:
    """moto's copies every key to read the last one, so each put cost the shard's length."""
    return int(next(reversed(self.records))) if self.records else 0


def _min_sequence_number(self: Any) -> int:
    return int(next(iter(self.records))) if self.records else 0


def _put_records_with_faults(original: Any) -> Any:
    @functools.wraps(original)
    def put_records(self: Any) -> Any:
        from moto.core.responses import ActionResult

        records = list(self._get_param("Records") or [])
        validate_put_records(records)
        stream = _stream_name(self)
        # An unknown stream is reported before any fault fires.
        self.kinesis_backend.describe_stream(
            stream_arn=self._get_param("StreamARN"), stream_name=self._get_param("StreamName")
        )
        fault = take_fault("PutRecords", stream)
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
        return ActionResult({"FailedRecordCount": len(failing), "Records": results})

    return put_records


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
        fault = take_fault("PutRecord", stream)
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


def _faults_route(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    json_type = {"Content-Type": "application/json"}
    if request.method == "GET":
        return 200, json_type, json.dumps({"faults": list_faults()})
    if request.method == "DELETE":
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(full_url).query)
        ids = query.get("id") or []
        removed = clear_faults(ids[0] if ids else None)
        return 200, json_type, json.dumps({"removed": removed})
    if request.method == "POST":
        try:
            raw = request.get_data() if hasattr(request, "get_data") else request.data
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            fault = add_fault(parse_fault(body))
        except (ValueError, TypeError) as error:
            return 400, json_type, json.dumps({"error": str(error)})
        return 201, json_type, json.dumps(asdict(fault))
    return 405, json_type, json.dumps({"error": "use GET, POST or DELETE"})


def _reset_clears_faults(original: Any) -> Any:
    @functools.wraps(original)
    def reset(self: Any) -> None:
        original(self)
        clear_faults()

    return reset


def install() -> None:
    from moto.kinesis.models import Shard
    from moto.kinesis.responses import KinesisResponse
    from moto.moto_api._internal import urls
    from moto.moto_api._internal.models import MotoAPIBackend

    Shard.get_records = _get_records
    Shard.get_max_sequence_number = _max_sequence_number
    Shard.get_min_sequence_number = _min_sequence_number
    serialise(
        Shard,
        ("put_record", "get_records", "get_min_sequence_number", "get_max_sequence_number"),
        _shard_lock,
    )
    KinesisResponse.put_records = _put_records_with_faults(KinesisResponse.put_records)
    KinesisResponse.put_record = _put_record_with_faults(KinesisResponse.put_record)
    KinesisResponse.subscribe_to_shard = _subscribe_to_shard
    MotoAPIBackend.reset = _reset_clears_faults(MotoAPIBackend.reset)
    urls.url_paths["{0}/moto-api/chainops/faults$"] = _faults_route
