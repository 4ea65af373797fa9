"""The service: what it publishes to the lab's CloudWatch (read back as the scaling policy and
the latency alarm read it), and its graceful stop."""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from chainops.lab.settings import LabSettings
from chainops.rpcgateway.meter import REQUEST_LATENCY, REQUESTS_PER_SECOND, UPSTREAM_ERRORS
from tests.rpcgateway.conftest import (
    Answer,
    GatewayProcess,
    Validator,
    post,
    request,
    statistics,
)

Start = Callable[..., GatewayProcess]
HOUR = ("--metrics-interval-s", "3600")  # only the flush at exit publishes


def test_requests_and_latency_reach_cloudwatch(
    lab: LabSettings, validator: Validator, start_gateway: Start
) -> None:
    """N requests (getSlot, getBlock, a batch), then SIGTERM: exit 0 and one flush carrying
    RequestLatency with N samples (p99 answered) and RequestsPerSecond = N over the run, both
    with the AutoScalingGroupName dimension; /health is forwarded but not counted."""
    started = time.monotonic()
    gateway = start_gateway(validator.rpc_url, validator.ws_url, *HOUR)
    ready = time.monotonic()
    finalized = post(validator.rpc_url, request("getSlot", [{"commitment": "finalized"}]))
    payloads = [
        request("getSlot"),
        request("getBlock", [finalized.json()["result"], {"rewards": False}]),
        [request("getSlot", request_id=1), request("getBlockHeight", request_id=2)],
    ]
    sent = 0
    for _ in range(20):
        for payload in payloads:
            assert post(gateway.rpc_url, payload).status == 200
            sent += 1
    urllib.request.urlopen(gateway.rpc_url + "/health", timeout=10).close()
    signalled = time.monotonic()
    assert gateway.terminate() == 0, gateway.log.read_text()
    elapsed = time.monotonic() - started

    (latency,) = statistics(
        lab,
        REQUEST_LATENCY,
        Statistics=["SampleCount", "Minimum", "Maximum"],
        ExtendedStatistics=["p50", "p99"],
    )
    assert latency["SampleCount"] == sent
    assert latency["Unit"] == "Milliseconds"
    assert 0 < latency["ExtendedStatistics"]["p50"] <= latency["ExtendedStatistics"]["p99"]
    assert latency["ExtendedStatistics"]["p99"] <= latency["Maximum"] < 10_000
    (rate,) = statistics(lab, REQUESTS_PER_SECOND, Statistics=["SampleCount", "Average"])
    assert (rate["SampleCount"], rate["Unit"]) == (1, "Count/Second")
    # One window, from the gateway's start to its stop: within [ready, signalled] and
    # [started, exited], so the rate lies between sent over each.
    assert sent / elapsed <= rate["Average"] <= sent / (signalled - ready)
    assert statistics(lab, UPSTREAM_ERRORS, Statistics=["Sum"]) == []
    (stopped,) = gateway.logged("gateway stopped")
    assert stopped["counters"]["requests"] == sent


def test_published_every_interval_zero_while_idle(lab: LabSettings, start_gateway: Start) -> None:
    """With a 1 s interval and no requests, RequestsPerSecond = 0 is published while the
    gateway runs (a scale-in needs the quiet periods); no RequestLatency without requests."""
    gateway = start_gateway("http://127.0.0.1:9", "ws://127.0.0.1:9", "--metrics-interval-s", "1")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        points = statistics(lab, REQUESTS_PER_SECOND, Statistics=["SampleCount", "Maximum"])
        if points and points[0]["SampleCount"] >= 2:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"no periodic publication:\n{gateway.log.read_text()}")
    assert points[0]["Maximum"] == 0.0
    assert gateway.process.poll() is None
    assert statistics(lab, REQUEST_LATENCY, Statistics=["SampleCount"]) == []
    assert gateway.terminate() == 0


def test_an_absent_node_is_counted(lab: LabSettings, start_gateway: Start) -> None:
    """502s count as requests (with their latency) and as UpstreamErrors."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = start_gateway(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}", *HOUR)
    for _ in range(5):
        assert post(gateway.rpc_url, request("getSlot")).status == 502
    assert gateway.terminate() == 0
    (latency,) = statistics(lab, REQUEST_LATENCY, Statistics=["SampleCount"])
    assert latency["SampleCount"] == 5
    (errors,) = statistics(lab, UPSTREAM_ERRORS, Statistics=["Sum"])
    assert errors["Sum"] == 5


def test_sigterm_finishes_requests_in_flight(
    lab: LabSettings, validator: Validator, start_gateway: Start
) -> None:
    """SIGTERM while a request waits on a slow node: the listener closes at once (new
    connections refused), the request still gets its answer, the metrics are flushed, exit 0."""
    gateway = start_gateway(validator.rpc_url, validator.ws_url, *HOUR)
    answers: list[Answer] = []
    validator.faults.set(slow_ms=1500)
    try:
        waiting = threading.Thread(
            target=lambda: answers.append(post(gateway.rpc_url, request("getSlot")))
        )
        waiting.start()
        time.sleep(0.5)
        gateway.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        try:
            urllib.request.urlopen(gateway.rpc_url + "/health", timeout=5)
            refused = False
        except (urllib.error.URLError, ConnectionError):
            refused = True
        waiting.join(10)
    finally:
        validator.faults.clear()
    assert gateway.process.wait(timeout=20) == 0, gateway.log.read_text()
    assert refused
    assert [answer.status for answer in answers] == [200]
    (latency,) = statistics(lab, REQUEST_LATENCY, Statistics=["SampleCount", "Minimum"])
    assert latency["SampleCount"] == 1
    assert latency["Minimum"] >= 1400  # the node's 1.5 s, in a bucket within 6 %


def test_in_flight_requests_are_bounded(validator: Validator, start_gateway: Start) -> None:
    """A request slower than --shutdown-timeout-s does not hold the exit: it is cut and the
    gateway exits 0 about the timeout after SIGTERM."""
    gateway = start_gateway(validator.rpc_url, validator.ws_url, *HOUR, "--shutdown-timeout-s", "1")
    validator.faults.set(slow_ms=8000)
    try:
        waiting = threading.Thread(
            target=lambda: _ignore_errors(lambda: post(gateway.rpc_url, request("getSlot"))),
            daemon=True,
        )
        waiting.start()
        time.sleep(0.5)
        signalled = time.monotonic()
        assert gateway.terminate() == 0, gateway.log.read_text()
        assert time.monotonic() - signalled < 5
    finally:
        validator.faults.clear()


def _ignore_errors(function: Callable[[], object]) -> None:
    with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
        function()
