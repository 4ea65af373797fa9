"""The CloudWatch percentiles extension: GetMetricStatistics answers ExtendedStatistics."""

from __future__ import annotations

from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from tests.helpers import metric_statistics

NAMESPACE = "Test/Percentiles"
DIMENSIONS = {"AutoScalingGroupName": "rpc"}
_DIMENSIONS = [{"Name": k, "Value": v} for k, v in DIMENSIONS.items()]


@pytest.fixture
def cloudwatch(lab: LabSettings) -> Any:
    return clients.client(lab, "cloudwatch")


def _datapoints(cloudwatch: Any, name: str, **statistics: Any) -> list[dict[str, Any]]:
    return metric_statistics(cloudwatch, NAMESPACE, name, DIMENSIONS, **statistics)


def test_percentiles_of_values_with_counts(cloudwatch: Any) -> None:
    """A histogram datum (Values + Counts) counts each value as often as its count: 990 values
    of 1 ms and 10 of 100 ms have p50 1, p99 1 (the 990th of 1,000) and p99.9 100."""
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": "Latency",
                "Dimensions": _DIMENSIONS,
                "Unit": "Milliseconds",
                "Values": [1.0, 100.0],
                "Counts": [990.0, 10.0],
            }
        ],
    )
    (point,) = _datapoints(
        cloudwatch,
        "Latency",
        Statistics=["SampleCount"],
        ExtendedStatistics=["p50", "p99", "p99.9"],
    )
    assert point["SampleCount"] == 1000
    assert point["ExtendedStatistics"] == {"p50": 1.0, "p99": 1.0, "p99.9": 100.0}


def test_extended_statistics_alone(cloudwatch: Any) -> None:
    """ExtendedStatistics without Statistics is a valid request; the percentile is answered."""
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {"MetricName": "Plain", "Dimensions": _DIMENSIONS, "Value": v} for v in range(1, 101)
        ],
    )
    (point,) = _datapoints(cloudwatch, "Plain", ExtendedStatistics=["p90"])
    assert point["ExtendedStatistics"] == {"p90": 90.0}


def test_no_percentile_of_statistic_sets(cloudwatch: Any) -> None:
    """A period holding a statistic set has no percentile (AWS needs the values); nor does a
    trimmed mean, which the lab does not compute."""
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": "Sets",
                "Dimensions": _DIMENSIONS,
                "StatisticValues": {"SampleCount": 2, "Sum": 3, "Minimum": 1, "Maximum": 2},
            }
        ],
    )
    (point,) = _datapoints(
        cloudwatch, "Sets", Statistics=["Sum"], ExtendedStatistics=["p99", "tm99"]
    )
    assert point["Sum"] == 3
    assert point.get("ExtendedStatistics", {}) == {}
