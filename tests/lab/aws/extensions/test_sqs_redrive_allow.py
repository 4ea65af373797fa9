"""The SQS RedriveAllowPolicy extension: the policy reads back, by name and with All."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def sqs(lab: LabSettings) -> Any:
    return clients.client(lab, "sqs")


def test_redrive_allow_policy_reads_back_compact(sqs: Any) -> None:
    """A policy set on a DLQ comes back byte for byte as Terraform's jsonencode wrote it."""
    dlq = sqs.create_queue(QueueName="events-dlq")["QueueUrl"]
    source = sqs.create_queue(QueueName="events")["QueueUrl"]
    source_arn = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    policy = json.dumps(
        {"redrivePermission": "byQueue", "sourceQueueArns": [source_arn]}, separators=(",", ":")
    )
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": policy})
    by_name = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["RedriveAllowPolicy"])
    assert by_name["Attributes"] == {"RedriveAllowPolicy": policy}
    everything = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
    assert everything["RedriveAllowPolicy"] == policy


def test_queue_without_policy_has_none(sqs: Any) -> None:
    """A queue never given the policy does not report one (and asking for it is no error)."""
    queue = sqs.create_queue(QueueName="plain")["QueueUrl"]
    read = sqs.get_queue_attributes(
        QueueUrl=queue, AttributeNames=["RedriveAllowPolicy", "VisibilityTimeout"]
    )["Attributes"]
    assert read == {"VisibilityTimeout": "30"}
