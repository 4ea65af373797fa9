"""playbooks/tasks/take_stack_plans.yml: what the provision and verify phases take from the
stacks planned side by side (a host each): their outputs and planned changes on the controller,
a failure naming a stack whose plan failed, and drift named stack by stack unless allowed.
The stack hosts here stand in for Terraform's results (the plans themselves run in the dev
rehearsal and in `make lab`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chainops import paths
from tests.helpers import run_playbook

TASKS = paths.COLLECTION_ROOT / "playbooks" / "tasks" / "take_stack_plans.yml"
PLAYBOOK = f"""
- name: Stack hosts, as the phases add them
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Add them
      ansible.builtin.add_host:
        name: "chainops-plan-{{{{ item.key }}}}"
        groups: [plans]
        chainops_stack: "{{{{ item.key }}}}"
        ansible_connection: local
      loop: "{{{{ stacks | dict2items }}}}"

- name: Their plans
  hosts: plans
  gather_facts: false
  tasks:
    - name: Fail where the plan failed
      ansible.builtin.fail:
        msg: Terraform said no
      when: stacks[chainops_stack] is none
    - name: Record the plan's results, as the terraform_stack role does
      ansible.builtin.set_fact:
        terraform_stack_planned_changes: "{{{{ {{chainops_stack: stacks[chainops_stack]}} }}}}"
        terraform_stack_outputs: "{{{{ {{chainops_stack: {{'name': chainops_stack}}}} }}}}"

- name: The controller takes them
  hosts: localhost
  gather_facts: false
  vars:
    chainops_stack_hosts: "{{{{ groups['plans'] | default([]) }}}}"
    terraform_stack_background: {{core: {{job: "1"}}, other: {{job: "2"}}}}
  tasks:
    - name: Take them
      ansible.builtin.import_tasks: {TASKS}
    - name: Keep what was taken
      ansible.builtin.copy:
        content: >-
          {{{{ {{'outputs': terraform_stack_outputs, 'changes': terraform_stack_planned_changes,
                'background': terraform_stack_background}} | to_json }}}}
        dest: "{{{{ result_path }}}}"
        mode: "0600"
"""


@pytest.fixture
def take(tmp_path: Path) -> Any:
    playbook = tmp_path / "take.yml"
    playbook.write_text(PLAYBOOK)
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        "      ansible_python_interpreter: '{{ ansible_playbook_python }}'\n"
    )
    result_path = tmp_path / "taken.json"

    def run(stacks: dict[str, list[str] | None], **extra: Any) -> tuple[Any, Any]:
        extra_vars = {"stacks": stacks, "result_path": str(result_path), **extra}
        result = run_playbook(str(playbook), inventory, "-e", json.dumps(extra_vars))
        taken = json.loads(result_path.read_text()) if result_path.exists() else None
        return result, taken

    return run


def test_unchanged_stacks_are_taken(take: Any) -> None:
    result, taken = take({"foundation": [], "core": []})
    assert result.returncode == 0, result.stdout[-3000:]
    assert taken["changes"] == {"foundation": [], "core": []}
    assert taken["outputs"] == {"foundation": {"name": "foundation"}, "core": {"name": "core"}}
    assert taken["background"] == {"other": {"job": "2"}}  # core's was collected by its host


def test_drift_is_named_stack_by_stack(take: Any) -> None:
    result, _ = take({"foundation": [], "core": ["aws_s3_bucket.lake", "aws_sqs_queue.dlq"]})
    assert result.returncode == 2
    assert "drifted: core (aws_s3_bucket.lake, aws_sqs_queue.dlq)" in result.stdout


def test_changes_are_taken_where_they_are_no_drift(take: Any) -> None:
    result, taken = take({"core": ["aws_s3_bucket.lake"]}, chainops_fail_on_drift=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert taken["changes"] == {"core": ["aws_s3_bucket.lake"]}


def test_a_failed_plan_is_named(take: Any) -> None:
    result, _ = take({"foundation": [], "core": None}, chainops_fail_on_drift=False)
    assert result.returncode == 2
    assert "Terraform said no" in result.stdout
    assert "not planned: core (its plan, or the background apply it waited for, failed" in (
        result.stdout
    )
