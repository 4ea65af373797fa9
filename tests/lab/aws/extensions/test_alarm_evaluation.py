"""The alarm rules on their own (no lab): statistics per period and the evaluation range."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chainops.lab.aws.extensions.alarm_evaluation import (
    ALARM,
    OK,
    Bucket,
    Rule,
    bucket,
    evaluate,
)

NOW = datetime(2026, 12, 7, 12, 0, 30, tzinfo=UTC)
MINUTE = 60


def _at(minutes_ago: int) -> datetime:
    return datetime.fromtimestamp(NOW.timestamp() - minutes_ago * MINUTE, UTC)


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [("SampleCount", 4), ("Sum", 10.0), ("Average", 2.5), ("Minimum", 1.0), ("Maximum", 4.0),
     ("p50", 2.0), ("p99", 4.0), ("p0.1", 1.0)],
)  # fmt: skip
def test_statistics_of_a_period(statistic: str, expected: float) -> None:
    assert Bucket(values=[4.0, 1.0, 3.0, 2.0]).statistic(statistic) == expected


def test_statistic_sets_combine_but_give_no_percentile() -> None:
    mixed = Bucket(values=[10.0], sets=[(6.0, 3.0, 1.0, 3.0)])
    assert (mixed.statistic("SampleCount"), mixed.statistic("Average")) == (4.0, 4.0)
    assert (mixed.statistic("Minimum"), mixed.statistic("Maximum")) == (1.0, 10.0)
    assert mixed.statistic("p90") is None
    assert Bucket(values=[-1.0, 5.0]).statistic("p90") is None
    assert Bucket().statistic("Sum") is None


def test_older_datapoints_in_the_range_stand_in_for_missing_recent_ones() -> None:
    """3 of 3 with the newest three periods empty: the three before them (range 2N) decide,
    and the treatment of missing data is not used."""
    rule = Rule("Maximum", "GreaterThanThreshold", 10.0, MINUTE, 3, 3, "notBreaching")
    samples = [(_at(minutes), 20.0) for minutes in (3, 4, 5)]
    outcome = evaluate(rule, bucket(samples, MINUTE), NOW)
    assert outcome.state == ALARM
    assert [point.value for point in outcome.evaluated] == [20.0, 20.0, 20.0]
    beyond = evaluate(rule, bucket([(_at(6), 20.0)], MINUTE), NOW)  # out of the range
    assert (beyond.state, [point.value for point in beyond.evaluated]) == (OK, [None] * 3)


def test_breaching_fills_only_as_many_missing_datapoints_as_needed() -> None:
    """2 real of 3 needed: one missing period is filled, the newest."""
    rule = Rule("Maximum", "GreaterThanThreshold", 10.0, MINUTE, 3, 3, "breaching")
    outcome = evaluate(rule, bucket([(_at(2), 20.0), (_at(1), 1.0)], MINUTE), NOW)
    assert outcome.state == OK
    assert [point.value for point in outcome.evaluated] == [None, 1.0, 20.0]
    assert "were not greater than the threshold (10.0)" in outcome.reason


def test_unsupported_rules_are_named() -> None:
    anomaly = Rule("Average", "LessThanLowerOrGreaterThanUpperThreshold", 0, MINUTE, 1, 1)
    assert "anomaly detection" in (anomaly.unsupported() or "")
    assert Rule("tm99", "GreaterThanThreshold", 0, MINUTE, 1, 1).unsupported()
    assert Rule("p99.9", "GreaterThanThreshold", 0, MINUTE, 1, 1).unsupported() is None


def test_the_ok_reason_counts_the_rules_periods_not_the_datapoints_present() -> None:
    """3 of 3 with one datapoint present and below: OK needs N - M + 1 = 1 (make lab showed
    "minimum -1 datapoints" when the count of present datapoints was used)."""
    rule = Rule("Average", "GreaterThanThreshold", 100.0, MINUTE, 3, 3)
    outcome = evaluate(rule, bucket([(_at(0), 1.0)], MINUTE), NOW)
    assert outcome.state == OK
    assert outcome.reason.endswith("(minimum 1 datapoint for ALARM -> OK transition).")
    two_of_five = Rule("Average", "GreaterThanThreshold", 100.0, MINUTE, 5, 2)
    assert (
        "(minimum 4 datapoints for ALARM -> OK"
        in evaluate(two_of_five, bucket([(_at(0), 1.0)], MINUTE), NOW).reason
    )
