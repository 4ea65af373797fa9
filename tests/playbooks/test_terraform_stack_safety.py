"""terraform_stack's safety against the test lab: a stack handling a secret, run the way CI runs
it (`chainops run`, through ansible-runner, `--check` with diffs, then applied), never prints the
secret nor leaves it in the runner's artifacts or a plan file; a second run on a locked state
waits the bounded lock timeout, then fails saying so, and changes nothing; an AWS endpoint cut
in the middle of an apply fails the run naming the cause, and the next run converges."""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from tests.endpoint_cut import endpoint_cut
from tests.terraform.harness import lab_stack_header

CHAINOPS = Path(sys.executable).parent / "chainops"
WORKSPACE = "lab"

# What the core stack does with the Redis AUTH token: a value read from Secrets Manager flows
# into a resource's sensitive argument (here an SSM SecureString) and a sensitive output. Its
# state is local (terraform.tfstate.d/<workspace>), locked as Terraform locks it: by fcntl.
STACK = (
    lab_stack_header()
    + """
variable "secret_id" {
  description = "The Secrets Manager secret holding the token."
  type        = string
}

data "aws_secretsmanager_secret_version" "token" {
  secret_id = var.secret_id
}

resource "aws_ssm_parameter" "token" {
  name  = "/chainops-test/${var.secret_id}"
  type  = "SecureString"
  value = data.aws_secretsmanager_secret_version.token.secret_string
}

output "token" {
  description = "The token (sensitive: stays in the state)."
  value       = aws_ssm_parameter.token.value
  sensitive   = true
}

output "parameter" {
  description = "The parameter's name."
  value       = aws_ssm_parameter.token.name
}
"""
)

PLAY = """
- name: One stack with a secret
  hosts: local
  gather_facts: false
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
        terraform_stack_name: "{{ stack | default('secrets') }}"
        terraform_stack_stacks_dir: "{{ stacks_dir }}"
        terraform_stack_workspace: lab
        terraform_stack_variables: {secret_id: "{{ secret_id }}"}
        terraform_stack_environment: "{{ tf_env.stdout | from_json | combine(lab_env) }}"
        terraform_stack_lock_timeout: "{{ lock_timeout | default(300) }}"
"""

# Three resources made one after another, so that an endpoint cut after the second's create
# leaves the first applied, the second in the middle and the third not started.
CHAIN = (
    lab_stack_header()
    + "".join(
        f"""
resource "aws_ssm_parameter" "{name}" {{
  name       = "/chainops-test/${{var.secret_id}}/{name}"
  type       = "String"
  value      = "{name}"
  depends_on = [{after}]
}}
"""
        for name, after in (
            ("first", ""),
            ("second", "aws_ssm_parameter.first"),
            ("third", "aws_ssm_parameter.second"),
        )
    )
    + """
variable "secret_id" {
  description = "Names the parameters."
  type        = string
}
"""
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The stack, the play and an inventory of the controller, in a directory of their own."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "versions.tf").write_text(STACK)
    (tmp_path / "chain").mkdir()
    (tmp_path / "chain" / "versions.tf").write_text(CHAIN)
    (tmp_path / "play.yml").write_text(PLAY)
    (tmp_path / "hosts.yml").write_text(
        "local:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        f"      ansible_python_interpreter: {sys.executable}\n"
    )
    (tmp_path / "tmp").mkdir()
    return tmp_path


@pytest.fixture
def secret(lab: LabSettings) -> Iterator[tuple[str, str]]:
    """A secret in the lab's Secrets Manager: (its id, its value)."""
    name, value = f"chainops-test-{uuid.uuid4().hex[:8]}", f"tok-{uuid.uuid4().hex}"
    secrets = clients.client(lab, "secretsmanager")
    secrets.create_secret(Name=name, SecretString=value)
    yield name, value
    secrets.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def _run(
    project: Path,
    lab: LabSettings,
    secret_id: str,
    *args: str,
    endpoint: str | None = None,
    **extra: object,
) -> subprocess.CompletedProcess[str]:
    """`chainops run` as CI runs it; Python's and Ansible's temp files in the project's tmp/."""
    extra_vars = project / "extra.json"
    extra_vars.write_text(
        json.dumps(
            {
                "stacks_dir": str(project),
                "secret_id": secret_id,
                "lab_env": {
                    **lab.aws_env(),
                    "AWS_ENDPOINT_URL": endpoint or lab.endpoint,
                    "TF_INPUT": "0",
                },
                **extra,
            }
        )
    )
    return subprocess.run(
        [
            str(CHAINOPS),
            "run",
            str(project / "play.yml"),
            "-i",
            str(project / "hosts.yml"),
            "--private-data-dir",
            str(project / "runner"),
            "-e",
            f"@{extra_vars}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "TMPDIR": str(project / "tmp")},
    )


def _files_holding(root: Path, value: str) -> list[str]:
    return [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and value.encode() in path.read_bytes()
    ]


def test_a_secret_reaches_no_output_artifact_or_plan_file(
    lab: LabSettings, project: Path, secret: tuple[str, str]
) -> None:
    """--check (which shows diffs) then an apply: Terraform's plan is shown with the value
    masked; the value is in no line of output, no runner artifact, and no plan or inputs file
    survives the run. The state (KMS-encrypted in the lab's bucket on the real stacks) is the
    only place it lands, as a sensitive value."""
    secret_id, value = secret
    check = _run(project, lab, secret_id, "--check")
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr[-2000:]
    assert "(sensitive value)" in check.stdout  # Terraform's own plan text, under --diff
    applied = _run(project, lab, secret_id)
    assert applied.returncode == 0, applied.stdout[-4000:] + applied.stderr[-2000:]
    parameter = clients.client(lab, "ssm").get_parameter(
        Name=f"/chainops-test/{secret_id}", WithDecryption=True
    )
    assert parameter["Parameter"]["Value"] == value  # the secret did go through Terraform
    for run in (check, applied):
        assert value not in run.stdout + run.stderr
    assert _files_holding(project / "runner", value) == []
    # Only the state holds it; no plan, inputs or run directory is left anywhere.
    assert _files_holding(project, value) == ["secrets/terraform.tfstate.d/lab/terraform.tfstate"]
    assert not list((project / "tmp").glob("chainops-tf-*"))
    assert not list(project.rglob("*.tfplan"))


def test_a_locked_state_is_waited_for_then_refused(
    lab: LabSettings, project: Path, secret: tuple[str, str]
) -> None:
    """Another run holds the state lock (the local backend's lock is an fcntl lock on the state
    file, taken here as Terraform takes it): the next run waits terraform_stack_lock_timeout
    seconds, fails naming the lock, and changes nothing; once the lock is gone it applies."""
    secret_id, _ = secret
    first = _run(project, lab, secret_id)
    assert first.returncode == 0, first.stdout[-4000:]
    secrets, ssm = clients.client(lab, "secretsmanager"), clients.client(lab, "ssm")
    secrets.put_secret_value(SecretId=secret_id, SecretString="rotated-token-value")
    name = f"/chainops-test/{secret_id}"
    state = project / "secrets" / "terraform.tfstate.d" / WORKSPACE / "terraform.tfstate"
    with state.open("r+b") as held:
        fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        started = time.monotonic()
        locked = _run(project, lab, secret_id, lock_timeout=5)
        waited = time.monotonic() - started
    assert locked.returncode != 0
    message = " ".join(locked.stdout.split())
    assert "The state of stack secrets (lab) is locked by another run" in message, message[-3000:]
    assert "terraform_stack_lock_timeout=5s" in message
    assert waited >= 5
    value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    assert value != "rotated-token-value"
    assert not list((project / "tmp").glob("chainops-tf-*"))
    again = _run(project, lab, secret_id)
    assert again.returncode == 0, again.stdout[-4000:]
    value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    assert value == "rotated-token-value"


def test_an_endpoint_cut_mid_apply_fails_the_run_and_the_next_run_converges(
    lab: LabSettings, project: Path, secret: tuple[str, str]
) -> None:
    """The AWS endpoint goes away right after the second of three chained creates is answered:
    the provider's retries run out, the run fails naming the stack and the lost connection, the
    state keeps what was made (no orphan for the next run to trip on), and once the endpoint is
    back the same run converges: all three exist and a further run changes nothing."""
    secret_id, _ = secret
    ssm = clients.client(lab, "ssm")
    names = [f"/chainops-test/{secret_id}/{name}" for name in ("first", "second", "third")]

    def second_created(method: str, _path: str, headers: dict[str, str], body: bytes) -> bool:
        target = {k.lower(): v for k, v in headers.items()}.get("x-amz-target", "")
        return target.endswith(".PutParameter") and names[1].encode() in body

    with endpoint_cut(lab.host, lab.port, second_created) as front:
        cut = _run(project, lab, secret_id, endpoint=front.endpoint, stack="chain")
        assert front.cut.is_set()  # the cut did happen mid-apply
        assert front.refused > 0
        message = " ".join(cut.stdout.split())
        assert cut.returncode != 0, message[-3000:]
        assert (
            "Terraform apply of stack chain (lab) failed (what it applied before failing is in "
            "the state" in message
        ), message[-3000:]
        assert "EOF" in message or "connection reset" in message, message[-3000:]
        made = ssm.describe_parameters(
            ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [names[0][:-5]]}]
        )["Parameters"]
        assert sorted(p["Name"] for p in made) == sorted(names[:2])
        state = json.loads(
            (
                project / "chain" / "terraform.tfstate.d" / WORKSPACE / "terraform.tfstate"
            ).read_text()
        )
        assert {r["name"] for r in state["resources"]} >= {"first", "second"}

        front.restore()
        again = _run(project, lab, secret_id, endpoint=front.endpoint, stack="chain")
        assert again.returncode == 0, again.stdout[-4000:]
        for name in names:
            assert ssm.get_parameter(Name=name)["Parameter"]["Name"] == name
        settled = _run(project, lab, secret_id, endpoint=front.endpoint, stack="chain")
        assert settled.returncode == 0, settled.stdout[-4000:]
        assert re.search(r"localhost\s*: ok=\d+\s+changed=0 ", settled.stdout), settled.stdout[
            -2000:
        ]
