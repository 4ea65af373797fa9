"""The lab stacks, applied once for the module that asks for them, destroyed at its end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chainops.lab import aws, certificate, server
from chainops.lab.settings import LabSettings
from tests.terraform.harness import (
    ORDER,
    Stack,
    inventory_inputs,
    lab_backend_config,
)

# Stacks this suite applies, in dependency order.
APPLIED = ORDER


@dataclass
class Deployment:
    """The lab workspace of every applied stack, their outputs and how long each step took."""

    settings: LabSettings
    stacks: dict[str, Stack] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    destroyed: bool = False

    def client(self, service: str) -> Any:
        return aws.client(self.settings, service)

    def destroy(self) -> None:
        """Destroy in reverse dependency order (the bootstrap, holding the others' state, last)."""
        if self.destroyed:
            return
        start = time.monotonic()
        for name in reversed(list(self.stacks)):
            self.stacks[name].destroy()
        self.timings["destroy"] = time.monotonic() - start
        self.destroyed = True


def init_stack(
    name: str, settings: LabSettings, work: Path, bootstrap_outputs: dict[str, Any] | None
) -> Stack:
    """A stack initialised in the lab workspace with the lab inventory's inputs."""
    stack = Stack(name, settings, work / name)
    inputs = inventory_inputs("lab")["stacks"][name]
    if name == "core":
        # The lab inventory cannot know the ARN: ACM makes it at import.
        inputs["certificate_arn"] = certificate.ensure(settings)
    stack.write_inputs(inputs)
    if name == "state_bootstrap":
        stack.init()
    else:
        assert bootstrap_outputs is not None
        stack.init(lab_backend_config(settings, bootstrap_outputs, name))
    stack.workspace("lab")
    return stack


@pytest.fixture(scope="module")
def deployment(
    lab_settings: LabSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """Every stack applied from an empty account, in order, with the lab inventory's inputs."""
    server.reset(lab_settings)
    work = tmp_path_factory.mktemp("stacks")
    deployed = Deployment(lab_settings)
    try:
        for name in APPLIED:
            start = time.monotonic()
            stack = init_stack(name, lab_settings, work, deployed.outputs.get("state_bootstrap"))
            deployed.stacks[name] = stack
            stack.apply()
            deployed.outputs[name] = stack.outputs()
            deployed.timings[f"apply {name}"] = time.monotonic() - start
        yield deployed
    finally:
        try:
            deployed.destroy()
        finally:
            print("terraform timings (s):", {k: round(v, 1) for k, v in deployed.timings.items()})
