"""A process's CloudWatch metrics, aggregated in memory and flushed periodically.

One PutMetricData call per flush carries every metric, so metrics cost no call per batch, slot
or request. Each process publishes to its own namespace (`Chainops/Listener`,
`Chainops/Consumer`, `Chainops/RPC`: the blockchain stack grants each role only its own) with
its dimensions (the pipeline's: `Stream`; the RPC gateway's: `AutoScalingGroupName`).

Three kinds of observation, each published as CloudWatch aggregates it:

- `observe`: a statistic set (SampleCount, Sum, Minimum, Maximum): averages, sums, extremes;
- `observe_histogram`: the values themselves, rounded to log-spaced buckets (`bucket_of`) and
  published as `Values` + `Counts`, so CloudWatch's percentiles (p99) work;
- `count`: events per second over the flush's window (`Count/Second`). A rate, once counted,
  is published at every flush, 0 when nothing happened: a scaling policy needs the quiet
  periods too.

Observing takes a lock for a dict update, never for a call: a flush (blocking, in a thread)
takes what is pending and calls PutMetricData after letting the lock go. A failed call keeps
its data for the next flush (the newest `MAX_UNSENT` data at most, older ones are dropped with
a warning), sent then with the new data.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)

Unit = Literal["Seconds", "Milliseconds", "Count", "Count/Second"]

# Histogram buckets: a value is rounded to the nearest of 20 log-spaced steps per decade (a
# step is 12 % wide: a percentile read back is within 6 % of the value observed), each spelled
# with 3 significant digits, and clamped to [HISTOGRAM_LOW, HISTOGRAM_HIGH] in the metric's
# unit (10 us to 100 s as milliseconds). So a datum holds at most 7 x 20 + 1 = 141 distinct
# values, within PutMetricData's 150.
BUCKETS_PER_DECADE = 20
HISTOGRAM_LOW = 0.01
HISTOGRAM_HIGH = 100_000.0
MAX_VALUES_PER_DATUM = 150  # PutMetricData's limit on Values (and Counts)
MAX_UNSENT = 500  # data kept from failed calls; PutMetricData takes 1,000 a call
_LOW_STEP = round(math.log10(HISTOGRAM_LOW) * BUCKETS_PER_DECADE)
_HIGH_STEP = round(math.log10(HISTOGRAM_HIGH) * BUCKETS_PER_DECADE)
_BUCKETS = {
    step: float(f"{10 ** (step / BUCKETS_PER_DECADE):.3g}")
    for step in range(_LOW_STEP, _HIGH_STEP + 1)
}


def bucket_of(value: float) -> float:
    """The histogram bucket `value` is published as: the nearest log-spaced step, clamped."""
    if value <= HISTOGRAM_LOW:
        return _BUCKETS[_LOW_STEP]
    step = round(math.log10(value) * BUCKETS_PER_DECADE)
    return _BUCKETS[min(step, _HIGH_STEP)]


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

    def datum(self) -> dict[str, Any]:
        return {
            "Unit": self.unit,
            "StatisticValues": {
                "SampleCount": self.count,
                "Sum": self.total,
                "Minimum": self.low,
                "Maximum": self.high,
            },
        }


@dataclass(slots=True)
class _Histogram:
    unit: Unit
    counts: dict[float, int] = field(default_factory=dict)

    def add(self, value: float) -> None:
        bucket = bucket_of(value)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1

    def datum(self) -> dict[str, Any]:
        values, counts = list(self.counts), list(self.counts.values())
        return {"Unit": self.unit, "Values": values, "Counts": counts}


@dataclass(slots=True)
class _Rate:
    since: float  # the window's start (the clock's seconds)
    events: int = 0

    def datum(self, now: float) -> dict[str, Any]:
        seconds = max(now - self.since, 1e-3)
        return {"Unit": "Count/Second", "Value": self.events / seconds}


class Metrics:
    def __init__(
        self,
        cloudwatch: Any,
        *,
        namespace: str,
        dimensions: Mapping[str, str],
        clock: Callable[[], float],
        interval_seconds: float = 10.0,
    ) -> None:
        self._cloudwatch = cloudwatch
        self._namespace = namespace
        self._dimensions = [{"Name": name, "Value": value} for name, value in dimensions.items()]
        self._clock = clock
        self._interval = interval_seconds
        self._sets: dict[str, _Statistics] = {}
        self._histograms: dict[str, _Histogram] = {}
        self._rates: dict[str, _Rate] = {}
        self._unsent: list[dict[str, Any]] = []
        self._lock = threading.Lock()  # threads (a consumer's shards, the flush) observe at once
        self._flushing = threading.Lock()  # one flush at a time
        # The first observations go out at once: an alarm on a process that just started
        # (missing data treated as breaching) sees it alive within one evaluation.
        self._flushed_at: float | None = None

    def observe(self, name: str, value: float, unit: Unit) -> None:
        """One value into the metric's statistic set."""
        with self._lock:
            self._sets.setdefault(name, _Statistics(unit)).add(value)

    def observe_histogram(self, name: str, value: float, unit: Unit) -> None:
        """One value into the metric's histogram (percentiles work on it)."""
        with self._lock:
            self._histograms.setdefault(name, _Histogram(unit)).add(value)

    def count(self, name: str, events: int = 1) -> None:
        """`events` more for the metric's rate per second (0 starts publishing it)."""
        with self._lock:
            rate = self._rates.get(name)
            if rate is None:
                rate = self._rates[name] = _Rate(self._clock())
            rate.events += events

    def flush(self, *, force: bool = False) -> None:
        """Publish what was observed when the interval is up (or now, when forced)."""
        with self._flushing:
            data = self._take(force=force)
            if not data:
                return
            try:
                self._cloudwatch.put_metric_data(Namespace=self._namespace, MetricData=data)
            except (ClientError, BotoCoreError) as error:
                # Metrics must not stop the service: the data go with the next flush.
                dropped = max(len(data) - MAX_UNSENT, 0)
                with self._lock:
                    self._unsent = data[dropped:]
                log.warning(
                    "metrics not published",
                    extra={"error": str(error), "kept": len(data) - dropped, "dropped": dropped},
                )

    def _take(self, *, force: bool) -> list[dict[str, Any]]:
        """What is pending as MetricData (the unsent first), left empty; rates start anew."""
        with self._lock:
            now = self._clock()
            if not (self._sets or self._histograms or self._rates or self._unsent):
                return []
            due = self._flushed_at is None or now - self._flushed_at >= self._interval
            if not (force or due):
                return []
            data = self._unsent
            data += [self._datum(name, s.datum()) for name, s in self._sets.items()]
            data += [self._datum(name, h.datum()) for name, h in self._histograms.items()]
            data += [self._datum(name, r.datum(now)) for name, r in self._rates.items()]
            self._sets, self._histograms, self._unsent = {}, {}, []
            self._rates = {name: _Rate(now) for name in self._rates}
            self._flushed_at = now
            return data

    def _datum(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"MetricName": name, "Dimensions": self._dimensions, **body}
