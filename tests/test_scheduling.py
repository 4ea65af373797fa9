"""tests/scheduling.py under real xdist workers: a module's tests stay on one worker, every
reader of the applied stacks joins one group with the destroy test last, longest first."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from chainops.paths import REPO_ROOT

CONFTEST = """
import os
import pytest

@pytest.fixture(scope="session")
def deployment():
    return os.environ["PYTEST_XDIST_WORKER"]
"""
READERS = """
import pytest

def test_reads_first(deployment): pass

@pytest.mark.destroys_stacks
def test_destroys(deployment): pass

def test_reads_second(deployment): pass

def test_needs_no_stacks(): pass
"""
MORE_READERS = """
def test_reads_elsewhere(deployment): pass
"""
LONG = """
import pytest

pytestmark = pytest.mark.minutes(5)

@pytest.mark.parametrize("n", range(4))
def test_long(n): pass
"""


def _pytest(tmp_path: Path, files: dict[str, str], *args: str) -> str:
    """pytest with the plugin on a made-up suite of `files`; its output, once it passed."""
    for name, text in {"conftest.py": CONFTEST, **files}.items():
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.scheduling", *args,
         "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_groups_stay_on_one_worker_and_the_destroy_runs_last(tmp_path: Path) -> None:
    files = {"test_a_readers.py": READERS, "test_b_more_readers.py": MORE_READERS}
    stdout = _pytest(tmp_path, {**files, "test_c_long.py": LONG}, "-n", "3", "-v")
    ran = re.findall(r"^\[(gw\d)\] .*?PASSED (\S+)", stdout, re.M)
    worker = dict((test.split("::")[1], gw) for gw, test in ran)
    order = [test.split("::")[1] for _, test in ran]
    readers = {"test_reads_first", "test_reads_second", "test_reads_elsewhere", "test_destroys"}
    assert len({worker[test] for test in readers}) == 1, ran
    stacks_order = [test for test in order if test in readers]
    assert stacks_order[-1] == "test_destroys", stacks_order
    assert len({worker[f"test_long[{n}]"] for n in range(4)}) == 1, ran


def test_longest_groups_first_in_file_order(tmp_path: Path) -> None:
    files = {"test_a_readers.py": READERS, "test_c_long.py": LONG}
    stdout = _pytest(tmp_path, files, "--collect-only", "-q")
    order = [line.split("::")[1] for line in stdout.splitlines() if "::" in line]
    assert order == [
        *(f"test_long[{n}]" for n in range(4)),  # minutes(5): first
        "test_reads_first",
        "test_reads_second",
        "test_destroys",  # the stacks group's destroy, after its readers
        "test_needs_no_stacks",
    ]
