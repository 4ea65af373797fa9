"""The AWS/SQS metrics AWS publishes for every queue, published in the lab once a minute.

AWS sends each queue's ApproximateNumberOfMessagesVisible, ...NotVisible, ...Delayed and
ApproximateAgeOfOldestMessage to CloudWatch every minute, dimension QueueName; moto publishes
nothing, so an alarm on a dead-letter queue (the pipeline's `dlq-not-empty`) can never fire in
the lab. The alarm evaluation (`cloudwatch_alarms`) calls `publish` before each pass: every
queue's four metrics are stored as datapoints once a minute, and again within the minute when
its message counts changed (a datapoint sooner than AWS's, never a different value).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

PERIOD_SECONDS = 60
# (account, region, queue) -> (minute, message counts) last published
_published: dict[tuple[str, str, str], tuple[int, tuple[int, int, int]]] = {}
_lock = threading.Lock()


def _datapoints(queue: Any, now: datetime) -> list[Any]:
    from moto.cloudwatch.models import MetricDatum

    oldest = min((m.sent_timestamp for m in queue._messages if m.sent_timestamp), default=None)
    age = 0.0 if oldest is None else max(time.time() - oldest / 1000, 0.0)
    values = {
        "ApproximateNumberOfMessagesVisible": (queue.approximate_number_of_messages, "Count"),
        "ApproximateNumberOfMessagesNotVisible": (
            queue.approximate_number_of_messages_not_visible,
            "Count",
        ),
        "ApproximateNumberOfMessagesDelayed": (
            queue.approximate_number_of_messages_delayed,
            "Count",
        ),
        "ApproximateAgeOfOldestMessage": (age, "Seconds"),
    }
    dimensions = [{"Name": "QueueName", "Value": queue.name}]
    stamp = now.astimezone(UTC).replace(tzinfo=None)  # moto's clock: naive UTC
    return [
        MetricDatum("AWS/SQS", name, float(value), dimensions, stamp, unit)
        for name, (value, unit) in values.items()
    ]


def publish(now: datetime) -> int:
    """Store the AWS/SQS datapoints of every queue due (a new minute, or new counts); how many."""
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.sqs.models import sqs_backends

    minute = int(now.timestamp()) // PERIOD_SECONDS
    stored = 0
    with _lock:
        for account, regions in list(sqs_backends.items()):
            for region, backend in list(regions.items()):
                for queue in list(backend.queues.values()):
                    counts = (
                        queue.approximate_number_of_messages,
                        queue.approximate_number_of_messages_not_visible,
                        queue.approximate_number_of_messages_delayed,
                    )
                    key = (account, region, queue.name)
                    if _published.get(key) == (minute, counts):
                        continue
                    _published[key] = (minute, counts)
                    data = _datapoints(queue, now)
                    cloudwatch_backends[account][region].metric_data.extend(data)
                    stored += len(data)
    return stored


def _reset_forgets(original: Any) -> Any:
    def reset(self: Any) -> None:
        original(self)
        with _lock:
            _published.clear()

    return reset


def install() -> None:
    from moto.moto_api._internal.models import MotoAPIBackend

    MotoAPIBackend.reset = _reset_forgets(MotoAPIBackend.reset)
