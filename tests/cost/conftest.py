"""Fixtures of tests/cost: real `terraform show -json` plans of fixtures/root (its README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def plan3() -> Path:
    """The fixture root planned with the RPC fleet at 3 nodes."""
    return FIXTURES / "plan-rpc3.json"


@pytest.fixture
def plan6() -> Path:
    """The same root with the RPC fleet's desired capacity doubled to 6."""
    return FIXTURES / "plan-rpc6.json"


@pytest.fixture
def state3(plan3: Path, tmp_path: Path) -> Path:
    """A state of the 3-node root: its plan's planned_values under `values`, the layout
    `terraform show -json` prints for a state (same root_module/child_modules schema)."""
    plan: dict[str, Any] = json.loads(plan3.read_text(encoding="utf-8"))
    state = {
        "format_version": "1.0",
        "terraform_version": plan["terraform_version"],
        "values": plan["planned_values"],
    }
    path = tmp_path / "state-rpc3.json"
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


@pytest.fixture
def plan6_applied3(plan6: Path, state3: Path, tmp_path: Path) -> Path:
    """The 6-node plan as Terraform shows it over an applied 3-node root: the same plan with
    the 3-node state as its `prior_state` (the key `terraform show -json` gives it)."""
    plan: dict[str, Any] = json.loads(plan6.read_text(encoding="utf-8"))
    plan["prior_state"] = json.loads(state3.read_text(encoding="utf-8"))
    path = tmp_path / "plan-rpc6-over-3.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path
