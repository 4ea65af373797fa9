"""The table at the end of `make test`: each stage's time and the slowest tests.

`python -m tests.report DIR` reads what the suite left in DIR (scripts/test-suite sets
CHAINOPS_TEST_REPORT to it): `stages.tsv` (a line per stage from scripts/timed: name, seconds,
exit status), `started` (the suite's start, epoch seconds), `pytest.xml` (pytest's JUnit
report, one test case per test with set-up, call and tear-down together) and `failures/` (the
log of each molecule scenario that failed, from scripts/molecule-all). Molecule scenarios
are tests too: their stage lines (`molecule: <scenario>`) rank among the slowest.

The table ends with why each failure failed (its first lines), since CI keeps only the end of
a long output.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SLOWEST = 15
# Why a failure failed: this many lines of each, at most this many failures.
EXCERPT_LINES = 25
EXCERPTS = 6
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The lines of an Ansible log that say what failed, and the task they belong to.
ANSIBLE_FAILURE = re.compile(r"fatal: |FAILED!|^ERROR|\[ERROR\]|TASK \[")
MOLECULE_PREFIX = "molecule: "
REPORT_ENV = "CHAINOPS_TEST_REPORT"


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: float
    status: str


def clock(seconds: float) -> str:
    """`m:ss` (or `h:mm:ss`), the way the budget in the README is written."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def record_stage(name: str, seconds: float, status: int = 0) -> None:
    """Append a stage line as scripts/timed does, when the suite keeps a report (else nothing):
    for parts of a test worth a row of their own, such as each stack's apply."""
    directory = os.environ.get(REPORT_ENV)
    if directory:
        with (Path(directory) / "stages.tsv").open("a", encoding="utf-8") as stages:
            stages.write(f"{name}\t{seconds:.1f}\t{status}\n")


def read_stages(path: Path) -> list[Timing]:
    """Stages in the order they finished."""
    if not path.exists():
        return []
    stages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name, seconds, status = line.split("\t")
        stages.append(Timing(name, float(seconds), "ok" if status == "0" else f"exit {status}"))
    return stages


def read_tests(path: Path) -> list[Timing]:
    """Every test case of a JUnit report with its outcome."""
    if not path.exists():
        return []
    tests = []
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - pytest's own file
        module = case.get("classname", "").replace(".", "/")
        name = f"{module}.py::{case.get('name', '')}" if module else case.get("name", "")
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            if case.find(tag) is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
        tests.append(Timing(name, float(case.get("time", "0")), outcome))
    return tests


def pytest_failures(path: Path) -> list[tuple[str, str]]:
    """(test, its failure message) for each failed or erroring test of a JUnit report."""
    if not path.exists():
        return []
    failures = []
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - pytest's own file
        for tag in ("failure", "error"):
            found = case.find(tag)
            if found is not None:
                text = found.get("message", "") + "\n" + (found.text or "")
                failures.append((f"{case.get('classname', '')}::{case.get('name', '')}", text))
    return failures


def molecule_failures(directory: Path) -> list[tuple[str, str]]:
    """(scenario, the failed tasks of its log) for each log scripts/molecule-all kept."""
    failures = []
    for log in sorted(directory.glob("*.log")) if directory.is_dir() else []:
        lines = [
            ANSI.sub("", line).strip(" │") for line in log.read_text(errors="replace").splitlines()
        ]
        kept: list[str] = []
        task = ""
        for index, line in enumerate(lines):
            if line.startswith("TASK ["):
                task = line
            elif ANSIBLE_FAILURE.search(line):
                kept += [task, *lines[index : index + 4]]
        failures.append((log.stem, "\n".join(kept) or "\n".join(lines[-EXCERPT_LINES:])))
    return failures


def render_failures(failures: list[tuple[str, str]]) -> str:
    if not failures:
        return ""
    lines = ["", "== why they failed (first lines of each) =="]
    for name, text in failures[:EXCERPTS]:
        lines += [
            f"-- {name}",
            *[f"  {line}" for line in text.strip().splitlines()[:EXCERPT_LINES]],
        ]
    if len(failures) > EXCERPTS:
        lines.append(f"-- and {len(failures) - EXCERPTS} more")
    return "\n".join(lines) + "\n"


def counts(tests: list[Timing]) -> str:
    tally = Counter(test.status for test in tests)
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items())) or "no tests"


def render(stages: list[Timing], tests: list[Timing], wall: float | None) -> str:
    width = max([len(s.name) for s in stages] + [len("make test (wall)")])
    lines = ["", "== make test: each stage's time (stages run side by side) =="]
    lines += [f"  {s.name:<{width}}  {clock(s.seconds):>8}  {s.status}" for s in stages]
    if wall is not None:
        lines.append(f"  {'make test (wall)':<{width}}  {clock(wall):>8}")
    scenarios = [s for s in stages if s.name.startswith(MOLECULE_PREFIX)]
    lines += ["", f"pytest: {counts(tests)}; molecule: {len(scenarios)} scenario(s)"]
    ranked = sorted(tests + scenarios, key=lambda t: t.seconds, reverse=True)[:SLOWEST]
    lines += ["", f"== the {SLOWEST} slowest tests (pytest: set-up + call + tear-down) =="]
    lines += [f"  {clock(t.seconds):>8}  {t.name}  ({t.status})" for t in ranked]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the suite's report directory")
    args = parser.parse_args(argv)
    directory: Path = args.directory
    started = directory / "started"
    wall = time.time() - float(started.read_text()) if started.exists() else None
    tests = read_tests(directory / "pytest.xml")
    sys.stdout.write(render(read_stages(directory / "stages.tsv"), tests, wall))
    failures = molecule_failures(directory / "failures")
    sys.stdout.write(render_failures(pytest_failures(directory / "pytest.xml") + failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
