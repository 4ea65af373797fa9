"""The Kinesis extension: injected throughput faults, AWS's PutRecords limits, fan-out."""

from __future__ import annotations

import base64
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from chainops.errors import LabError
from chainops.lab.aws import faults
from chainops.lab.aws.extensions.kinesis import _data_length, failing_indexes
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings

STREAM = "chain-events"


@pytest.fixture
def kinesis(lab: LabSettings) -> Any:
    """A client that does not retry: a fault's count is in HTTP calls, and botocore retries
    throttling errors."""
    client = boto3.client(
        "kinesis",
        endpoint_url=lab.endpoint,
        region_name=lab.regions[0],
        aws_access_key_id=LAB_ACCESS_KEY,
        aws_secret_access_key=LAB_SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    client.create_stream(StreamName=STREAM, ShardCount=1)
    return client


def _batch(size: int) -> list[dict[str, Any]]:
    return [{"Data": f"block-{i}".encode(), "PartitionKey": str(i)} for i in range(size)]


def _stored(kinesis: Any) -> list[bytes]:
    shard = kinesis.list_shards(StreamName=STREAM)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName=STREAM, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return [r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"]]


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_next_calls_fail_entirely(lab: LabSettings, kinesis: Any) -> None:
    """count=2 throttles the next two PutRecords calls whole; the third goes through."""
    fault_id = faults.inject(lab, faults.KinesisFault(operation="PutRecords", count=2))
    assert [f["id"] for f in faults.active(lab)] == [fault_id]
    for _ in range(2):
        with pytest.raises(ClientError) as throttled:
            kinesis.put_records(StreamName=STREAM, Records=_batch(3))
        assert _code(throttled) == "ProvisionedThroughputExceededException"
        assert throttled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert _stored(kinesis) == []
    assert kinesis.put_records(StreamName=STREAM, Records=_batch(3))["FailedRecordCount"] == 0
    assert len(_stored(kinesis)) == 3
    assert faults.active(lab) == []


def test_put_record_fault_and_stream_filter(lab: LabSettings, kinesis: Any) -> None:
    """A PutRecord fault for one stream leaves other streams and PutRecords alone."""
    kinesis.create_stream(StreamName="other", ShardCount=1)
    faults.inject(lab, faults.KinesisFault(operation="PutRecord", count=None, stream=STREAM))
    kinesis.put_record(StreamName="other", Data=b"x", PartitionKey="k")
    kinesis.put_records(StreamName=STREAM, Records=_batch(1))
    for _ in range(3):
        with pytest.raises(ClientError) as throttled:
            kinesis.put_record(StreamName=STREAM, Data=b"x", PartitionKey="k")
        assert _code(throttled) == "ProvisionedThroughputExceededException"
    assert faults.active(lab)[0]["triggered"] == 3
    assert faults.clear(lab) == 1
    kinesis.put_record(StreamName=STREAM, Data=b"x", PartitionKey="k")


def test_partial_batch_failure(lab: LabSettings, kinesis: Any) -> None:
    """A quarter of the batch fails per record; only the rest is written, in order."""
    faults.inject(lab, faults.KinesisFault("PutRecords", mode="partial", fraction=0.25))
    result = kinesis.put_records(StreamName=STREAM, Records=_batch(8))
    assert result["FailedRecordCount"] == 2
    failed = [i for i, r in enumerate(result["Records"]) if "ErrorCode" in r]
    assert failed == sorted(failing_indexes(8, 0.25)) == [0, 4]
    assert {result["Records"][i]["ErrorCode"] for i in failed} == {
        "ProvisionedThroughputExceededException"
    }
    assert all("SequenceNumber" in r for i, r in enumerate(result["Records"]) if i not in failed)
    assert _stored(kinesis) == [f"block-{i}".encode() for i in range(8) if i not in failed]


def test_bad_faults_are_refused_and_reset_clears(lab: LabSettings, kinesis: Any) -> None:
    """The API says what is wrong with a fault; a lab reset removes the faults in force."""
    with pytest.raises(LabError, match="partial applies to PutRecords only"):
        faults.inject(lab, faults.KinesisFault("PutRecord", mode="partial"))
    fault_id = faults.inject(lab, faults.KinesisFault("PutRecords", count=None))
    faults.inject(lab, faults.KinesisFault("PutRecord", count=None))
    assert faults.clear(lab, fault_id) == 1
    assert [f["operation"] for f in faults.active(lab)] == ["PutRecord"]
    request = urllib.request.Request(f"{lab.endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=30).close()
    assert faults.active(lab) == []


def test_put_records_limits(kinesis: Any) -> None:
    """Count, per-record size and batch size are checked in AWS's order with AWS's errors."""
    with pytest.raises(ClientError) as too_many:
        kinesis.put_records(StreamName=STREAM, Records=_batch(501))
    assert _code(too_many) == "ValidationException"
    assert "less than or equal to 500" in str(too_many.value)
    big = b"x" * (1024 * 1024 + 1)
    batch = [{"Data": b"x" * (1024 * 1024), "PartitionKey": "k"} for _ in range(5)]
    with pytest.raises(ClientError) as too_big:
        kinesis.put_records(StreamName=STREAM, Records=[*batch, {"Data": big, "PartitionKey": "k"}])
    assert _code(too_big) == "ValidationException"
    assert "records.6.member.data" in str(too_big.value)
    with pytest.raises(ClientError) as total:
        kinesis.put_records(StreamName=STREAM, Records=batch)
    assert _code(total) == "InvalidArgumentException"
    exactly = [{"Data": b"x" * (1024 * 1024), "PartitionKey": "k"}]
    assert kinesis.put_records(StreamName=STREAM, Records=exactly)["FailedRecordCount"] == 0
    with pytest.raises(ClientError) as single:
        kinesis.put_record(StreamName=STREAM, Data=big, PartitionKey="k")
    assert _code(single) == "ValidationException"


def test_consumer_basics(kinesis: Any) -> None:
    """ListShards, GetShardIterator/GetRecords and SubscribeToShard serve a KCL-like reader."""
    kinesis.put_records(StreamName=STREAM, Records=_batch(3))
    stream_arn = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"][
        "StreamARN"
    ]
    (shard,) = kinesis.list_shards(StreamName=STREAM)["Shards"]
    iterator = kinesis.get_shard_iterator(
        StreamName=STREAM, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    page = kinesis.get_records(ShardIterator=iterator, Limit=2)
    assert [r["Data"] for r in page["Records"]] == [b"block-0", b"block-1"]
    rest = kinesis.get_records(ShardIterator=page["NextShardIterator"])["Records"]
    assert [r["Data"] for r in rest] == [b"block-2"]
    consumer = kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="listener")
    subscription = kinesis.subscribe_to_shard(
        ConsumerARN=consumer["Consumer"]["ConsumerARN"],
        ShardId=shard["ShardId"],
        StartingPosition={
            "Type": "AFTER_SEQUENCE_NUMBER",
            "SequenceNumber": page["Records"][0]["SequenceNumber"],
        },
    )
    events = [event["SubscribeToShardEvent"] for event in subscription["EventStream"]]
    assert [r["Data"] for r in events[0]["Records"]] == [b"block-1", b"block-2"]
    assert events[0]["ContinuationSequenceNumber"] == rest[0]["SequenceNumber"]
    again = kinesis.subscribe_to_shard(
        ConsumerARN=consumer["Consumer"]["ConsumerARN"],
        ShardId=shard["ShardId"],
        StartingPosition={
            "Type": "AFTER_SEQUENCE_NUMBER",
            "SequenceNumber": events[0]["ContinuationSequenceNumber"],
        },
    )
    (last,) = [event["SubscribeToShardEvent"] for event in again["EventStream"]]
    assert last["Records"] == []
    assert last["ContinuationSequenceNumber"] == events[0]["ContinuationSequenceNumber"]


def test_concurrent_puts_lose_nothing_and_reads_page_in_order(kinesis: Any) -> None:
    """Eight writers at once on one shard: every record stored once, sequence numbers unique,
    and paging with Limit from TRIM_HORIZON returns them all in sequence order."""
    writers, batches, size = 8, 10, 25

    def write(writer: int) -> None:
        for batch in range(batches):
            records = [
                {"Data": f"{writer}-{batch}-{i}".encode(), "PartitionKey": f"{writer}-{i}"}
                for i in range(size)
            ]
            assert kinesis.put_records(StreamName=STREAM, Records=records)["FailedRecordCount"] == 0

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(write, range(writers)))
    shard = kinesis.list_shards(StreamName=STREAM)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName=STREAM, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    seen: list[dict[str, Any]] = []
    for _ in range(writers * batches * size // 300 + 2):  # bounded: pages of 300
        page = kinesis.get_records(ShardIterator=iterator, Limit=300)
        seen += page["Records"]
        iterator = page["NextShardIterator"]
    numbers = [int(record["SequenceNumber"]) for record in seen]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers) == writers * batches * size
    assert len({record["Data"] for record in seen}) == writers * batches * size


def test_get_records_answers_what_was_put_in_awss_shape(kinesis: Any) -> None:
    """The lab writes GetRecords' answer itself: every byte value and each base64 padding comes
    back as put, with the key, a string sequence number, an arrival time to the millisecond
    and MillisBehindLatest."""
    blobs = [bytes(range(256)), b"a", b"ab", b"abc", b"\x00" * 1000]
    before = datetime.now(UTC).replace(microsecond=0)
    kinesis.put_records(
        StreamName=STREAM,
        Records=[{"Data": b, "PartitionKey": f"k{i}"} for i, b in enumerate(blobs)],
    )
    shard = kinesis.list_shards(StreamName=STREAM)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName=STREAM, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    answer = kinesis.get_records(ShardIterator=iterator, Limit=3)
    more = kinesis.get_records(ShardIterator=answer["NextShardIterator"])
    records = answer["Records"] + more["Records"]
    assert [r["Data"] for r in records] == blobs
    assert [r["PartitionKey"] for r in records] == [f"k{i}" for i in range(len(blobs))]
    assert all(isinstance(r["SequenceNumber"], str) for r in records)
    for record in records:
        arrived = record["ApproximateArrivalTimestamp"]
        assert before <= arrived <= datetime.now(UTC)
        assert arrived.microsecond % 1000 == 0
    assert answer["MillisBehindLatest"] >= 0
    assert more["MillisBehindLatest"] == 0


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 1000, 1024 * 1024])
def test_data_length_counts_the_decoded_bytes(size: int) -> None:
    encoded = base64.b64encode(b"x" * size)
    assert _data_length(encoded) == _data_length(encoded.decode()) == size
