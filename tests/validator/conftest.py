"""The validator as a subprocess on ephemeral ports, driven only through real clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.validator_node import FAST, Validator, module_validator, start_validator_process

__all__ = ["FAST", "Validator"]


@pytest.fixture
def start_validator(tmp_path: Path) -> Iterator[Callable[..., Validator]]:
    """Start validators with extra CLI args; each is stopped with SIGTERM afterwards."""
    started: list[Validator] = []

    def start(*args: str) -> Validator:
        validator = start_validator_process(tmp_path, [*FAST, *args])
        started.append(validator)
        return validator

    yield start
    for validator in started:
        assert validator.stop() == 0, validator.log.read_text()


# One shared node with light generated load, for tests that do not change faults.
validator = module_validator("--tps", "100", "--signers", "0")
