"""The AWS world rehearsed (issue 13): inventories/dev's provision phase against a lab AWS that is
an account of its own, with nothing changed but what inventories/rehearsal.yml overrides (the
endpoint, the account's certificate, the lab's missing Debian image); then the dev aws_ec2
inventory, as is, finds the RPC nodes the blockchain stack's Auto Scaling group launched; the
stacks' roles work on the ARNs of that account; then everything is destroyed.

One provision, one inventory, one destroy (docs/testing.md's budget).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops import tf
from chainops.lab.aws import clients, server
from chainops.lab.settings import DEFAULT_ACCOUNT, LabSettings
from chainops.paths import REPO_ROOT
from tests import report
from tests.conftest import REHEARSAL_LAB_PORT, TEST_LAB_HOST
from tests.helpers import ansible_inventory_list, run_playbook

pytestmark = pytest.mark.minutes(12)

# Not moto's default: an ARN or a name that assumes 123456789012 fails here, as on AWS.
ACCOUNT = "210987654321"
ENVIRONMENT = "dev"
INVENTORY = REPO_ROOT / "inventories" / ENVIRONMENT
STACKS = ("state_bootstrap", "foundation", "blockchain", "core")
APPLY_TASK = re.compile(r"TASK \[Apply the stacks kept in the state bucket\].*\n.*\n(.*)\n")
RECAP = re.compile(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", re.M)


# The terraform_stack role keeps no inputs (they may hold secrets): the destroy resolves them
# again, as the provision phase did.
INPUTS_PLAY = """
- name: The stacks' inputs, as the provision phase resolves them
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Write them
      ansible.builtin.copy:
        content: "{{ chainops_terraform.stacks | to_json }}"
        dest: "{{ inputs_file }}"
        mode: "0600"
"""


@dataclass
class Rehearsal:
    """The rehearsal's lab, its copy of the stacks (Terraform's working files stay out of the
    repo, where `make lab` may run at once), the extra vars the phase ran with, and its run."""

    settings: LabSettings
    stacks_dir: Path
    extra_vars: tuple[str, ...]
    provision: subprocess.CompletedProcess[str] | None = None
    destroyed: bool = False

    def env(self) -> dict[str, str]:
        """What an operator exports for a rehearsal: the endpoint and the lab's credentials."""
        return self.settings.aws_env()

    def terraform(self, stack: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Terraform in the stack's working directory, as the terraform_stack role left it."""
        env = {**tf.terraform_env(None), **self.env(), "TF_WORKSPACE": ENVIRONMENT}
        return subprocess.run(
            [tf.binary(), f"-chdir={self.stacks_dir / stack}", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )

    def inputs(self) -> dict[str, Any]:
        """Each stack's inputs, resolved from the inventory and the run's extra vars."""
        work = self.stacks_dir.parent
        (work / "inputs.yml").write_text(INPUTS_PLAY, encoding="utf-8")
        inputs_file = work / "inputs.json"
        result = run_playbook(
            str(work / "inputs.yml"),
            INVENTORY,
            *self.extra_vars,
            "-e",
            json.dumps({"inputs_file": str(inputs_file)}),
            env=self.env(),
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr
        resolved: dict[str, Any] = json.loads(inputs_file.read_text(encoding="utf-8"))
        return resolved

    def output(self, stack: str, name: str) -> Any:
        result = self.terraform(stack, "output", "-json", name)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def destroy(self) -> None:
        """Every stack destroyed with the inputs it was applied with, the bootstrap last."""
        if self.destroyed:
            return
        self.destroyed = True
        start = time.monotonic()
        inputs = self.inputs()
        for stack in reversed(STACKS):
            if not (self.stacks_dir / stack / ".terraform").is_dir():
                continue  # never initialised: the phase stopped before it
            var_file = self.stacks_dir.parent / f"{stack}.tfvars.json"
            var_file.write_text(json.dumps(inputs[stack]), encoding="utf-8")
            result = self.terraform(
                stack,
                "destroy",
                "-auto-approve",
                "-no-color",
                "-input=false",
                f"-var-file={var_file}",
            )
            assert result.returncode == 0, f"{stack}:\n{result.stdout[-4000:]}{result.stderr}"
        report.record_stage("pytest: destroy (the dev rehearsal)", time.monotonic() - start)


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rehearsal]:
    """inventories/dev provisioned in a lab AWS of its own account; destroyed at the end."""
    settings = LabSettings(host=TEST_LAB_HOST, port=REHEARSAL_LAB_PORT, account=ACCOUNT)
    work = tmp_path_factory.mktemp("rehearsal")
    shutil.copytree(
        REPO_ROOT / "terraform",
        work / "terraform",
        symlinks=True,
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*", "*.tfplan"),
    )
    started = server.up(settings)
    server.reset(settings)
    # The test's own places: the stacks' copy and the bootstrap's local state.
    places = work / "places.json"
    run = Rehearsal(
        settings,
        work / "terraform" / "stacks",
        ("-e", "@inventories/rehearsal.yml", "-e", f"@{places}"),
    )
    places.write_text(
        json.dumps(
            {
                "terraform_stack_stacks_dir": str(run.stacks_dir),
                "chainops_terraform_bootstrap_backend": {
                    "path": str(work / "state_bootstrap.tfstate"),
                    "workspace_dir": str(work / "state_bootstrap.d"),
                },
            }
        )
    )
    try:
        start = time.monotonic()
        run.provision = run_playbook(
            "playbooks/provision.yml",
            INVENTORY,
            *run.extra_vars,
            env=run.env(),
            timeout=1800,
        )
        report.record_stage("pytest: provision (the dev rehearsal)", time.monotonic() - start)
        yield run
    finally:
        try:
            run.destroy()
        finally:
            if started:
                server.down(settings)


def test_provision_applies_every_dev_stack(rehearsal: Rehearsal) -> None:
    """The provision phase applies all four stacks from inventories/dev in the rehearsal account."""
    assert rehearsal.provision is not None
    ran = rehearsal.provision
    assert ran.returncode == 0, ran.stdout[-8000:] + ran.stderr[-4000:]
    for stack in STACKS:
        assert f"{stack}: " in ran.stdout, stack


def test_a_second_provision_plans_side_by_side_and_changes_nothing(rehearsal: Rehearsal) -> None:
    """A re-run: the bootstrap planned unchanged, the three stacks after it are planned side by
    side (a host each), found unchanged, and none is planned again or applied in its turn."""
    again = run_playbook(
        "playbooks/provision.yml", INVENTORY, *rehearsal.extra_vars, env=rehearsal.env(),
        timeout=900,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout[-8000:] + again.stderr[-4000:]
    recap = {m.group(1): m.group(2) for m in RECAP.finditer(again.stdout)}
    assert recap == {"localhost": "0", **{f"chainops-plan-{s}": "0" for s in STACKS[1:]}}, recap
    # The task's banner, its timing line, then its one result: skipped (no stack left to apply).
    applies = APPLY_TASK.search(again.stdout)
    assert applies is not None, again.stdout[-8000:]
    assert applies.group(1) == "skipping: [localhost]", again.stdout[-8000:]


def test_names_and_arns_are_the_accounts(rehearsal: Rehearsal) -> None:
    """The rehearsal is its own account, and nothing the stacks made names moto's default one:
    the buckets that must be unique carry the account, the certificate is the account's, no IAM
    policy names another account."""
    settings = rehearsal.settings
    assert clients.client(settings, "sts").get_caller_identity()["Account"] == ACCOUNT
    buckets = [b["Name"] for b in clients.client(settings, "s3").list_buckets()["Buckets"]]
    assert rehearsal.output("blockchain", "data_lake_bucket") in buckets
    assert [name for name in buckets if ACCOUNT in name], buckets
    assert not [name for name in buckets if DEFAULT_ACCOUNT in name], buckets
    certificates = clients.client(settings, "acm").list_certificates()
    assert [c["CertificateArn"].split(":")[4] for c in certificates["CertificateSummaryList"]] == [
        ACCOUNT
    ]
    iam = clients.client(settings, "iam")
    documents = []
    for role in iam.list_roles()["Roles"]:
        documents.append(json.dumps(role["AssumeRolePolicyDocument"]))
        for name in iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]:
            policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=name)
            documents.append(json.dumps(policy["PolicyDocument"]))
    for policy in iam.list_policies(Scope="Local")["Policies"]:
        version = iam.get_policy_version(
            PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"]
        )
        documents.append(json.dumps(version["PolicyVersion"]["Document"]))
    assert documents
    assert not [document for document in documents if DEFAULT_ACCOUNT in document]


def test_dev_inventory_finds_the_rpc_nodes_of_its_group(rehearsal: Rehearsal) -> None:
    """inventories/dev/aws_ec2.yml, pointed at the rehearsal only by AWS_ENDPOINT_URL, lists the
    instances the RPC Auto Scaling group launched in role_rpc (its tag filter on
    chainops:environment finds them), each named and reached by instance id."""
    group_name = rehearsal.output("blockchain", "rpc_autoscaling_group_name")
    autoscaling = clients.client(rehearsal.settings, "autoscaling")
    (group,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
        "AutoScalingGroups"
    ]
    launched = {i["InstanceId"] for i in group["Instances"] if i["LifecycleState"] == "InService"}
    assert len(launched) == group["DesiredCapacity"] > 0
    inventory = ansible_inventory_list(INVENTORY / "aws_ec2.yml", env=rehearsal.env())
    assert set(inventory["role_rpc"]["hosts"]) == launched
    hostvars = inventory["_meta"]["hostvars"]
    for instance in launched:
        assert hostvars[instance]["ansible_host"] == instance
        assert hostvars[instance]["tags"]["chainops:environment"] == ENVIRONMENT


def test_roles_are_granted_the_accounts_resources(rehearsal: Rehearsal) -> None:
    """The stacks' roles, as their processes would get them, may use what they need in this
    account (their policies' ARNs are the account's) and no more."""
    settings = rehearsal.settings
    roles = rehearsal.output("blockchain", "role_arns")
    bucket = rehearsal.output("blockchain", "data_lake_bucket")
    consumer = clients.assume_role(settings, roles["consumer"], "rehearsal-consumer")
    lake = clients.client(settings, "s3", session=consumer)
    lake.put_object(Bucket=bucket, Key="events/rehearsal.json", Body=b"{}")
    with pytest.raises(ClientError, match="AccessDenied"):
        lake.put_object(Bucket=bucket, Key="raw/rehearsal.json", Body=b"{}")
    parameter = f"/chainops/{ENVIRONMENT}/rpc/rehearsal"
    clients.client(settings, "ssm").put_parameter(Name=parameter, Value="1", Type="String")
    rpc = clients.assume_role(settings, roles["rpc"], "rehearsal-rpc")
    ssm = clients.client(settings, "ssm", session=rpc)
    assert ssm.get_parameter(Name=parameter)["Parameter"]["Value"] == "1"
    with pytest.raises(ClientError, match="AccessDenied"):
        clients.client(settings, "s3", session=rpc).put_object(
            Bucket=bucket, Key="events/rpc.json", Body=b"{}"
        )


def test_destroy_leaves_the_account_empty(rehearsal: Rehearsal) -> None:
    """Every stack is destroyed with the inputs it was applied with: no bucket, group or running
    instance is left."""
    rehearsal.destroy()
    settings = rehearsal.settings
    assert clients.client(settings, "s3").list_buckets()["Buckets"] == []
    assert (
        clients.client(settings, "autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]
        == []
    )
    reservations = clients.client(settings, "ec2").describe_instances(
        Filters=[{"Name": "instance-state-name", "Values": ["pending", "running"]}]
    )["Reservations"]
    assert reservations == []
