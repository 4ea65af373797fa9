"""Drive the Terraform stacks against a lab AWS: init, workspaces, apply, plan, destroy.

Each stack runs through `chainops tf` in its repo directory with its own TF_DATA_DIR (and, for
the state bootstrap, its local state) under a temporary directory, so the repo stays clean and
the committed lock files are used read-only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chainops import paths
from chainops.lab.aws import certificate, clients, server
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings

CHAINOPS = paths.REPO_ROOT / ".venv" / "bin" / "chainops"
STACKS = paths.REPO_ROOT / "terraform" / "stacks"
INVENTORIES = paths.REPO_ROOT / "inventories"
# Dependency order (each stack reads what the ones before it created), where the playbooks
# read it.
ORDER: tuple[str, ...] = tuple(
    yaml.safe_load(
        (paths.COLLECTION_ROOT / "playbooks" / "vars" / "stacks.yml").read_text(encoding="utf-8")
    )["chainops_stack_order"]
)


class TerraformError(AssertionError):
    """A Terraform command failed; the message carries its output."""


# Progress lines that fill a long apply's output and push its errors out of a report's excerpt.
_PROGRESS = re.compile(r": (Still \w+\.\.\.|Creating\.\.\.|Destroying\.\.\.|Reading\.\.\.)")


def _failure(
    what: str, result: subprocess.CompletedProcess[str], lab_errors: str = ""
) -> TerraformError:
    """Terraform's errors (stderr) first, then the lab AWS's own errors logged meanwhile (an
    answer of 500 says nothing of its cause), then the end of Terraform's output without
    progress lines: a report that keeps only the message's start still says why."""
    output = "\n".join(line for line in result.stdout.splitlines() if not _PROGRESS.search(line))
    lab = f"--- the lab AWS's errors meanwhile ---\n{lab_errors[-6000:]}\n" if lab_errors else ""
    return TerraformError(
        f"{what} exited {result.returncode}:\n{result.stderr[-6000:]}\n{lab}"
        f"--- output (progress lines left out) ---\n{output[-6000:]}"
    )


# What the lab AWS's server logs for a request it could not answer (werkzeug's own words).
_LAB_ERROR = re.compile(r"^.*Error on request:$", re.MULTILINE)


def _lab_log_end(settings: LabSettings) -> tuple[Path, int]:
    """The lab AWS's log and where it ends now: what a command's failure reads from."""
    log = server.log_file(settings)
    return log, log.stat().st_size if log.exists() else 0


def _lab_errors(log: Path, start: int) -> str:
    """The requests the lab AWS failed on (with their tracebacks) since `start` in its log."""
    if not log.exists():
        return ""
    with log.open("rb") as opened:
        opened.seek(start)
        text = opened.read().decode(errors="replace")
    found = _LAB_ERROR.search(text)
    return text[found.start() :] if found else ""


# The lab inventory's stacks take the lab AWS's region and credentials from chainops_lab_aws
# (group_vars/all/main.yml, read from aws_ec2.yml); outside Ansible these references are all the
# harness resolves. Any other template left in an input fails in Stack.write_inputs.
_LAB_AWS_REFERENCE = re.compile(r"^\{\{ chainops_lab_aws\.(\w+) \}\}$")


def _lab_aws(environment: str) -> dict[str, str]:
    """chainops_lab_aws as the environment's inventory derives it from its aws_ec2.yml."""
    plugin = yaml.safe_load((INVENTORIES / environment / "aws_ec2.yml").read_text(encoding="utf-8"))
    return {
        "endpoint_url": plugin.get("endpoint_url", ""),
        "region": plugin["regions"][0],
        "access_key": plugin.get("access_key", ""),
        "secret_key": plugin.get("secret_key", ""),
    }


def _resolve(value: Any, lab_aws: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(item, lab_aws) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, lab_aws) for item in value]
    if isinstance(value, str) and (reference := _LAB_AWS_REFERENCE.match(value.strip())):
        return lab_aws[reference.group(1)]
    return value


def inventory_inputs(environment: str) -> dict[str, Any]:
    """`chainops_terraform` of an environment's inventory (group_vars/all/terraform.yml), its
    references to the lab AWS resolved as Ansible would."""
    path = INVENTORIES / environment / "group_vars" / "all" / "terraform.yml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    resolved: dict[str, Any] = _resolve(data["chainops_terraform"], _lab_aws(environment))
    return resolved


def lab_stack_header() -> str:
    """The terraform and provider blocks of a small stack a test writes for itself, with the lab
    inventory's retries (a dropped connection is retried, as the real stacks do)."""
    max_retries = inventory_inputs("lab")["aws_provider"]["max_retries"]
    return f"""
terraform {{
  required_version = ">= 1.6"
  required_providers {{
    aws = {{ source = "hashicorp/aws", version = ">= 5.0" }}
  }}
}}

provider "aws" {{
  region                      = "us-east-1"
  max_retries                 = {max_retries}
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_requesting_account_id  = true
}}
"""


def lab_backend_config(
    settings: LabSettings, bootstrap: dict[str, Any], stack: str, role_arn: str | None = None
) -> str:
    """The partial s3 backend configuration of `stack` in the lab, as HCL; with `role_arn`, the
    backend reaches the state as that role.

    Terraform >= 1.6's s3 backend takes per-service `endpoints` (the lab serves them all on
    one port) and `use_path_style`, since moto's virtual-host S3 needs DNS it does not have.
    """
    config = bootstrap["backend_config"]
    endpoint = settings.endpoint
    return "\n".join(
        [
            f'bucket         = "{config["bucket"]}"',
            f'key            = "{stack}/terraform.tfstate"',
            f'region         = "{config["region"]}"',
            f'dynamodb_table = "{config["dynamodb_table"]}"',
            "encrypt        = true",
            f'kms_key_id     = "{config["kms_key_id"]}"',
            "use_path_style = true",
            f'access_key     = "{LAB_ACCESS_KEY}"',
            f'secret_key     = "{LAB_SECRET_KEY}"',
            "endpoints = {",
            *(f'  {service} = "{endpoint}"' for service in ("s3", "dynamodb", "sts", "iam")),
            "}",
            *([f'assume_role = {{ role_arn = "{role_arn}" }}'] if role_arn else []),
            "",
        ]
    )


@dataclass
class Stack:
    """One root stack in one workspace, its working data under `work`."""

    name: str
    settings: LabSettings
    work: Path
    directory: Path = field(init=False)

    def __post_init__(self) -> None:
        self.directory = STACKS / self.name
        self.work.mkdir(parents=True, exist_ok=True)

    @property
    def var_file(self) -> Path:
        return self.work / "inputs.tfvars.json"

    def write_inputs(self, inputs: dict[str, Any]) -> None:
        text = json.dumps(inputs, indent=2)
        assert "{{" not in text, f"{self.name}: an input is still an Ansible template: {text}"
        self.var_file.write_text(text, encoding="utf-8")

    def tf(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        env.update(
            TF_DATA_DIR=str(self.work / ".terraform"),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHAINOPS_LAB_HOST=self.settings.host,
            CHAINOPS_LAB_PORT=str(self.settings.port),
        )
        lab_log, log_start = _lab_log_end(self.settings)
        result = subprocess.run(
            [str(CHAINOPS), "tf", f"-chdir={self.directory}", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            what = f"terraform {' '.join(args)} in {self.name}"
            raise _failure(what, result, _lab_errors(lab_log, log_start))
        return result

    def init(self, backend_config: str | None = None) -> None:
        args = ["init", "-input=false", "-no-color", "-lockfile=readonly", "-reconfigure"]
        if backend_config is None:
            # The bootstrap's local state lives in the work dir, not in the repo.
            args += [
                f"-backend-config=path={self.work / 'terraform.tfstate'}",
                f"-backend-config=workspace_dir={self.work / 'workspaces'}",
            ]
        else:
            backend_file = self.work / "backend.tfbackend"
            backend_file.write_text(backend_config, encoding="utf-8")
            args.append(f"-backend-config={backend_file}")
        self.tf(*args)

    def workspace(self, name: str) -> None:
        self.tf("workspace", "select", "-or-create", "-no-color", name)

    def apply(self) -> None:
        self.tf("apply", "-auto-approve", "-no-color", f"-var-file={self.var_file}")

    def plan(self, *extra: str) -> subprocess.CompletedProcess[str]:
        """`plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes."""
        return self.tf(
            "plan",
            "-detailed-exitcode",
            "-no-color",
            f"-var-file={self.var_file}",
            *extra,
            check=False,
        )

    def destroy(self) -> None:
        args = ("destroy", "-auto-approve", "-no-color", f"-var-file={self.var_file}")
        lab_log, log_start = _lab_log_end(self.settings)
        result = self.tf(*args, check=False)
        stale = re.search(r"Lock Info:\s+ID:\s+(\S+)", result.stderr)
        if result.returncode != 0 and stale:
            # A lock request retried by the SDK after a lost response finds its own first
            # attempt's lock; the suite owns this lab, so no one else can hold it.
            self.tf("force-unlock", "-force", stale.group(1))
            result = self.tf(*args, check=False)
        if result.returncode != 0:
            raise _failure(
                f"terraform destroy in {self.name}", result, _lab_errors(lab_log, log_start)
            )

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self.tf("output", "-json", "-no-color").stdout)
        return {name: value["value"] for name, value in raw.items()}


@dataclass
class Deployment:
    """The lab workspace of every applied stack, their outputs and how long each step took."""

    settings: LabSettings
    stacks: dict[str, Stack] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    destroyed: bool = False

    def client(self, service: str) -> Any:
        return clients.client(self.settings, service)

    def apply(self, work: Path) -> None:
        """Every stack applied from `work` in dependency order, with the lab inventory's inputs.
        On a failure, `destroy` removes what was applied."""
        for name in ORDER:
            start = time.monotonic()
            stack = init_stack(name, self.settings, work, self.outputs.get("state_bootstrap"))
            self.stacks[name] = stack
            stack.apply()
            self.outputs[name] = stack.outputs()
            self.timings[f"apply {name}"] = time.monotonic() - start

    def destroy(self) -> None:
        """Destroy in reverse dependency order (the bootstrap, holding the others' state, last)."""
        if self.destroyed:
            return
        start = time.monotonic()
        for name in reversed(list(self.stacks)):
            self.stacks[name].destroy()
        self.timings["destroy"] = time.monotonic() - start
        self.destroyed = True


def init_stack(
    name: str,
    settings: LabSettings,
    work: Path,
    bootstrap_outputs: dict[str, Any] | None,
    role_arn: str | None = None,
) -> Stack:
    """A stack initialised in the lab workspace with the lab inventory's inputs; with
    `role_arn`, every call of its provider and backend is made as that role."""
    stack = Stack(name, settings, work / name)
    inputs = inventory_inputs("lab")["stacks"][name]
    if role_arn:
        inputs["aws_provider"] = {**inputs.get("aws_provider", {}), "assume_role_arn": role_arn}
    if name == "core":
        # The lab inventory cannot know the ARN: ACM makes it at import.
        inputs["certificate_arn"] = certificate.ensure(settings)
    stack.write_inputs(inputs)
    if name == "state_bootstrap":
        stack.init()
    else:
        assert bootstrap_outputs is not None
        stack.init(lab_backend_config(settings, bootstrap_outputs, name, role_arn))
    stack.workspace("lab")
    return stack
