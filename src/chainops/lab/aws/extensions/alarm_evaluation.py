"""How CloudWatch decides a metric alarm's state, as AWS documents it; no moto in here.

From docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html:
a datapoint is the alarm's statistic over one period, periods aligned to the epoch, the newest
one the period `now` falls in. CloudWatch reads an evaluation range longer than the N
evaluation periods (the lab: 2N periods).

- Every period missing: `missing` gives INSUFFICIENT_DATA, `ignore` keeps the state,
  `breaching` gives ALARM, `notBreaching` OK.
- At least N real datapoints: the N most recent decide, ALARM when at least M (datapoints to
  alarm) breach; the missing-data treatment is not used.
- Fewer than N: `breaching` and `notBreaching` fill the newest missing periods up to N, and M
  of them decide. `missing` decides on the real ones: ALARM when min(M, real) breach. `ignore`
  changes the state only when the real ones are enough: ALARM when M breach, OK when N - M + 1
  do not, else the state is kept. (AWS's table: 3 of 3 with one breaching datapoint is ALARM
  under `missing` and keeps the state under `ignore`.)
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

OK = "OK"
ALARM = "ALARM"
INSUFFICIENT_DATA = "INSUFFICIENT_DATA"

TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")
COMPARISONS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "GreaterThanThreshold": ("greater than", operator.gt),
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", operator.ge),
    "LessThanThreshold": ("less than", operator.lt),
    "LessThanOrEqualToThreshold": ("less than or equal to", operator.le),
}


class ActionError(Exception):
    """An alarm action that could not run; recorded in the alarm's history as AWS records it."""


PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?|100)$")


@dataclass(frozen=True)
class Rule:
    """What an alarm evaluates: one metric's statistic against a static threshold."""

    statistic: str  # SampleCount, Average, Sum, Minimum, Maximum or a percentile (p99)
    comparison: str
    threshold: float
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str = "missing"

    def unsupported(self) -> str | None:
        """Why the lab cannot evaluate this rule, or None."""
        if self.comparison not in COMPARISONS:
            return f"comparison {self.comparison} (anomaly detection) is not evaluated"
        if self.statistic not in _STATISTICS and not PERCENTILE.match(self.statistic):
            return f"statistic {self.statistic} is not evaluated"
        return None


@dataclass
class Bucket:
    """The samples of one period: raw values, and statistic sets (sum, count, min, max)."""

    values: list[float] = field(default_factory=list)
    sets: list[tuple[float, float, float, float]] = field(default_factory=list)

    def statistic(self, name: str) -> float | None:
        count = len(self.values) + sum(s[1] for s in self.sets)
        if count == 0:
            return None
        if name in _STATISTICS:
            return _STATISTICS[name](self, count)
        # A percentile needs every value: AWS has none for statistic sets or negative values.
        if self.sets or any(value < 0 for value in self.values):
            return None
        rank = float(name[1:]) / 100 * len(self.values)
        return sorted(self.values)[max(math.ceil(rank), 1) - 1]

    def total(self) -> float:
        return sum(self.values) + sum(s[0] for s in self.sets)


_STATISTICS: dict[str, Callable[[Bucket, float], float]] = {
    "SampleCount": lambda bucket, count: count,
    "Sum": lambda bucket, count: bucket.total(),
    "Average": lambda bucket, count: bucket.total() / count,
    "Minimum": lambda bucket, count: min([*bucket.values, *(s[2] for s in bucket.sets)]),
    "Maximum": lambda bucket, count: max([*bucket.values, *(s[3] for s in bucket.sets)]),
}


def bucket(
    samples: Iterable[tuple[datetime, float | tuple[float, float, float, float]]], period: int
) -> dict[int, Bucket]:
    """Samples (timestamp, value or statistic set) grouped by period start (epoch seconds)."""
    buckets: dict[int, Bucket] = {}
    for timestamp, sample in samples:
        start = int(_epoch(timestamp)) // period * period
        target = buckets.setdefault(start, Bucket())
        if isinstance(sample, tuple):
            target.sets.append(sample)
        else:
            target.values.append(sample)
    return buckets


@dataclass(frozen=True)
class Datapoint:
    start: int  # epoch seconds
    value: float | None  # None: missing
    breaching: bool


@dataclass(frozen=True)
class Outcome:
    state: str | None  # None: keep the current state (treat missing data: ignore)
    reason: str
    evaluated: tuple[Datapoint, ...]


def evaluate(rule: Rule, buckets: dict[int, Bucket], now: datetime) -> Outcome:
    """The state the rule gives at `now`, with AWS's style of reason."""
    describe, crosses = COMPARISONS[rule.comparison]
    latest = int(_epoch(now)) // rule.period * rule.period
    starts = [latest - i * rule.period for i in range(2 * rule.evaluation_periods)]
    real: list[Datapoint] = []
    for start in starts:
        stored = buckets.get(start)
        value = stored.statistic(rule.statistic) if stored else None
        if value is not None:
            real.append(Datapoint(start, value, crosses(value, rule.threshold)))
    if not real:
        return _all_missing(rule, starts[: rule.evaluation_periods])
    evaluated, state = _decide(rule, real, starts)
    breaching = sum(point.breaching for point in evaluated)
    m = rule.datapoints_to_alarm
    shown = ", ".join(_show(point) for point in evaluated)
    if state is None:
        return Outcome(
            None,
            f"{breaching} of {len(evaluated)} datapoints [{shown}] breach: too few to change the "
            "state (ignore).",
            tuple(evaluated),
        )
    if state == ALARM:
        reason = (
            f"Threshold Crossed: {breaching} out of the last {len(evaluated)} datapoints "
            f"[{shown}] were {describe} the threshold ({_number(rule.threshold)}) "
            f"(minimum {m} datapoint{'s' if m != 1 else ''} for OK -> ALARM transition)."
        )
    else:
        # OK once fewer than M of the N periods can breach: N - M + 1 that do not (AWS's wording
        # counts the rule's periods, not the datapoints that happened to be present).
        to_ok = rule.evaluation_periods - m + 1
        reason = (
            f"Threshold Crossed: {len(evaluated) - breaching} out of the last {len(evaluated)} "
            f"datapoints [{shown}] were not {describe} the threshold "
            f"({_number(rule.threshold)}) (minimum {to_ok} datapoint"
            f"{'s' if to_ok != 1 else ''} for ALARM -> OK transition)."
        )
    return Outcome(state, reason, tuple(evaluated))


def _decide(
    rule: Rule, real: list[Datapoint], starts: list[int]
) -> tuple[list[Datapoint], str | None]:
    """The datapoints that decide, and the state they give (None: keep it)."""
    n, m = rule.evaluation_periods, rule.datapoints_to_alarm
    if len(real) >= n:
        evaluated = real[:n]
        return evaluated, ALARM if sum(p.breaching for p in evaluated) >= m else OK
    if rule.treat_missing_data in ("breaching", "notBreaching"):
        free = [s for s in starts if all(point.start != s for point in real)]
        fillers = [Datapoint(s, None, rule.treat_missing_data == "breaching") for s in free]
        evaluated = sorted([*real, *fillers[: n - len(real)]], key=lambda p: -p.start)
        return evaluated, ALARM if sum(p.breaching for p in evaluated) >= m else OK
    breaching = sum(point.breaching for point in real)
    if rule.treat_missing_data == "missing":
        return real, ALARM if breaching >= min(m, len(real)) else OK
    if breaching >= m:
        return real, ALARM
    if len(real) - breaching >= n - m + 1:
        return real, OK
    return real, None


def _all_missing(rule: Rule, starts: Sequence[int]) -> Outcome:
    n = rule.evaluation_periods
    treatment = rule.treat_missing_data
    if treatment == "breaching":
        evaluated = tuple(Datapoint(s, None, True) for s in starts)
        return Outcome(
            ALARM if rule.datapoints_to_alarm <= n else OK,
            f"Threshold Crossed: no datapoints were received for {_count(n, 'period')} and "
            f"{_count(n, 'missing datapoint')} {'was' if n == 1 else 'were'} treated as "
            "[Breaching].",
            evaluated,
        )
    if treatment == "notBreaching":
        evaluated = tuple(Datapoint(s, None, False) for s in starts)
        return Outcome(
            OK,
            f"Threshold Crossed: no datapoints were received for {_count(n, 'period')} and "
            f"{_count(n, 'missing datapoint')} {'was' if n == 1 else 'were'} treated as "
            "[NonBreaching].",
            evaluated,
        )
    if treatment == "ignore":
        return Outcome(None, f"no datapoints for {n} periods; the state is kept (ignore).", ())
    unknown = f"{n} datapoint{' was' if n == 1 else 's were'} unknown"
    return Outcome(INSUFFICIENT_DATA, f"Insufficient Data: {unknown}.", ())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _epoch(timestamp: datetime) -> float:
    if timestamp.tzinfo is None:  # moto's clock is naive UTC
        timestamp = timestamp.replace(tzinfo=UTC)
    return timestamp.timestamp()


def _show(point: Datapoint) -> str:
    when = datetime.fromtimestamp(point.start, UTC).strftime("%d/%m/%y %H:%M:%S")
    value = "missing" if point.value is None else _number(point.value)
    return f"{value} ({when})"


def _number(value: float) -> str:
    return repr(float(value))
