"""Alarms evaluated in the lab as on AWS: states, missing data, history and actions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chainops.lab.aws import alarms, clients
from chainops.lab.settings import LabSettings

NAMESPACE = "Chainops/Test"
PERIOD = 60


@pytest.fixture
def cloudwatch(lab: LabSettings) -> Any:
    return clients.client(lab, "cloudwatch")


def _period_start(periods_ago: int) -> datetime:
    """A timestamp inside the period `periods_ago` periods before the current one."""
    now = datetime.now(UTC)
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=periods_ago)
    return start + timedelta(seconds=1)


def _put(cloudwatch: Any, metric: str, values: dict[int, float], **extra: Any) -> None:
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {"MetricName": metric, "Value": value, "Timestamp": _period_start(ago), **extra}
            for ago, value in values.items()
        ],
    )


def _alarm(cloudwatch: Any, name: str, **settings: Any) -> None:
    """A 3-of-3 Maximum > 10 alarm on the metric `name`; a setting of None is left out."""
    request = {
        "AlarmName": name,
        "Namespace": NAMESPACE,
        "MetricName": name,
        "Statistic": "Maximum",
        "Period": PERIOD,
        "EvaluationPeriods": 3,
        "Threshold": 10.0,
        "ComparisonOperator": "GreaterThanThreshold",
        **settings,
    }
    cloudwatch.put_metric_alarm(
        **{key: value for key, value in request.items() if value is not None}
    )


def _state(cloudwatch: Any, name: str) -> dict[str, Any]:
    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return dict(alarm)


def _evaluate(lab: LabSettings, cloudwatch: Any, name: str) -> str:
    alarms.evaluate(lab)
    return str(_state(cloudwatch, name)["StateValue"])


def test_a_new_alarm_is_unchecked_and_an_update_keeps_its_state(cloudwatch: Any) -> None:
    """Born INSUFFICIENT_DATA as on AWS (moto: OK), unchecked until the lab's next pass says
    why; PutMetricAlarm on it keeps the state (missing data ignored: no pass changes it)."""
    _alarm(cloudwatch, "born", TreatMissingData="ignore")
    alarm = _state(cloudwatch, "born")
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    assert alarm["StateReason"] == "Unchecked: Initial alarm creation"
    cloudwatch.set_alarm_state(AlarmName="born", StateValue="ALARM", StateReason="by hand")
    _alarm(cloudwatch, "born", Threshold=20.0, TreatMissingData="ignore")
    alarm = _state(cloudwatch, "born")
    assert (alarm["StateValue"], alarm["Threshold"]) == ("ALARM", 20.0)


def test_crossing_the_threshold_alarms_then_recovers(lab: LabSettings, cloudwatch: Any) -> None:
    """3 of 3 breaching datapoints give ALARM with AWS's reason; 3 newer good ones give OK."""
    _alarm(cloudwatch, "latency")
    _put(cloudwatch, "latency", {5: 20.0, 4: 30.0, 3: 40.0})
    assert _evaluate(lab, cloudwatch, "latency") == "ALARM"
    reason = _state(cloudwatch, "latency")["StateReason"]
    assert reason.startswith("Threshold Crossed: 3 out of the last 3 datapoints [40.0 (")
    assert "were greater than the threshold (10.0)" in reason
    _put(cloudwatch, "latency", {2: 1.0, 1: 2.0, 0: 3.0})
    assert _evaluate(lab, cloudwatch, "latency") == "OK"


def test_datapoints_to_alarm_needs_m_of_n(lab: LabSettings, cloudwatch: Any) -> None:
    """2 of 3: two breaching datapoints alarm, one does not."""
    _alarm(cloudwatch, "m-of-n", DatapointsToAlarm=2)
    _put(cloudwatch, "m-of-n", {2: 20.0, 1: 1.0, 0: 1.0})
    assert _evaluate(lab, cloudwatch, "m-of-n") == "OK"
    _alarm(cloudwatch, "two", DatapointsToAlarm=2)
    _put(cloudwatch, "two", {2: 20.0, 1: 1.0, 0: 20.0})
    assert _evaluate(lab, cloudwatch, "two") == "ALARM"


@pytest.mark.parametrize(
    ("treatment", "without_data", "one_breaching"),
    [
        ("missing", "INSUFFICIENT_DATA", "ALARM"),
        ("ignore", "OK", "OK"),  # kept: the state set before evaluating
        ("breaching", "ALARM", "ALARM"),
        ("notBreaching", "OK", "OK"),
    ],
)
def test_missing_data_treatment(
    lab: LabSettings, cloudwatch: Any, treatment: str, without_data: str, one_breaching: str
) -> None:
    """AWS's table for 3 of 3: no datapoint at all, and one breaching datapoint of three."""
    for name in ("empty", "sparse"):
        _alarm(cloudwatch, name, TreatMissingData=treatment)
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="known state")
    _put(cloudwatch, "sparse", {1: 50.0})
    alarms.evaluate(lab)
    assert _state(cloudwatch, "empty")["StateValue"] == without_data
    assert _state(cloudwatch, "sparse")["StateValue"] == one_breaching


def test_only_the_exact_dimensions_and_percentiles_from_values(
    lab: LabSettings, cloudwatch: Any
) -> None:
    """Datapoints with other dimensions are another metric; a percentile alarm has no datapoint
    from statistic sets, as on AWS."""
    dimensions = [{"Name": "AutoScalingGroupName", "Value": "rpc"}]
    _alarm(cloudwatch, "p99", Statistic=None, ExtendedStatistic="p99", Dimensions=dimensions)
    _put(
        cloudwatch, "p99", {1: 99.0, 0: 99.0}, Dimensions=[*dimensions, {"Name": "x", "Value": "y"}]
    )
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": "p99",
                "Dimensions": dimensions,
                "Timestamp": _period_start(0),
                "StatisticValues": {"SampleCount": 3, "Sum": 300, "Minimum": 99, "Maximum": 99},
            }
        ],
    )
    assert _evaluate(lab, cloudwatch, "p99") == "INSUFFICIENT_DATA"
    _put(cloudwatch, "p99", {2: 50.0, 1: 60.0}, Dimensions=dimensions)
    _put(cloudwatch, "p99", {2: 1.0, 1: 2.0}, Dimensions=dimensions)
    assert _evaluate(lab, cloudwatch, "p99") == "ALARM"


def test_state_changes_notify_sns_and_are_in_the_history(lab: LabSettings, cloudwatch: Any) -> None:
    """ALARM and OK actions publish AWS's notification to the topic; DescribeAlarmHistory has
    the state update and the action; an action on a missing topic is recorded as failed."""
    sns, sqs = clients.client(lab, "sns"), clients.client(lab, "sqs")
    topic = sns.create_topic(Name="alarms")["TopicArn"]
    queue = sqs.create_queue(QueueName="alarm-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    gone = topic.replace(":alarms", ":deleted-topic")
    _alarm(cloudwatch, "lag", AlarmActions=[topic, gone], OKActions=[topic])
    _put(cloudwatch, "lag", {2: 20.0, 1: 20.0, 0: 20.0})
    assert _evaluate(lab, cloudwatch, "lag") == "ALARM"

    (message,) = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
    notification = json.loads(json.loads(message["Body"])["Message"])
    assert notification["AlarmName"] == "lag"
    assert (notification["OldStateValue"], notification["NewStateValue"]) == (
        "INSUFFICIENT_DATA",
        "ALARM",
    )
    assert notification["Trigger"]["MetricName"] == "lag"

    history = cloudwatch.describe_alarm_history(AlarmName="lag")["AlarmHistoryItems"]
    summaries = [item["HistorySummary"] for item in history]
    assert "Alarm updated from INSUFFICIENT_DATA to ALARM" in summaries
    assert f"Successfully executed action {topic}" in summaries
    assert any(s.startswith(f"Failed to execute action {gone}") for s in summaries)
    assert summaries[-1] == 'Alarm "lag" created'
    updates = cloudwatch.describe_alarm_history(AlarmName="lag", HistoryItemType="StateUpdate")
    to_alarm = [
        item
        for item in updates["AlarmHistoryItems"]
        if item["HistorySummary"].endswith(" to ALARM")
    ]
    assert len(to_alarm) == 1
    assert json.loads(to_alarm[0]["HistoryData"])["newState"]["stateValue"] == "ALARM"


def test_disabled_actions_do_not_run(lab: LabSettings, cloudwatch: Any) -> None:
    """The state still changes; no action is taken or recorded."""
    sns = clients.client(lab, "sns")
    topic = sns.create_topic(Name="quiet")["TopicArn"]
    _alarm(cloudwatch, "quiet", AlarmActions=[topic], ActionsEnabled=False)
    _put(cloudwatch, "quiet", {2: 20.0, 1: 20.0, 0: 20.0})
    assert _evaluate(lab, cloudwatch, "quiet") == "ALARM"
    actions = cloudwatch.describe_alarm_history(AlarmName="quiet", HistoryItemType="Action")
    assert actions["AlarmHistoryItems"] == []
