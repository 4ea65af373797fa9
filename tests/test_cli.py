"""The `chainops` command refuses bad input in one line on stderr that names it, with exit code 2,
no traceback and no temporary dir left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHAINOPS = Path(sys.executable).parent / "chainops"


def _chainops(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, with TMPDIR a fresh dir of its own (`tmp_path / "tmp"`)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return subprocess.run(
        [str(CHAINOPS), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp), **env},
        timeout=120,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    """The one stderr line of a usage error, after checking what every usage error shares."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list((tmp_path / "tmp").iterdir()) == []
    (line,) = result.stderr.splitlines()
    return line


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (None, "No such file or directory"),
        ("{not json", "not a JSON file: Expecting property name"),
        ('["a list"]', "must hold a JSON object, not a list"),
    ],
    ids=["missing", "malformed", "not-an-object"],
)
def test_bad_extra_vars_file_is_named(tmp_path: Path, content: str | None, rule: str) -> None:
    """`chainops run site -e @FILE` names the file and what is wrong with it; nothing runs."""
    path = tmp_path / "vars.json"
    if content is not None:
        path.write_text(content)
    line = _refused(_chainops(tmp_path, "run", "site", "-e", f"@{path}"), tmp_path)
    assert line.startswith(f"chainops: -e @{path}: {rule}")


def test_unknown_phase_is_named_with_the_known_ones(tmp_path: Path) -> None:
    """A phase that does not exist is refused before a data dir is made."""
    line = _refused(_chainops(tmp_path, "run", "provison"), tmp_path)
    assert line.startswith("chainops: no playbook 'provison'; known: ")
    assert "playbooks/provision.yml" in line


def test_missing_inventory_is_named(tmp_path: Path) -> None:
    line = _refused(_chainops(tmp_path, "run", "site", "-i", str(tmp_path / "nope")), tmp_path)
    assert line == f"chainops: -i {tmp_path / 'nope'}: no such inventory"


def test_private_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("")
    line = _refused(_chainops(tmp_path, "run", "site", "--private-data-dir", str(path)), tmp_path)
    assert line == f"chainops: --private-data-dir {path}: exists and is not a directory"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--bogus"], "chainops: unrecognized arguments: --bogus (see chainops --help)"),
        (["--bogus", "lab", "status"], "chainops: unrecognized arguments: --bogus"),
        (["lab", "--bogus"], "chainops lab: unrecognized arguments: --bogus"),
        (["lab", "status", "--jsn"], "chainops: unrecognized arguments: --jsn"),
        (["lab", "launch", "--count", "-3"], "chainops lab launch: argument --count: must be"),
        (["deploy"], "chainops: argument command: invalid choice: 'deploy' (choose from 'lab',"),
        (["run", "site", "-e", "=1"], "chainops: extra var '=1' is not key=value or @file.json"),
    ],
    ids=[
        "global",
        "global-before-command",
        "lab",
        "lab-status",
        "negative-count",
        "unknown-command",
        "extra-var-without-key",
    ],
)
def test_unknown_flag_is_named(tmp_path: Path, argv: list[str], expected: str) -> None:
    """argparse's error, in one line without the usage, naming the flag even when a command
    is missing too; an unknown command or a malformed -e likewise."""
    assert _refused(_chainops(tmp_path, *argv), tmp_path).startswith(expected)


@pytest.mark.parametrize(
    ("variable", "value", "rule"),
    [
        ("CHAINOPS_LAB_PORT", "abc", "not an integer"),
        ("CHAINOPS_LAB_PORT", "-1", "a TCP port is 1 to 65535"),
        ("CHAINOPS_LAB_PORT", "65536", "a TCP port is 1 to 65535"),
        ("CHAINOPS_LAB_MAX_DISK_GIB", "0", "at least 1 (GiB)"),
        ("CHAINOPS_LAB_REGIONS", "moon", "AWS regions, like us-east-1,eu-west-1"),
        ("CHAINOPS_LAB_ACCOUNT", "dev", "an AWS account id is 12 digits"),
    ],
)
def test_bad_lab_setting_is_named(tmp_path: Path, variable: str, value: str, rule: str) -> None:
    """`chainops lab status` names the variable, its value and the rule before it asks the lab."""
    line = _refused(_chainops(tmp_path, "lab", "status", **{variable: value}), tmp_path)
    assert line == f"chainops: {variable}={value!r}: {rule}"


@pytest.mark.parametrize("command", [["lab", "reconcile"], ["lab", "up"], ["tf", "version"]])
def test_every_command_reading_lab_settings_refuses_a_bad_one(
    tmp_path: Path, command: list[str]
) -> None:
    """The same line from each command that reads the lab's settings, before the lab or
    Terraform is reached."""
    line = _refused(_chainops(tmp_path, *command, CHAINOPS_LAB_PORT="abc"), tmp_path)
    assert line == "chainops: CHAINOPS_LAB_PORT='abc': not an integer"
