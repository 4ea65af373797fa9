"""terraform_stack against the test lab: apply, re-plan empty, outputs as facts, and a plan
that would delete a protected resource refused before anything is applied (a bucket of a
small stack here, and the RPC fleet's Auto Scaling group of the session's applied stacks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chainops.lab.aws import clients, faults
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings
from tests.helpers import run_playbook
from tests.terraform.harness import STACKS, Deployment, lab_stack_header

STACK = (
    lab_stack_header()
    + """
variable "bucket" {
  description = "Name of the bucket."
  type        = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket
}

output "bucket" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}
"""
)

# The role on one stack, as the provision phase runs it; everything it is given is an extra var.
PLAY = """
- name: One stack
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Terraform's CLI config
      ansible.builtin.command:
        argv: ["{{ lookup('chainops.platform.paths', 'cli') }}", tf-env]
      register: tf_env
      changed_when: false
      check_mode: false
    - name: Apply the stack
      ansible.builtin.include_role:
        name: chainops.platform.terraform_stack
      vars:
        terraform_stack_name: "{{ stack }}"
        terraform_stack_stacks_dir: "{{ stacks_dir }}"
        terraform_stack_workspace: lab
        terraform_stack_variables: "{{ inputs }}"
        terraform_stack_environment: "{{ tf_env.stdout | from_json | combine(lab_env) }}"
        terraform_stack_backend_config: "{{ backend }}"
        terraform_stack_apply_in_background: "{{ background | default(false) }}"
    - name: Keep the background applies started, for the test
      ansible.builtin.copy:
        content: "{{ terraform_stack_background | default({}) | to_json }}"
        dest: "{{ result }}.started"
        mode: "0644"
      check_mode: false
    - name: Collect a background apply
      ansible.builtin.include_role:
        name: chainops.platform.terraform_stack
        tasks_from: wait
      vars:
        terraform_stack_name: "{{ stack }}"
        terraform_stack_environment: "{{ tf_env.stdout | from_json | combine(lab_env) }}"
    - name: Keep the result for the test
      ansible.builtin.copy:
        content: >-
          {{ {'outputs': terraform_stack_outputs,
              'changes': terraform_stack_planned_changes} | to_json }}
        dest: "{{ result }}"
        mode: "0644"
      check_mode: false
"""


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    (tmp_path / "buckets").mkdir()
    (tmp_path / "buckets" / "versions.tf").write_text(STACK)
    (tmp_path / "play.yml").write_text(PLAY)
    return tmp_path


def _apply(
    stack: Path,
    lab: LabSettings,
    bucket: str,
    *args: str,
    more: dict[str, Any] | None = None,
    background: bool = False,
) -> Any:
    extra = {
        "background": background,
        "stack": "buckets",
        "stacks_dir": str(stack),
        "inputs": {"bucket": bucket, **(more or {})},
        "backend": {
            "path": str(stack / "state" / "terraform.tfstate"),
            "workspace_dir": str(stack / "state" / "workspaces"),
        },
        "result": str(stack / "result.json"),
        "lab_env": {**lab.aws_env(), "TF_INPUT": "0"},
    }
    result = run_playbook(
        str(stack / "play.yml"), Path("localhost,"), "-e", json.dumps(extra), *args
    )
    return result


def _result(stack: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((stack / "result.json").read_text())
    return result


def test_apply_then_replan_empty_with_outputs(lab: LabSettings, stack: Path) -> None:
    """The first run creates the bucket; the second plans nothing; outputs are facts."""
    first = _apply(stack, lab, "chainops-tf-role")
    assert first.returncode == 0, first.stdout[-3000:]
    assert _result(stack)["changes"] == {"buckets": ["aws_s3_bucket.this"]}
    s3 = clients.client(lab, "s3")
    assert "chainops-tf-role" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    second = _apply(stack, lab, "chainops-tf-role")
    assert second.returncode == 0, second.stdout[-3000:]
    assert _result(stack) == {
        "outputs": {"buckets": {"bucket": "chainops-tf-role"}},
        "changes": {"buckets": []},
    }


def test_a_background_apply_is_collected_by_wait(lab: LabSettings, stack: Path) -> None:
    """Started in the background, the apply is collected by the `wait` entry point: the same
    facts as in the foreground, and the run directory (saved plan, job result) gone after."""
    result = _apply(stack, lab, "chainops-tf-background", background=True)
    assert result.returncode == 0, result.stdout[-3000:]
    started = json.loads((stack / "result.json.started").read_text())
    assert list(started) == ["buckets"]
    assert not Path(started["buckets"]["run_dir"]).exists()
    assert _result(stack) == {
        "outputs": {"buckets": {"bucket": "chainops-tf-background"}},
        "changes": {"buckets": ["aws_s3_bucket.this"]},
    }
    names = [b["Name"] for b in clients.client(lab, "s3").list_buckets()["Buckets"]]
    assert "chainops-tf-background" in names
    # Nothing to change: nothing is started, and the outputs come at once.
    again = _apply(stack, lab, "chainops-tf-background", background=True)
    assert again.returncode == 0, again.stdout[-3000:]
    assert json.loads((stack / "result.json.started").read_text()) == {}
    assert _result(stack)["changes"] == {"buckets": []}


def test_a_failed_background_apply_fails_the_wait_with_terraforms_error(
    lab: LabSettings, stack: Path
) -> None:
    """The apply fails after the role has returned: `wait` stops the run there with the
    stack's name and Terraform's error, and still removes the run directory."""
    faults.inject(lab, faults.ServiceFault("s3", "CreateBucket", error="AccessDenied", status=403))
    result = _apply(stack, lab, "chainops-tf-refused", background=True)
    assert result.returncode != 0
    assert "Terraform apply of stack buckets (lab) failed" in result.stdout, result.stdout[-3000:]
    assert "AccessDenied" in result.stdout
    started = json.loads((stack / "result.json.started").read_text())
    assert not Path(started["buckets"]["run_dir"]).exists()


def test_plan_deleting_a_protected_resource_is_refused(lab: LabSettings, stack: Path) -> None:
    """Renaming the bucket means replacing it: the role stops, and the bucket is still there."""
    assert _apply(stack, lab, "chainops-ledger-archive").returncode == 0
    renamed = _apply(stack, lab, "chainops-renamed")
    assert renamed.returncode != 0
    assert "deletes or replaces protected resources: aws_s3_bucket.this" in renamed.stdout
    names = [b["Name"] for b in clients.client(lab, "s3").list_buckets()["Buckets"]]
    assert "chainops-ledger-archive" in names
    assert "chainops-renamed" not in names


def test_input_the_stack_does_not_declare_is_refused(lab: LabSettings, stack: Path) -> None:
    """A misspelt input (Terraform would warn and drop it) stops the role, naming the input and
    the stack, before anything is applied."""
    result = _apply(stack, lab, "chainops-undeclared", more={"bucket_nmae": "chainops-typo"})
    assert result.returncode != 0
    assert "Stack buckets declares no variable bucket_nmae" in result.stdout, result.stdout[-3000:]
    names = [b["Name"] for b in clients.client(lab, "s3").list_buckets()["Buckets"]]
    assert "chainops-undeclared" not in names


def test_check_mode_plans_and_changes_nothing(lab: LabSettings, stack: Path) -> None:
    """--check reports the plan and creates nothing."""
    result = _apply(stack, lab, "chainops-check-only", "--check")
    assert result.returncode == 0, result.stdout[-3000:]
    assert _result(stack)["changes"] == {"buckets": ["aws_s3_bucket.this"]}
    names = [b["Name"] for b in clients.client(lab, "s3").list_buckets()["Buckets"]]
    assert "chainops-check-only" not in names


def test_plan_replacing_the_rpc_fleet_group_is_refused(
    deployment: Deployment, tmp_path: Path
) -> None:
    """The session's RPC Auto Scaling group, tainted (as a failed instance refresh or an
    operator leaves it), plans as a replacement: the role refuses it, even in check mode, and
    the group is untouched."""
    group = "module.rpc_fleet.aws_autoscaling_group.this"
    blockchain = deployment.stacks["blockchain"]
    name = deployment.outputs["blockchain"]["rpc_autoscaling_group_name"]
    autoscaling = deployment.client("autoscaling")
    (before,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
        "AutoScalingGroups"
    ]
    endpoint = deployment.settings.endpoint
    backend = {
        **deployment.outputs["state_bootstrap"]["backend_config"],
        "key": "blockchain/terraform.tfstate",
        "use_path_style": True,
        "access_key": LAB_ACCESS_KEY,
        "secret_key": LAB_SECRET_KEY,
        "endpoints": {service: endpoint for service in ("s3", "dynamodb", "sts", "iam")},
    }
    extra = {
        "stack": "blockchain",
        "stacks_dir": str(STACKS),
        "inputs": json.loads(blockchain.var_file.read_text()),
        "backend": backend,
        "result": str(tmp_path / "result.json"),
        # Terraform's own working data stays with this test, not in the repository's stack.
        "lab_env": {**deployment.settings.aws_env(), "TF_INPUT": "0", "TF_DATA_DIR": str(tmp_path)},
    }
    (tmp_path / "play.yml").write_text(PLAY)
    blockchain.tf("taint", group)
    try:
        result = run_playbook(
            str(tmp_path / "play.yml"), Path("localhost,"), "-e", json.dumps(extra), "--check"
        )
    finally:
        blockchain.tf("untaint", group)
    assert result.returncode != 0, result.stdout[-3000:]
    assert f"deletes or replaces protected resources: {group}" in result.stdout
    (after,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
        "AutoScalingGroups"
    ]
    assert after["AutoScalingGroupARN"] == before["AutoScalingGroupARN"]
    assert after["CreatedTime"] == before["CreatedTime"]
