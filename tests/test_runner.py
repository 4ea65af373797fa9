"""`chainops run`, the ansible-runner CI entry: events stream, artifacts land, rc is the play's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chainops import runner
from chainops.errors import RunError

CHAINOPS = Path(sys.executable).parent / "chainops"
PLAY = """
- name: A play
  hosts: local
  gather_facts: false
  tasks:
    - name: Say hello
      ansible.builtin.debug:
        msg: "hello {{ who | default('nobody') }}"
    - name: Say the mode
      ansible.builtin.debug:
        msg: "check mode: {{ ansible_check_mode }}"
    - name: Fail when asked
      ansible.builtin.fail:
        msg: asked to fail
      when: fail | bool
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "play.yml").write_text(PLAY)
    # ansible.cfg enables the yaml inventory plugin (not ini).
    (tmp_path / "hosts.yml").write_text(
        "local:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        f"      ansible_python_interpreter: {sys.executable}\n"
    )
    return tmp_path


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHAINOPS),
            "run",
            str(project / "play.yml"),
            "-i",
            str(project / "hosts.yml"),
            "--private-data-dir",
            str(project / "runner"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_success_streams_output_and_writes_artifacts(project: Path) -> None:
    """Ansible's output streams to stdout; status and rc land in the artifacts dir."""
    result = _run(project, "-e", "who=ci", "-e", "fail=false")
    assert result.returncode == 0, result.stderr
    assert "hello ci" in result.stdout
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["status"] == "successful"
    artifacts = Path(summary["artifacts"])
    assert (artifacts / "status").read_text() == "successful"
    assert (artifacts / "rc").read_text() == "0"
    assert list((artifacts / "job_events").glob("*.json"))


def test_failure_exits_non_zero_and_names_the_host(project: Path) -> None:
    result = _run(project, "-e", "who=ci", "-e", "fail=true")
    assert result.returncode != 0
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["status"] == "failed"
    assert summary["failed_hosts"] == ["localhost"]


def test_json_events_are_one_per_line(project: Path) -> None:
    result = _run(project, "-e", "who=ci", "-e", "fail=false", "--json-events")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "playbook_on_start"
    assert "runner_on_ok" in kinds
    assert kinds.index("playbook_on_stats") > kinds.index("runner_on_ok")


def test_unknown_playbook_is_refused_with_the_known_ones() -> None:
    with pytest.raises(RunError, match=r"known: .*site\.yml"):
        runner.resolve_playbook("no-such-runbook")


def test_phases_resolve_by_name() -> None:
    assert runner.resolve_playbook("fleet").name == "fleet.yml"
    assert runner.resolve_playbook("site.yml").parent == runner.REPO_ROOT


def test_extra_vars_parse_json_values_and_reject_garbage() -> None:
    assert runner.parse_extra_vars(["n=3", "name=x", 'l=["a"]']) == {
        "n": 3,
        "name": "x",
        "l": ["a"],
    }
    with pytest.raises(RunError, match="not key=value"):
        runner.parse_extra_vars(["oops"])


def test_a_run_inherits_nothing_from_the_last_in_the_same_directory(project: Path) -> None:
    """ansible-runner would replay the earlier run's env/ (its --check, its extra vars): a check
    run, then a real one in the same private data dir, and the second is neither checked nor
    given the first one's variables."""
    checked = _run(project, "-e", "who=first", "-e", "fail=false", "--check")
    assert checked.returncode == 0, checked.stderr
    assert "hello first" in checked.stdout
    assert "check mode: True" in checked.stdout
    again = _run(project, "-e", "fail=false")
    assert again.returncode == 0, again.stderr
    assert "hello nobody" in again.stdout
    assert "check mode: False" in again.stdout


def test_run_without_a_data_dir_leaves_no_temporary_dir(project: Path, tmp_path: Path) -> None:
    """A failed run without --private-data-dir removes its temporary data dir; the summary says
    no artifacts were kept."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    result = subprocess.run(
        [
            str(CHAINOPS),
            "run",
            str(project / "play.yml"),
            "-i",
            str(project / "hosts.yml"),
            "-e",
            "who=ci",
            "-e",
            "fail=true",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert (summary["status"], summary["artifacts"]) == ("failed", None)
    assert list(tmp.iterdir()) == []


def test_failed_run_keeps_the_asked_for_data_dir(project: Path) -> None:
    """With --private-data-dir the artifacts stay there, and the summary says where."""
    result = _run(project, "-e", "who=ci", "-e", "fail=true")
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert Path(summary["artifacts"]).parent == project / "runner" / "artifacts"
    assert (Path(summary["artifacts"]) / "status").read_text() == "failed"
