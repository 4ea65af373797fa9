"""The SQS extension: RedrivePolicy comes back in AWS's compact JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def sqs(lab: LabSettings) -> Any:
    return clients.client(lab, "sqs")


def test_redrive_policy_is_compact_json(sqs: Any) -> None:
    """The policy reads back byte for byte as Terraform's jsonencode writes it."""
    dlq = sqs.create_queue(QueueName="events-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}, separators=(",", ":")
    )
    queue = sqs.create_queue(QueueName="events", Attributes={"RedrivePolicy": policy})["QueueUrl"]
    read = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedrivePolicy"])
    assert read["Attributes"]["RedrivePolicy"] == policy
