"""CloudWatch metric alarms that evaluate, change state and act, as on AWS.

moto stores an alarm and never looks at it again: it is born OK and stays OK whatever the data,
so an alarm that would fire (or sit in ALARM on missing data) on AWS is green in the lab. Here:

- a new alarm starts in INSUFFICIENT_DATA ("Unchecked: Initial alarm creation"); an update
  keeps the state and history, as PutMetricAlarm does on AWS;
- every `EVALUATION_SECONDS` (and on `POST /moto-api/chainops/alarms/evaluate`) each metric
  alarm of every account and region is evaluated on the data it received
  (`alarm_evaluation` has the rules);
- a state change is recorded with AWS's reason and reason data, kept in DescribeAlarmHistory
  (which moto lacks), and runs the alarm's actions for the new state when actions are
  enabled: an SNS topic receives AWS's notification JSON, an Auto Scaling policy is executed
  (`scaling_actions`); an action that cannot run is recorded as failed, as AWS records it.

Metric-math and composite alarms are not evaluated: they keep their state, and say so.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from chainops.lab.aws.extensions import (
    alarm_evaluation,
    app_scaling_actions,
    scaling_actions,
    sqs_metrics,
)
from chainops.lab.aws.extensions.alarm_evaluation import INSUFFICIENT_DATA, ActionError, Rule

EVALUATION_SECONDS = 10.0
INITIAL_REASON = "Unchecked: Initial alarm creation"
_HISTORY_LIMIT = 100  # items kept per alarm, newest first

# (account, region, alarm name) -> history items, newest first. Kept after DeleteAlarms, as AWS
# keeps an alarm's history for two weeks.
_history: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
_evaluating = threading.Lock()
_ticker: list[threading.Thread] = []


def _now() -> datetime:
    return datetime.now(UTC)


def _record(alarm: Any, account_id: str, kind: str, summary: str, data: dict[str, Any]) -> None:
    items = _history.setdefault((account_id, alarm.region_name, alarm.name), [])
    items.insert(
        0,
        {
            "AlarmName": alarm.name,
            "AlarmType": "MetricAlarm" if alarm.rule is None else "CompositeAlarm",
            "Timestamp": _now(),
            "HistoryItemType": kind,
            "HistorySummary": summary,
            "HistoryData": json.dumps(data, separators=(",", ":")),
        },
    )
    del items[_HISTORY_LIMIT:]


def _account(alarm: Any) -> str:
    return str(alarm.alarm_arn.split(":")[4])


def rule_of(alarm: Any) -> Rule | None:
    """The rule of a single-metric alarm; None for metric math and composite alarms."""
    if alarm.rule is not None or alarm.metric_data_queries or not alarm.metric_name:
        return None
    return Rule(
        statistic=alarm.extended_statistic or alarm.statistic,
        comparison=alarm.comparison_operator,
        threshold=float(alarm.threshold),
        period=int(alarm.period),
        evaluation_periods=int(alarm.evaluation_periods),
        datapoints_to_alarm=int(alarm.datapoints_to_alarm or alarm.evaluation_periods),
        treat_missing_data=alarm.treat_missing_data or "missing",
    )


def _samples(metrics: list[Any], alarm: Any) -> Iterator[tuple[datetime, Any]]:
    wanted = {(d.name, d.value) for d in alarm.dimensions}
    for datum in metrics:
        if datum.namespace != alarm.namespace or datum.name != alarm.metric_name:
            continue
        # An alarm watches exactly one metric: the same dimension set, no more, no fewer.
        if {(d.name, d.value) for d in datum.dimensions} != wanted:
            continue
        if alarm.unit and datum.unit and datum.unit != alarm.unit:
            continue
        if hasattr(datum, "value"):
            yield datum.timestamp, float(datum.value)
        else:
            yield datum.timestamp, (datum.sum, datum.sample_count, datum.min, datum.max)


def evaluate_alarm(metrics: list[Any], alarm: Any, now: datetime) -> bool:
    """Evaluate one alarm on its region's `metrics` (stored and AWS-provided); record and act on
    a state change. True if the state changed."""
    rule = rule_of(alarm)
    if rule is None or rule.unsupported():
        return False
    buckets = alarm_evaluation.bucket(_samples(metrics, alarm), rule.period)
    outcome = alarm_evaluation.evaluate(rule, buckets, now)
    if outcome.state is None:
        return False
    # A new alarm's first evaluation replaces "Unchecked" even when the state stays.
    checked = outcome.state == alarm.state_value and alarm.state_reason == INITIAL_REASON
    if outcome.state == alarm.state_value and not checked:
        return False
    old = alarm.state_value
    reason_data = {
        "version": "1.0",
        "queryDate": now.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "statistic": rule.statistic,
        "period": rule.period,
        "threshold": rule.threshold,
        "evaluatedDatapoints": [
            {
                "timestamp": datetime.fromtimestamp(p.start, UTC).strftime(
                    "%Y-%m-%dT%H:%M:%S.000+0000"
                ),
                **({} if p.value is None else {"value": p.value}),
            }
            for p in outcome.evaluated
        ],
    }
    alarm.update_state(outcome.reason, json.dumps(reason_data), outcome.state)
    account_id = _account(alarm)
    _record(
        alarm,
        account_id,
        "StateUpdate",
        f"Alarm updated from {old} to {outcome.state}",
        {
            "version": "1.0",
            "oldState": {"stateValue": old},
            "newState": {
                "stateValue": outcome.state,
                "stateReason": outcome.reason,
                "stateReasonData": reason_data,
            },
        },
    )
    if not checked:
        _act(alarm, account_id, old, outcome, now)
    return True


def _act(alarm: Any, account_id: str, old: str, outcome: Any, now: datetime) -> None:
    if not alarm.actions_enabled:
        return
    actions = {
        "ALARM": alarm.alarm_actions,
        "OK": alarm.ok_actions,
        INSUFFICIENT_DATA: alarm.insufficient_data_actions,
    }[outcome.state]
    for arn in actions or []:
        try:
            if ":sns:" in arn:
                done = _notify(alarm, account_id, arn, old, now)
            elif app_scaling_actions.is_policy_arn(arn):
                done = app_scaling_actions.execute(arn, alarm, outcome)
            elif ":autoscaling:" in arn and ":scalingPolicy:" in arn:
                done = scaling_actions.execute(arn, alarm, outcome)
            else:
                raise ActionError("the lab does not run this kind of action")
        except ActionError as error:
            _record(
                alarm,
                account_id,
                "Action",
                f"Failed to execute action {arn}. Received error: {error}",
                {"actionState": "Failed", "notificationResource": arn, "error": str(error)},
            )
        else:
            _record(
                alarm,
                account_id,
                "Action",
                f"Successfully executed action {arn}",
                {"actionState": "Succeeded", "notificationResource": arn, "result": done},
            )


def _notify(alarm: Any, account_id: str, topic_arn: str, old: str, now: datetime) -> str:
    from moto.sns.exceptions import SNSNotFoundError
    from moto.sns.models import sns_backends

    _, _, _, region, topic_account, _ = topic_arn.split(":", 5)
    message = {
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": account_id,
        "AlarmConfigurationUpdatedTimestamp": alarm.configuration_updated_timestamp.isoformat(),
        "NewStateValue": alarm.state_value,
        "NewStateReason": alarm.state_reason,
        "StateChangeTime": now.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "Region": alarm.region_name,
        "AlarmArn": alarm.alarm_arn,
        "OldStateValue": old,
        "OKActions": alarm.ok_actions,
        "AlarmActions": alarm.alarm_actions,
        "InsufficientDataActions": alarm.insufficient_data_actions,
        "Trigger": {
            "MetricName": alarm.metric_name,
            "Namespace": alarm.namespace,
            "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
            "Statistic": (alarm.extended_statistic or alarm.statistic or "").upper(),
            "Unit": alarm.unit,
            "Dimensions": [{"value": d.value, "name": d.name} for d in alarm.dimensions],
            "Period": alarm.period,
            "EvaluationPeriods": alarm.evaluation_periods,
            "DatapointsToAlarm": alarm.datapoints_to_alarm,
            "ComparisonOperator": alarm.comparison_operator,
            "Threshold": alarm.threshold,
            "TreatMissingData": alarm.treat_missing_data or "missing",
        },
    }
    subject = f'{alarm.state_value}: "{alarm.name}" in {alarm.region_name}'[:100]
    try:
        message_id = sns_backends[topic_account][region].publish(
            json.dumps(message), arn=topic_arn, subject=subject
        )
    except SNSNotFoundError as error:
        raise ActionError(f"topic not found: {error}") from error
    return f"message {message_id}"


def evaluate_all(now: datetime | None = None) -> dict[str, int]:
    """Evaluate every metric alarm of every account and region once."""
    from moto.cloudwatch.models import cloudwatch_backends

    now = now or _now()
    evaluated = changed = 0
    sqs_metrics.publish(now)  # what AWS sends every minute, before the alarms read it
    with _evaluating:
        for regions in list(cloudwatch_backends.values()):
            for backend in list(regions.values()):
                alarms = list(backend.alarms.values())
                if not alarms:
                    continue
                # Once a pass: the AWS-provided metrics (S3's) are computed on every call.
                metrics = backend.get_all_metrics()
                for alarm in alarms:
                    evaluated += 1
                    changed += evaluate_alarm(metrics, alarm, now)
    return {"evaluated": evaluated, "changed": changed}


def _tick() -> None:
    stop = threading.Event()
    while not stop.wait(EVALUATION_SECONDS):
        try:
            evaluate_all()
        except Exception as error:  # the ticker must outlive one bad alarm
            print(f"chainops lab: alarm evaluation failed: {error!r}", flush=True)


def _born_insufficient(original: Any) -> Any:
    @functools.wraps(original)
    def put_metric_alarm(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        previous = self.alarms.get(name)
        alarm = original(self, name, *args, **kwargs)
        account_id = _account(alarm)
        if previous is None:
            alarm.state_value = INSUFFICIENT_DATA
            alarm.state_reason = INITIAL_REASON
            _record(alarm, account_id, "ConfigurationUpdate", f'Alarm "{name}" created', {})
        else:
            for attribute in (
                "state_value",
                "state_reason",
                "state_reason_data",
                "state_updated_timestamp",
                "history",
            ):
                setattr(alarm, attribute, getattr(previous, attribute))
            _record(alarm, account_id, "ConfigurationUpdate", f'Alarm "{name}" updated', {})
        return alarm

    return put_metric_alarm


def _describe_alarm_history(self: Any) -> Any:
    from moto.core.responses import ActionResult

    name = self._get_param("AlarmName")
    kind = self._get_param("HistoryItemType")
    start = self._get_param("StartDate")
    end = self._get_param("EndDate")
    ascending = self._get_param("ScanBy") == "TimestampAscending"
    limit = int(self._get_param("MaxRecords") or 100)
    items = [
        item
        for (account, region, alarm), history in list(_history.items())
        if account == self.current_account and region == self.region
        if name in (None, alarm)
        for item in history
        if kind in (None, item["HistoryItemType"])
        if start is None or item["Timestamp"] >= _aware(start)
        if end is None or item["Timestamp"] <= _aware(end)
    ]
    items.sort(key=lambda item: item["Timestamp"], reverse=not ascending)
    return ActionResult({"AlarmHistoryItems": items[:limit]})


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _evaluate_route(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    json_type = {"Content-Type": "application/json"}
    if request.method != "POST":
        return 405, json_type, json.dumps({"error": "use POST"})
    return 200, json_type, json.dumps(evaluate_all())


def _reset_clears_history(original: Any) -> Any:
    @functools.wraps(original)
    def reset(self: Any) -> None:
        original(self)
        _history.clear()

    return reset


def install() -> None:
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.moto_api._internal import urls
    from moto.moto_api._internal.models import MotoAPIBackend

    CloudWatchBackend.put_metric_alarm = _born_insufficient(CloudWatchBackend.put_metric_alarm)
    CloudWatchResponse.describe_alarm_history = _describe_alarm_history
    MotoAPIBackend.reset = _reset_clears_history(MotoAPIBackend.reset)
    urls.url_paths["{0}/moto-api/chainops/alarms/evaluate$"] = _evaluate_route
    if not _ticker:
        _ticker.append(threading.Thread(target=_tick, name="alarm-evaluation", daemon=True))
        _ticker[0].start()
