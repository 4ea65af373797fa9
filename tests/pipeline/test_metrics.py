"""The shared metrics publisher (chainops.pipeline.metrics) against the lab's CloudWatch: each
kind of observation as CloudWatch reads it back, and a failed call keeping its data."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from typing import Any

import boto3
import pytest
from botocore.config import Config

from chainops.lab.aws import clients
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings
from chainops.pipeline.metrics import (
    HISTOGRAM_HIGH,
    HISTOGRAM_LOW,
    MAX_VALUES_PER_DATUM,
    Metrics,
    bucket_of,
)
from tests.helpers import metric_statistics

NAMESPACE = "Test/Metrics"
DIMENSIONS = {"AutoScalingGroupName": "rpc"}


@pytest.fixture
def cloudwatch(lab: LabSettings) -> Any:
    return clients.client(lab, "cloudwatch")


def _statistics(cloudwatch: Any, name: str, **wanted: Any) -> list[dict[str, Any]]:
    return metric_statistics(cloudwatch, NAMESPACE, name, DIMENSIONS, **wanted)


def _client(lab: LabSettings, endpoint: str, read_timeout: float = 5) -> Any:
    return boto3.client(
        "cloudwatch",
        endpoint_url=endpoint,
        region_name=lab.regions[0],
        aws_access_key_id=LAB_ACCESS_KEY,
        aws_secret_access_key=LAB_SECRET_KEY,
        config=Config(
            retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=read_timeout
        ),
    )


def test_buckets_are_few_and_close() -> None:
    """Every value maps to one of at most 141 buckets (PutMetricData takes 150 values a datum),
    within 6 % of the value inside the range and clamped outside it."""
    values = [10 ** (exponent / 1000) for exponent in range(-3000, 6000)]
    buckets = {bucket_of(v) for v in values}
    assert len(buckets) <= 141 < MAX_VALUES_PER_DATUM
    for value in values:
        if HISTOGRAM_LOW <= value <= HISTOGRAM_HIGH:
            assert abs(bucket_of(value) - value) / value < 0.062, value
    assert bucket_of(0.0) == bucket_of(-5.0) == HISTOGRAM_LOW
    assert bucket_of(1e9) == HISTOGRAM_HIGH
    assert bucket_of(1.0) == 1.0
    assert bucket_of(100.0) == 100.0


def test_each_kind_as_cloudwatch_reads_it(cloudwatch: Any) -> None:
    """A statistic set, a histogram (its percentiles answered) and a rate per second, in one
    PutMetricData call, with the caller's dimension."""
    ticks = itertools.count()
    clock = lambda: float(next(ticks))  # noqa: E731 - each read one second later
    metrics = Metrics(cloudwatch, namespace=NAMESPACE, dimensions=DIMENSIONS, clock=clock)
    for value in (2.0, 4.0):
        metrics.observe("Set", value, "Count")
    for _ in range(99):
        metrics.observe_histogram("Latency", 1.0, "Milliseconds")
    metrics.observe_histogram("Latency", 250.0, "Milliseconds")
    metrics.count("Rate", 30)  # the rate's window starts at this read of the clock
    metrics.flush(force=True)  # ... and ends at the next: 30 events in 1 s

    (stats,) = _statistics(cloudwatch, "Set", Statistics=["SampleCount", "Sum", "Maximum"])
    assert (stats["SampleCount"], stats["Sum"], stats["Maximum"]) == (2, 6, 4)
    (latency,) = _statistics(
        cloudwatch, "Latency", Statistics=["SampleCount"], ExtendedStatistics=["p50", "p99.5"]
    )
    assert latency["SampleCount"] == 100
    assert latency["ExtendedStatistics"] == {"p50": 1.0, "p99.5": bucket_of(250.0)}
    assert latency["Unit"] == "Milliseconds"
    (rate,) = _statistics(cloudwatch, "Rate", Statistics=["Average", "SampleCount"])
    assert (rate["Average"], rate["SampleCount"], rate["Unit"]) == (30.0, 1, "Count/Second")


def test_a_rate_is_published_every_flush_zero_when_idle(cloudwatch: Any) -> None:
    """Once counted, a rate goes out at every flush, 0 when nothing happened; the others only
    when observed."""
    metrics = Metrics(cloudwatch, namespace=NAMESPACE, dimensions=DIMENSIONS, clock=time.monotonic)
    metrics.count("Idle", 0)
    metrics.flush(force=True)
    metrics.flush(force=True)
    (rate,) = _statistics(cloudwatch, "Idle", Statistics=["SampleCount", "Maximum"])
    assert (rate["SampleCount"], rate["Maximum"]) == (2, 0.0)


def test_flush_waits_for_the_interval_unless_forced(cloudwatch: Any) -> None:
    """The first observations go out at once (an alarm sees a new process alive), later ones
    when the interval is up, or when forced."""
    now = [0.0]
    metrics = Metrics(
        cloudwatch,
        namespace=NAMESPACE,
        dimensions=DIMENSIONS,
        clock=lambda: now[0],
        interval_seconds=10.0,
    )
    metrics.observe("Waits", 1.0, "Count")
    metrics.flush()
    assert _statistics(cloudwatch, "Waits", Statistics=["Sum"])[0]["Sum"] == 1.0
    metrics.observe("Waits", 2.0, "Count")
    now[0] = 5.0
    metrics.flush()
    assert _statistics(cloudwatch, "Waits", Statistics=["Sum"])[0]["Sum"] == 1.0
    now[0] = 10.0
    metrics.flush()
    assert _statistics(cloudwatch, "Waits", Statistics=["Sum"])[0]["Sum"] == 3.0
    metrics.observe("Waits", 4.0, "Count")
    metrics.flush(force=True)
    assert _statistics(cloudwatch, "Waits", Statistics=["Sum"])[0]["Sum"] == 7.0


def test_a_failed_call_keeps_its_data_for_the_next(
    lab: LabSettings, cloudwatch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """CloudWatch unreachable: a warning, nothing raised, and the next flush sends the earlier
    data with its own (the same totals reach CloudWatch)."""
    unreachable = _client(lab, "http://127.0.0.1:9")  # discard: nothing listens
    metrics = Metrics(unreachable, namespace=NAMESPACE, dimensions=DIMENSIONS, clock=time.monotonic)
    metrics.observe_histogram("Kept", 5.0, "Milliseconds")
    metrics.flush(force=True)
    assert "metrics not published" in caplog.text
    metrics._cloudwatch = cloudwatch  # the endpoint is back
    metrics.observe_histogram("Kept", 5.0, "Milliseconds")
    metrics.flush(force=True)
    (point,) = _statistics(cloudwatch, "Kept", Statistics=["SampleCount"])
    assert point["SampleCount"] == 2


def test_observing_does_not_wait_for_a_call(lab: LabSettings) -> None:
    """A flush holds the observers' lock only to take the data, not during PutMetricData: an
    observation made while a call hangs (an endpoint that never answers) returns at once."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        metrics = Metrics(
            _client(lab, endpoint, read_timeout=2),
            namespace=NAMESPACE,
            dimensions=DIMENSIONS,
            clock=time.monotonic,
        )
        metrics.observe("Busy", 1.0, "Count")
        flushing = threading.Thread(target=metrics.flush, kwargs={"force": True})
        flushing.start()
        time.sleep(0.5)  # the call is waiting for an answer
        assert flushing.is_alive()
        before = time.perf_counter()
        metrics.observe_histogram("Busy", 1.0, "Milliseconds")
        metrics.count("Busy")
        assert time.perf_counter() - before < 0.05
        flushing.join(10)
