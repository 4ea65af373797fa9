"""Role READMEs carry their variables table exactly as argument_specs generates it."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainops import roledocs


@pytest.mark.parametrize("role", roledocs.roles(), ids=lambda p: p.name)
def test_readme_variables_match_argument_specs(role: Path) -> None:
    """Every role has a README whose generated table is current (python -m chainops.roledocs)."""
    readme = role / "README.md"
    assert readme.exists()
    assert readme.read_text() == roledocs.render(readme, role / "meta" / "argument_specs.yml")


def test_every_role_is_documented() -> None:
    assert {p.name for p in roledocs.roles()} >= {"solana_rpc_node", "terraform_stack"}
