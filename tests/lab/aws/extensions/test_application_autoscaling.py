"""The Application Auto Scaling extension: tags on scalable targets."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def scaling(lab: LabSettings) -> Any:
    return clients.client(lab, "application-autoscaling")


@pytest.fixture
def target_arn(lab: LabSettings, scaling: Any) -> str:
    """A DynamoDB table's read capacity as a scalable target, registered with a tag."""
    clients.client(lab, "dynamodb").create_table(
        TableName="checkpoints",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    registered = scaling.register_scalable_target(
        ServiceNamespace="dynamodb",
        ResourceId="table/checkpoints",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        MinCapacity=5,
        MaxCapacity=50,
        Tags={"env": "lab"},
    )
    return str(registered["ScalableTargetARN"])


def test_tags_given_at_registration_are_listed(scaling: Any, target_arn: str) -> None:
    """RegisterScalableTarget's Tags are what ListTagsForResource returns."""
    assert scaling.list_tags_for_resource(ResourceARN=target_arn)["Tags"] == {"env": "lab"}


def test_tag_and_untag(scaling: Any, target_arn: str) -> None:
    """TagResource adds and overwrites; UntagResource removes by key."""
    scaling.tag_resource(ResourceARN=target_arn, Tags={"env": "staging", "tier": "data"})
    assert scaling.list_tags_for_resource(ResourceARN=target_arn)["Tags"] == {
        "env": "staging",
        "tier": "data",
    }
    scaling.untag_resource(ResourceARN=target_arn, TagKeys=["env"])
    assert scaling.list_tags_for_resource(ResourceARN=target_arn)["Tags"] == {"tier": "data"}


def test_unknown_target_is_not_found(scaling: Any) -> None:
    """An ARN that names no scalable target answers ResourceNotFoundException."""
    arn = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/missing"
    with pytest.raises(ClientError) as excinfo:
        scaling.list_tags_for_resource(ResourceARN=arn)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
