"""verify.yml's alarm check (playbooks/tasks/alarm_states.yml) against alarms the lab evaluates:
a report of every alarm's state and reason, and a failure naming the alarms in ALARM."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chainops import paths
from chainops.lab.aws import alarms, clients
from chainops.lab.settings import LabSettings
from tests.helpers import copy_lab_inventory, run_playbook

TASKS = paths.COLLECTION_ROOT / "playbooks" / "tasks" / "alarm_states.yml"
PLAYBOOK = f"""
- name: Alarm states
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/chainops.platform.aws: "{{{{ chainops_aws_module_defaults }}}}"
  tasks:
    - name: The verify phase's alarm check
      ansible.builtin.import_tasks: {TASKS}
    - name: Keep the report
      ansible.builtin.copy:
        content: "{{{{ chainops_alarm_report | to_json }}}}"
        dest: "{{{{ report_path }}}}"
        mode: "0600"
"""


def _alarm(cloudwatch: Any, name: str, values: list[float]) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="Chainops/Test",
        MetricName=name,
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=10.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    if values:
        now = datetime.now(UTC) - timedelta(seconds=1)
        cloudwatch.put_metric_data(
            Namespace="Chainops/Test",
            MetricData=[{"MetricName": name, "Value": v, "Timestamp": now} for v in values],
        )


@pytest.fixture
def run(lab: LabSettings, tmp_path: Path) -> Any:
    inventory = copy_lab_inventory(tmp_path, lab.endpoint)
    playbook = tmp_path / "alarm_states.yml"
    playbook.write_text(PLAYBOOK)
    outputs = {
        "blockchain": {
            "alarm_names": {"lag": "chain-lag", "quiet": "chain-quiet"},
            "rpc_autoscaling_group_name": "chain-rpc",
        },
        "core": {"alarm_names": {"errors": "chain-errors"}},
    }
    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps(
            {
                "terraform_stack_outputs": outputs,
                "chainops_verify_alarm_retries": 0,
                "report_path": str(tmp_path / "report.json"),
            }
        )
    )

    def play() -> Any:
        alarms.evaluate(lab)
        return run_playbook(str(playbook), inventory, "-e", f"@{extra}")

    return play


def test_report_states_and_fail_on_alarm(lab: LabSettings, run: Any, tmp_path: Path) -> None:
    """OK and INSUFFICIENT_DATA pass with their reasons reported; one alarm in ALARM fails the
    check, named in the message."""
    cloudwatch = clients.client(lab, "cloudwatch")
    _alarm(cloudwatch, "chain-lag", [1.0])
    _alarm(cloudwatch, "chain-quiet", [])
    _alarm(cloudwatch, "chain-errors", [2.0])
    passed = run()
    assert passed.returncode == 0, passed.stdout[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["chain-lag"].startswith("OK: Threshold Crossed: 1 out of the last 1")
    assert report["chain-quiet"] == "INSUFFICIENT_DATA: Insufficient Data: 1 datapoint was unknown."
    assert set(report) == {"chain-lag", "chain-quiet", "chain-errors"}

    _alarm(cloudwatch, "chain-errors", [50.0])
    failed = run()
    assert failed.returncode != 0
    assert "alarms in ALARM" in failed.stdout
    assert "chain-errors" in failed.stdout.split("alarms in ALARM", 1)[1]


def test_a_fleet_at_rest_passes(lab: LabSettings, run: Any, tmp_path: Path) -> None:
    """The RPC group's target-tracking AlarmLow in ALARM (an idle fleet: its gateways publish
    few requests) is reported, and the check passes; its AlarmHigh in ALARM fails it."""
    cloudwatch = clients.client(lab, "cloudwatch")
    for name in ("chain-lag", "chain-quiet", "chain-errors"):
        _alarm(cloudwatch, name, [1.0])
    low, high = "TargetTracking-chain-rpc-AlarmLow-1", "TargetTracking-chain-rpc-AlarmHigh-1"
    _alarm(cloudwatch, low, [50.0])
    _alarm(cloudwatch, high, [1.0])
    passed = run()
    assert passed.returncode == 0, passed.stdout[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report[low].startswith("ALARM:")
    _alarm(cloudwatch, high, [50.0])
    failed = run()
    assert failed.returncode != 0
    assert high in failed.stdout.split("alarms in ALARM", 1)[1]
