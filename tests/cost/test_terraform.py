from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainops.cost import terraform
from chainops.errors import UsageError


def test_plan_lists_managed_resources_with_their_module(plan3: Path) -> None:
    """A plan's planned resources, child modules' too, without data sources."""
    document = terraform.read(plan3)
    assert document.kind == "plan"
    by_address = {r.address: r for r in document.resources}
    group = by_address["module.rpc_fleet.aws_autoscaling_group.this"]
    assert (group.module, group.values["desired_capacity"]) == ("module.rpc_fleet", 3)
    assert all(not r.address.startswith("data.") for r in document.resources)


def test_plan_of_an_empty_state_has_no_prior_resources(plan3: Path, state3: Path) -> None:
    """A plan without a prior_state starts from nothing; a state has no prior at all."""
    assert terraform.read(plan3).prior == ()
    assert terraform.read(state3).prior is None


def test_plan_over_a_state_reads_its_prior_state(plan6_applied3: Path, state3: Path) -> None:
    """A plan's prior_state holds the resources it starts from."""
    assert terraform.read(plan6_applied3).prior == terraform.read(state3).resources


def test_state_reads_like_its_plan(plan3: Path, state3: Path) -> None:
    """A state's values give the same resources as the plan that made them."""
    state = terraform.read(state3)
    assert state.kind == "state"
    assert state.resources == terraform.read(plan3).resources


def test_empty_state_has_no_resources(tmp_path: Path) -> None:
    """`terraform show -json` of an empty state prints no values: nothing to price."""
    path = tmp_path / "empty.json"
    path.write_text('{"format_version": "1.0"}', encoding="utf-8")
    assert terraform.read(path).resources == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Terraform will perform the following actions:", r"not JSON \(Expecting value, line 1\)"),
        ('{"resources": []}', "JSON, but not a Terraform plan or state"),
        ("[1, 2]", "JSON, but not a Terraform plan or state"),
    ],
    ids=["text", "other-json", "a-list"],
)
def test_not_a_plan_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    """A file that is not `terraform show -json` output is refused, naming the file."""
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=f"^{re.escape(str(path))}: {message}"):
        terraform.read(path)


def test_missing_file_names_it(tmp_path: Path) -> None:
    """An unreadable file is bad usage, named."""
    with pytest.raises(UsageError, match=r"gone\.json: cannot read it"):
        terraform.read(tmp_path / "gone.json")
