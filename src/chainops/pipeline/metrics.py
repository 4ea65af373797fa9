"""A pipeline process's CloudWatch metrics, aggregated as statistic sets and flushed periodically.

One PutMetricData call per flush carries every metric, so metrics cost no call per batch or
slot. Each process publishes to its own namespace (`Chainops/Listener`, `Chainops/Consumer`,
the blockchain stack grants each role only its own) with the dimension `Stream`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)

Unit = Literal["Seconds", "Milliseconds", "Count"]


@dataclass(slots=True)
class _Statistics:
    unit: Unit
    count: int = 0
    total: float = 0.0
    low: float = 0.0
    high: float = 0.0

    def add(self, value: float) -> None:
        self.low = value if self.count == 0 else min(self.low, value)
        self.high = value if self.count == 0 else max(self.high, value)
        self.count += 1
        self.total += value


class Metrics:
    def __init__(
        self,
        cloudwatch: Any,
        *,
        namespace: str,
        stream: str,
        clock: Callable[[], float],
        interval_seconds: float = 10.0,
    ) -> None:
        self._cloudwatch = cloudwatch
        self._namespace = namespace
        self._dimensions = [{"Name": "Stream", "Value": stream}]
        self._clock = clock
        self._interval = interval_seconds
        self._pending: dict[str, _Statistics] = {}
        self._lock = threading.Lock()  # shard threads observe at once
        # The first observations go out at once: an alarm on a process that just started
        # (missing data treated as breaching) sees it alive within one evaluation.
        self._flushed_at: float | None = None

    def observe(self, name: str, value: float, unit: Unit) -> None:
        with self._lock:
            self._pending.setdefault(name, _Statistics(unit)).add(value)

    def flush(self, *, force: bool = False) -> None:
        """Publish what was observed when the interval is up (or now, when forced)."""
        with self._lock:
            if not self._pending:
                return
            due = self._flushed_at is None or self._clock() - self._flushed_at >= self._interval
            if not (force or due):
                return
            data = [
                {
                    "MetricName": name,
                    "Dimensions": self._dimensions,
                    "Unit": stats.unit,
                    "StatisticValues": {
                        "SampleCount": stats.count,
                        "Sum": stats.total,
                        "Minimum": stats.low,
                        "Maximum": stats.high,
                    },
                }
                for name, stats in self._pending.items()
            ]
            try:
                self._cloudwatch.put_metric_data(Namespace=self._namespace, MetricData=data)
            except (ClientError, BotoCoreError) as error:
                # Metrics must not stop the landing: keep the statistics for the next flush.
                log.warning("metrics not published", extra={"error": str(error)})
                return
            self._pending.clear()
            self._flushed_at = self._clock()
