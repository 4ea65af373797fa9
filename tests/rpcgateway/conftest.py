"""Real parts for the gateway's tests: a lab validator, `chainops rpc-gateway` processes in front
of it on ephemeral ports, the lab's CloudWatch, and plain clients."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from chainops.rpcgateway.config import GatewayConfig
from tests.validator_node import FAST, Validator, start_validator_process

GROUP = "chainops-test-rpc"
NAMESPACE = GatewayConfig.model_fields["metrics_namespace"].default
CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]
START_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def validator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Validator]:
    """One node with light load for the module's gateways (50 ms slots)."""
    node = start_validator_process(
        tmp_path_factory.mktemp("validator"), [*FAST, "--tps", "50", "--signers", "0"]
    )
    yield node
    assert node.stop() == 0, node.log.read_text()


@dataclass
class GatewayProcess:
    process: subprocess.Popen[bytes]
    log: Path
    rpc_url: str = ""
    ws_url: str = ""

    def lines(self) -> list[dict[str, Any]]:
        text = self.log.read_text()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def logged(self, message: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["msg"] == message]

    def terminate(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)


@pytest.fixture
def start_gateway(tmp_path: Path, lab: LabSettings) -> Iterator[Callable[..., GatewayProcess]]:
    """`chainops rpc-gateway` on ephemeral loopback ports in front of a node, publishing to the
    lab; returned once it listens. Any still running afterwards are killed."""
    started: list[GatewayProcess] = []

    def start(rpc_url: str, ws_url: str, *args: str, wait: bool = True) -> GatewayProcess:
        command = [
            *CLI, "rpc-gateway",
            "--host", "127.0.0.1", "--rpc-port", "0", "--ws-port", "0",
            "--upstream-rpc", rpc_url, "--upstream-ws", ws_url,
            "--group-name", GROUP,
            "--endpoint-url", lab.endpoint, "--region", lab.regions[0],
            *args,
        ]  # fmt: skip
        log = tmp_path / f"gateway-{len(started)}.log"
        env = {**os.environ, **lab.aws_env()}
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=out, env=env)
        gateway = GatewayProcess(process, log)
        started.append(gateway)
        if wait:
            _wait_listening(gateway)
        return gateway

    yield start
    for gateway in started:
        if gateway.process.poll() is None:
            gateway.process.kill()
            gateway.process.wait()


def _wait_listening(gateway: GatewayProcess) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if found := gateway.logged("gateway listening"):
            gateway.rpc_url, gateway.ws_url = found[0]["rpc"], found[0]["ws"]
            return
        assert gateway.process.poll() is None, gateway.log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"gateway did not start:\n{gateway.log.read_text()}")


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(compare=False, default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


def post(url: str, payload: Any, timeout: float = 10) -> Answer:
    """One HTTP JSON-RPC POST; the answer whatever its status."""
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers = dict(response.headers)
            return Answer(response.status, headers["Content-Type"], response.read(), headers)
    except urllib.error.HTTPError as error:
        headers = dict(error.headers)
        return Answer(error.code, headers["Content-Type"], error.read(), headers)


def request(method: str, params: list[Any] | None = None, request_id: int = 1) -> dict[str, Any]:
    """A JSON-RPC request object."""
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or []}


def statistics(lab: LabSettings, name: str, **wanted: Any) -> list[dict[str, Any]]:
    """The gateway's metric `name` for GROUP over the last hour, as one datapoint a period."""
    now = datetime.now(UTC)
    answer = clients.client(lab, "cloudwatch").get_metric_statistics(
        Namespace=NAMESPACE,
        MetricName=name,
        Dimensions=[{"Name": "AutoScalingGroupName", "Value": GROUP}],
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(minutes=1),
        Period=3600,
        **wanted,
    )
    points: list[dict[str, Any]] = answer["Datapoints"]
    return points


__all__ = ["FAST", "GROUP", "Validator"]
