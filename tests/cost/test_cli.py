from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chainops.cli import main


def test_prints_json_per_stack(plan3: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`chainops cost -e prod --json blockchain=PLAN` names the stack, environment, region."""
    assert main(["cost", "-e", "prod", "--json", f"blockchain={plan3}"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["environment"], data["region"]) == ("prod", "us-east-1")
    assert data["stacks"][0]["stack"] == "blockchain"


def test_diff_against_a_state(
    plan6: Path, state3: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--baseline STATE prints what the plan adds per month."""
    assert main(["cost", str(plan6), "--baseline", str(state3)]) == 0
    assert capsys.readouterr().out.endswith("this change adds 775.17 USD/month\n")


def test_plan_alone_is_compared_with_its_prior_state(
    plan6_applied3: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --baseline a plan's change is against the state it was planned over."""
    assert main(["cost", str(plan6_applied3)]) == 0
    assert capsys.readouterr().out.endswith("this change adds 775.17 USD/month\n")


def test_plan_of_an_empty_state_adds_everything(
    plan3: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan with no prior state adds its whole cost."""
    assert main(["cost", str(plan3)]) == 0
    assert capsys.readouterr().out.endswith("this change adds 971.67 USD/month\n")


def test_state_alone_is_no_change(state3: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A state is what runs: a total, no change line."""
    assert main(["cost", str(state3)]) == 0
    out = capsys.readouterr().out
    assert "total: 971.67 USD/month" in out
    assert "this change" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-e", "qa"], "--environment qa: unknown (known: dev, lab, prod, staging)"),
        (["--region", "mars-1"], "--region mars-1: no price snapshot for it"),
    ],
    ids=["environment", "region"],
)
def test_unknown_environment_or_region_exits_2(
    plan3: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown environment or region: one line naming it, exit 2."""
    assert main(["cost", *argv, str(plan3)]) == 2
    assert capsys.readouterr().err.startswith(f"chainops: {message}")


def test_not_json_exits_2_in_one_line_without_traceback(tmp_path: Path) -> None:
    """Terraform's human plan output given as the plan file: one line naming it, exit 2."""
    path = tmp_path / "plan.txt"
    path.write_text("Plan: 3 to add, 0 to change, 0 to destroy.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "chainops", "cost", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"chainops: {path}: not JSON (Expecting value, line 1); give the output of "
        "`terraform show -json PLANFILE` or of a state"
    ]
