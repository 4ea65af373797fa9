"""What the gateway measures of each JSON-RPC request, for the RPC fleet's scaling policy and
latency alarm (namespace: the config's metrics_namespace, dimension AutoScalingGroupName)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from chainops.pipeline.metrics import Metrics

# HTTP JSON-RPC requests per second over each publication interval (a batch is one request):
# the target-tracking policy's metric (Average over the group's nodes).
REQUESTS_PER_SECOND = "RequestsPerSecond"
# Milliseconds from a request received to its answer sent, as a histogram: the p99 alarm's.
REQUEST_LATENCY = "RequestLatency"
# Requests answered 502/504 because the node did not answer (also in the two above).
UPSTREAM_ERRORS = "UpstreamErrors"


@dataclass
class Counters:
    """Logged on exit."""

    requests: int = 0
    upstream_errors: int = 0
    websockets: int = 0  # PubSub connections proxied
    websockets_refused: int = 0  # the node's PubSub did not accept one

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class Meter:
    """Counts and times requests into the shared publisher; cheap enough for every request."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.counters = Counters()
        metrics.count(REQUESTS_PER_SECOND, 0)  # published from the start, 0 while idle

    def request(self, started: float, *, failed: bool = False) -> None:
        """One request done; `started` is its `time.perf_counter()` on arrival."""
        milliseconds = (time.perf_counter() - started) * 1000
        self.metrics.count(REQUESTS_PER_SECOND)
        self.metrics.observe_histogram(REQUEST_LATENCY, milliseconds, "Milliseconds")
        self.counters.requests += 1
        if failed:
            self.counters.upstream_errors += 1
            self.metrics.observe(UPSTREAM_ERRORS, 1, "Count")
