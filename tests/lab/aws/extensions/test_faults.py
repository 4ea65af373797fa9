"""Faults on any service: S3 and DynamoDB calls fail for a count or a while, then recover."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from chainops.errors import LabError
from chainops.lab.aws import faults
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings
from tests.helpers import create_key_table


def _client(lab: LabSettings, service: str) -> Any:
    """No retries: a fault's count is in HTTP calls, and botocore retries these errors."""
    return boto3.client(
        service,
        endpoint_url=lab.endpoint,
        region_name=lab.regions[0],
        aws_access_key_id=LAB_ACCESS_KEY,
        aws_secret_access_key=LAB_SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = raised.value.response
    return str(response["Error"]["Code"]), int(response["ResponseMetadata"]["HTTPStatusCode"])


def test_s3_put_object_fails_for_a_while_then_recovers(lab: LabSettings) -> None:
    """PutObject answers SlowDown (503) until the fault's seconds pass; nothing is written,
    and other S3 calls keep working meanwhile."""
    s3 = _client(lab, "s3")
    s3.create_bucket(Bucket="lake")
    faults.inject(lab, faults.ServiceFault("s3", "PutObject", seconds=1.5))
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket="lake", Key="a", Body=b"x")
    assert _error(refused) == ("SlowDown", 503)
    assert s3.list_objects_v2(Bucket="lake").get("KeyCount") == 0
    assert faults.active(lab)[0]["triggered"] == 1
    time.sleep(1.6)
    s3.put_object(Bucket="lake", Key="a", Body=b"x")
    assert s3.get_object(Bucket="lake", Key="a")["Body"].read() == b"x"
    assert faults.active(lab) == []


def test_every_dynamodb_call_fails_for_a_count(lab: LabSettings) -> None:
    """A service-wide fault fails the next N calls of any operation with the error given."""
    dynamodb = _client(lab, "dynamodb")
    create_key_table(dynamodb, "leases", "lease_key")
    faults.inject(lab, faults.ServiceFault("dynamodb", count=2, error="InternalServerError"))
    item = {"lease_key": {"S": "k"}}
    with pytest.raises(ClientError) as put:
        dynamodb.put_item(TableName="leases", Item=item)
    assert _error(put) == ("InternalServerError", 500)
    with pytest.raises(ClientError) as scan:
        dynamodb.scan(TableName="leases")
    assert _error(scan) == ("InternalServerError", 500)
    assert dynamodb.scan(TableName="leases")["Items"] == []
    dynamodb.put_item(TableName="leases", Item=item)
    assert dynamodb.get_item(TableName="leases", Key=item)["Item"] == item


def test_default_dynamodb_error_is_throttling(lab: LabSettings) -> None:
    """Without an error, DynamoDB throttles (400), as a table over its capacity does."""
    dynamodb = _client(lab, "dynamodb")
    create_key_table(dynamodb, "leases", "lease_key")
    faults.inject(lab, faults.ServiceFault("dynamodb", "GetItem", count=1))
    with pytest.raises(ClientError) as throttled:
        dynamodb.get_item(TableName="leases", Key={"lease_key": {"S": "k"}})
    assert _error(throttled) == ("ProvisionedThroughputExceededException", 400)
    dynamodb.get_item(TableName="leases", Key={"lease_key": {"S": "k"}})


def test_bad_service_faults_are_refused(lab: LabSettings) -> None:
    """A fault that cannot apply is refused with the reason."""
    with pytest.raises(LabError, match="stream applies to Kinesis"):
        faults.inject(lab, faults.KinesisFault("GetRecords", stream="x"))
    with pytest.raises(LabError, match="seconds must be positive"):
        faults.inject(lab, faults.ServiceFault("s3", seconds=0))
    with pytest.raises(LabError, match="kinesis faults name an operation"):
        faults.inject(lab, faults.ServiceFault("kinesis"))
    assert faults.active(lab) == []


def test_trim_expires_records_as_retention_does(lab: LabSettings) -> None:
    """Trimmed records are gone for every iterator; numbering goes on after them."""
    kinesis = _client(lab, "kinesis")
    kinesis.create_stream(StreamName="events", ShardCount=1)
    shard = kinesis.list_shards(StreamName="events")["Shards"][0]["ShardId"]

    def put(data: bytes) -> str:
        return str(
            kinesis.put_record(StreamName="events", Data=data, PartitionKey="k")["SequenceNumber"]
        )

    def read(**position: str) -> list[bytes]:
        iterator = kinesis.get_shard_iterator(StreamName="events", ShardId=shard, **position)
        records = kinesis.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
        return [r["Data"] for r in records]

    first, second = put(b"a"), put(b"b")
    assert faults.trim(lab, "events", older_than_seconds=3600) == {}
    assert faults.trim(lab, "events") == {shard: [first, second]}
    assert read(ShardIteratorType="TRIM_HORIZON") == []
    third = put(b"c")
    assert int(third) > int(second)
    assert read(ShardIteratorType="TRIM_HORIZON") == [b"c"]
    after = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": first}
    assert read(**after) == [b"c"]
    with pytest.raises(LabError, match="no stream"):
        faults.trim(lab, "missing")
