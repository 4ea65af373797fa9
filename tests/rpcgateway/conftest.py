"""Real parts for the gateway's tests: a lab validator, `chainops rpc-gateway` processes in front
of it on ephemeral ports, the lab's CloudWatch, and plain clients."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from chainops.rpcgateway.config import GatewayConfig
from tests.helpers import ServiceProcess, metric_statistics
from tests.validator_node import FAST, Validator, module_validator

GROUP = "chainops-test-rpc"
NAMESPACE = GatewayConfig.model_fields["metrics_namespace"].default
CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]
START_TIMEOUT_S = 30


# One node with light load for the module's gateways (50 ms slots).
validator = module_validator("--tps", "50", "--signers", "0")


@dataclass
class GatewayProcess(ServiceProcess):
    rpc_url: str = ""
    ws_url: str = ""


@pytest.fixture
def start_gateway(tmp_path: Path, lab: LabSettings) -> Iterator[Callable[..., GatewayProcess]]:
    """`chainops rpc-gateway` on ephemeral loopback ports in front of a node, publishing to the
    lab; returned once it listens. Any still running afterwards are killed."""
    started: list[GatewayProcess] = []

    def start(rpc_url: str, ws_url: str, *args: str) -> GatewayProcess:
        command = [
            *CLI, "rpc-gateway",
            "--host", "127.0.0.1", "--rpc-port", "0", "--ws-port", "0",
            "--upstream-rpc", rpc_url, "--upstream-ws", ws_url,
            "--group-name", GROUP,
            "--endpoint-url", lab.endpoint, "--region", lab.regions[0],
            *args,
        ]  # fmt: skip
        log = tmp_path / f"gateway-{len(started)}.log"
        gateway = GatewayProcess.spawn(command, log, {**os.environ, **lab.aws_env()})
        started.append(gateway)
        listening = gateway.wait_logged("gateway listening", timeout=START_TIMEOUT_S)
        gateway.rpc_url, gateway.ws_url = listening["rpc"], listening["ws"]
        return gateway

    yield start
    for gateway in started:
        gateway.kill()


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
    """The gateway's metric `name` for GROUP over the last hour, as one datapoint."""
    cloudwatch = clients.client(lab, "cloudwatch")
    return metric_statistics(cloudwatch, NAMESPACE, name, {"AutoScalingGroupName": GROUP}, **wanted)


__all__ = ["FAST", "GROUP", "Validator"]
