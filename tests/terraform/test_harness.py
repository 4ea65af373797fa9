"""The harness's failure report: the lab AWS's own errors travel with Terraform's."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.terraform.harness import _failure, _lab_errors

TRACEBACK = (
    "127.0.0.1 - - [07/Dec/2026 20:00:01] Error on request:\n"
    "Traceback (most recent call last):\n"
    "StopIteration\n"
)


def test_only_the_errors_logged_after_the_start_are_reported(tmp_path: Path) -> None:
    log = tmp_path / "lab.log"
    log.write_text(f"an earlier {TRACEBACK}", encoding="utf-8")
    start = log.stat().st_size
    with log.open("a", encoding="utf-8") as out:
        out.write("denied kms:Decrypt on key to role\n" + TRACEBACK)

    assert _lab_errors(log, start) == TRACEBACK
    assert _lab_errors(log, log.stat().st_size) == ""
    assert _lab_errors(tmp_path / "missing.log", 0) == ""


def test_the_lab_errors_come_before_the_long_output() -> None:
    result = subprocess.CompletedProcess(["terraform"], 1, stdout="x\n" * 5000, stderr="Error: 500")

    report = str(_failure("terraform apply in core", result, TRACEBACK))

    assert report.index("Error: 500") < report.index("StopIteration") < report.index("x\nx")
    assert "the lab AWS's errors" not in str(_failure("terraform apply in core", result))
