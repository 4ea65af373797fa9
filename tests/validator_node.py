"""A lab validator as a subprocess on ephemeral ports (shared by tests/validator and listener)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from chainops.validator.faults import FaultsClient

FAST = ["--slot-ms", "50", "--confirmed-depth", "1", "--finalized-depth", "3"]
START_TIMEOUT_S = 30


@dataclass
class Validator:
    rpc_url: str
    ws_url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def faults(self) -> FaultsClient:
        return FaultsClient(self.rpc_url)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)


def start_validator_process(tmp: Path, args: list[str]) -> Validator:
    """`chainops validator --rpc-port 0 --ws-port 0 ARGS`, returned once it listens."""
    log = tmp / f"validator-{time.monotonic_ns()}.log"
    command = [
        sys.executable,
        "-c",
        "import sys; from chainops.cli import main; sys.exit(main())",
        "validator",
        "--rpc-port",
        "0",
        "--ws-port",
        "0",
        *args,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=out, env=dict(os.environ))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith("{") and '"validator listening"' in line:
                entry = json.loads(line)
                return Validator(entry["rpc"], entry["ws"], process, log)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"validator did not start:\n{log.read_text()}")


@contextmanager
def running_validator(tmp: Path, args: list[str]) -> Iterator[Validator]:
    """A validator on 50 ms slots (`FAST`) with `args`, stopped cleanly afterwards."""
    node = start_validator_process(tmp, [*FAST, *args])
    yield node
    assert node.stop() == 0, node.log.read_text()


def module_validator(*args: str) -> Callable[..., Iterator[Validator]]:
    """A module-scoped `validator` fixture: one `running_validator` with `args` for the
    module's tests (assign it to the name `validator` in a conftest)."""

    @pytest.fixture(scope="module")
    def validator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Validator]:
        with running_validator(tmp_path_factory.mktemp("validator"), list(args)) as node:
            yield node

    return validator
