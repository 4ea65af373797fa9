"""The closing table of make test, from a stages file and a JUnit report like the suite's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import report

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="tests.terraform.test_stacks" name="test_apply" time="612.5"/>
<testcase classname="tests.lab.test_server" name="test_up" time="1.25">
  <failure message="boom">boom</failure></testcase>
<testcase classname="tests.test_tf" name="test_skip" time="0.01"><skipped/></testcase>
</testsuite></testsuites>
"""


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    (tmp_path / "stages.tsv").write_text(
        "lint: checkov\t61.0\t0\nmolecule: fleet\t700.4\t0\npytest\t1300.0\t1\n"
    )
    (tmp_path / "pytest.xml").write_text(JUNIT)
    (tmp_path / "started").write_text("0")
    return tmp_path


def test_clock_reads_like_the_budget() -> None:
    assert report.clock(59.6) == "1:00"
    assert report.clock(1500) == "25:00"
    assert report.clock(3725) == "1:02:05"


def test_table_has_every_stage_the_counts_and_the_slowest_first(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report.main([str(directory)]) == 0
    out = capsys.readouterr().out
    assert "lint: checkov" in out
    assert "21:40  exit 1" in out  # pytest's stage failed
    assert "make test (wall)" in out
    assert "pytest: 1 failed, 1 passed, 1 skipped; molecule: 1 scenario(s)" in out
    slowest = out.split("slowest tests")[1].splitlines()[1:]
    assert "molecule: fleet  (ok)" in slowest[0]
    assert "tests/terraform/test_stacks.py::test_apply  (passed)" in slowest[1]
    assert "tests/lab/test_server.py::test_up  (failed)" in slowest[2]


def test_missing_files_still_give_a_table(tmp_path: Path) -> None:
    """A suite stopped before pytest wrote its report still prints what it has."""
    text = report.render(report.read_stages(tmp_path / "none"), [], None)
    assert "pytest: no tests; molecule: 0 scenario(s)" in text


def test_a_recorded_stage_joins_the_table(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(report.REPORT_ENV, str(directory))
    report.record_stage("pytest: apply core (the session's stacks)", 281.4)
    stages = report.read_stages(directory / "stages.tsv")
    assert stages[-1] == report.Timing("pytest: apply core (the session's stacks)", 281.4, "ok")


def test_nothing_is_recorded_without_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(report.REPORT_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    report.record_stage("pytest: apply core", 1.0)
    assert list(tmp_path.iterdir()) == []


def test_the_table_ends_with_why_each_failure_failed(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CI keeps only the end of the output: the failed test's message and a failed scenario's
    failing task (from the log scripts/molecule-all kept) come last."""
    failures = directory / "failures"
    failures.mkdir()
    (failures / "molecule listener_service (default).log").write_text(
        "\x1b[2m│\x1b[0m TASK [listener_service : Wait until the checkpoint advances] ***\n"
        "  ok: [listener-1]\n"
        "\x1b[2m│\x1b[0m fatal: [listener-1]: FAILED! => checkpoint did not advance\n"
        "PLAY RECAP\n"
    )
    assert report.main([str(directory)]) == 0
    why = capsys.readouterr().out.split("== why they failed")[1]
    assert "-- tests.lab.test_server::test_up\n  boom" in why
    assert "-- molecule listener_service (default)" in why
    assert "TASK [listener_service : Wait until the checkpoint advances]" in why
    assert "fatal: [listener-1]: FAILED! => checkpoint did not advance" in why
