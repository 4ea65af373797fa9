"""AWS/SQS metrics in the lab: a message left in a queue fires an alarm on it, as on AWS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chainops.lab.aws import alarms, clients
from chainops.lab.settings import LabSettings


def test_a_message_in_the_dead_letter_queue_fires_its_alarm(lab: LabSettings) -> None:
    """The sqs_queue module's dlq-not-empty alarm (Maximum > 0 of ApproximateNumberOfMessages
    Visible, 1 period, missing data not breaching): OK while empty, ALARM with a message."""
    sqs, cloudwatch = clients.client(lab, "sqs"), clients.client(lab, "cloudwatch")
    queue = sqs.create_queue(QueueName="events-dlq")["QueueUrl"]
    cloudwatch.put_metric_alarm(
        AlarmName="events-dlq-not-empty",
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Dimensions=[{"Name": "QueueName", "Value": "events-dlq"}],
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
    )
    alarms.evaluate(lab)
    assert _state(cloudwatch) == "OK"

    sqs.send_message(QueueUrl=queue, MessageBody="poison")
    alarms.evaluate(lab)
    assert _state(cloudwatch) == "ALARM"
    now = datetime.now(UTC)
    points = cloudwatch.get_metric_statistics(
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Dimensions=[{"Name": "QueueName", "Value": "events-dlq"}],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=1),
        Period=60,
        Statistics=["Maximum"],
    )["Datapoints"]
    assert max(point["Maximum"] for point in points) == 1.0


def _state(cloudwatch: Any) -> str:
    (alarm,) = cloudwatch.describe_alarms(AlarmNames=["events-dlq-not-empty"])["MetricAlarms"]
    return str(alarm["StateValue"])
