"""Helpers shared by tests: Ansible against the test lab, lab resources as the stacks make them,
the services' settings as a role writes them and as the docs list them, service processes and
the metrics they publish."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel

from chainops import settings
from chainops.paths import COLLECTION_ROOT, REPO_ROOT

LAB_INVENTORY = REPO_ROOT / "inventories" / "lab"
VENV_BIN = Path(sys.executable).parent


def copy_lab_inventory(destination: Path, endpoint: str) -> Path:
    """inventories/lab copied to `destination`, pointed at `endpoint` instead of the user's lab.

    Only aws_ec2.yml names the lab AWS; the group_vars read it from there.
    """
    copy = destination / "lab"
    shutil.copytree(LAB_INVENTORY, copy)
    config_path = copy / "aws_ec2.yml"
    config = yaml.safe_load(config_path.read_text())
    config["endpoint_url"] = endpoint
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return copy


def ansible_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["ANSIBLE_CONFIG"] = str(REPO_ROOT / "ansible.cfg")
    env["ANSIBLE_NOCOLOR"] = "1"
    env.update(extra)
    return env


def run_playbook(
    playbook: str,
    inventory: Path,
    *args: str,
    timeout: int = 900,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """ansible-playbook from the repo root, as a user would run it (`env` added to the
    environment); never raises on failure."""
    return subprocess.run(
        [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), playbook, *args],
        capture_output=True,
        text=True,
        env=ansible_env(**(env or {})),
        cwd=REPO_ROOT,
        timeout=timeout,
        check=False,
    )


# A host no task can reach: port 9 on loopback refuses at once. A role's validation runs on
# the controller, so a play against it shows what the role refuses before touching any host;
# input the role accepts ends UNREACHABLE at the first task that needs the host.
_UNREACHABLE_INVENTORY = """\
all:
  hosts:
    unreachable:
      ansible_connection: ssh
      ansible_host: 127.0.0.1
      ansible_port: 9
"""
UNREACHABLE = "UNREACHABLE!"


def run_role_unreachable(
    role: str, tmp_path: Path, *variables: Mapping[str, Any]
) -> subprocess.CompletedProcess[str]:
    """The collection's `role` on a host nothing reaches, `variables` as extra vars (later win)."""
    (tmp_path / "hosts.yml").write_text(_UNREACHABLE_INVENTORY)
    play = [
        {
            "name": role,
            "hosts": "all",
            "gather_facts": False,
            "roles": [f"chainops.platform.{role}"],
        }
    ]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    extra: list[str] = []
    for number, given in enumerate(variables):
        path = tmp_path / f"vars-{number}.json"
        path.write_text(json.dumps(given))
        extra += ["-e", f"@{path}"]
    return run_playbook(str(tmp_path / "play.yml"), tmp_path / "hosts.yml", *extra, timeout=120)


def failed_messages(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The messages of the run's failed tasks and loop items, one line each, in order."""
    prefix = "[ERROR]: Task failed: Action failed: "
    return [
        line.removeprefix(prefix) for line in result.stdout.splitlines() if line.startswith(prefix)
    ]


def ansible_inventory(inventory: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """`ansible-inventory -i inventory ARGS` from the repo root; fails when it fails or when a
    source could not be parsed (which Ansible only warns about)."""
    result = subprocess.run(
        [str(VENV_BIN / "ansible-inventory"), "-i", str(inventory), *args],
        capture_output=True,
        text=True,
        env=ansible_env(**(env or {})),
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Failed to parse" not in result.stderr, result.stderr
    return result.stdout


def ansible_inventory_list(inventory: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`ansible-inventory --list`, with ansible-core's unsafe-string markers unwrapped."""
    listed: dict[str, Any] = json.loads(
        ansible_inventory(inventory, "--list", env=env), object_hook=_unwrap_unsafe
    )
    return listed


def _unwrap_unsafe(value: dict[str, Any]) -> Any:
    # Values from AWS are exported as {"__ansible_unsafe": "..."} (never templated).
    return value["__ansible_unsafe"] if set(value) == {"__ansible_unsafe"} else value


def create_key_table(dynamodb: Any, table: str, key: str, ttl_attribute: str | None = None) -> None:
    """A pay-per-request table with one string hash key, as the blockchain stack makes them."""
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    if ttl_attribute is not None:
        dynamodb.update_time_to_live(
            TableName=table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
        )


# A role only EC2 may assume (for instances), as the stacks' instance roles trust.
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def create_instance_profile(iam: Any, name: str, actions: tuple[str, ...] = ()) -> str:
    """A role EC2 may assume, allowed `actions` on every resource, in an instance profile of
    the same name (as the stacks' roles are); returns the name."""
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    if actions:
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}],
        }
        iam.put_role_policy(RoleName=name, PolicyName=name, PolicyDocument=json.dumps(policy))
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    return name


def render_role_templates(
    tmp_path: Path, role: str, templates: list[str], variables: dict[str, Any]
) -> dict[str, str]:
    """The role's `templates` as its tasks would write them, with its defaults and vars and
    `variables` on top (as extra vars): template name -> text."""
    root = COLLECTION_ROOT / "roles" / role
    playbook = tmp_path / "render.yml"
    playbook.write_text(
        json.dumps(
            [
                {
                    "hosts": "localhost",
                    "gather_facts": False,
                    "vars_files": [str(root / "defaults/main.yml"), str(root / "vars/main.yml")],
                    "tasks": [
                        {
                            "ansible.builtin.template": {
                                "src": f"{root}/templates/{{{{ item }}}}",
                                "dest": f"{tmp_path}/{{{{ item }}}}",
                                "mode": "0600",
                            },
                            "loop": templates,
                        }
                    ],
                }
            ]
        )
    )
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"ansible_python_interpreter": sys.executable, **variables}))
    ran = run_playbook(str(playbook), Path("localhost,"), "-c", "local", "-e", f"@{extra}")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return {name: (tmp_path / name).read_text() for name in templates}


def parse_env_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments skipped, quotes off)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if line and line[0] != "#")
    return {key: " ".join(shlex.split(value)) for key, value in pairs}


def check_documented_defaults(doc: Path, model: type[BaseModel]) -> None:
    """The doc's flag table (rows `| `--flag ...` | default | ... |`) lists every field of
    `model`, "required" for the required ones and the model's default where it is a plain value
    (a number or a string; the others are described in words)."""
    rows = re.findall(r"^\| (`--[^|]*) \| ([^|]*) \|", doc.read_text(), re.MULTILINE)
    by_flag = {settings.flag_of(name, f): name for name, f in model.model_fields.items()}
    listed = set()
    for flags, cell in rows:
        for flag in re.findall(r"`(--[a-z-]+)", flags):
            name = by_flag[flag]
            listed.add(name)
            field, text = model.model_fields[name], cell.strip().strip("`")
            assert (text == "required") == field.is_required(), (doc.name, name, text)
            if isinstance(field.default, bool | str):
                assert text == str(field.default), (doc.name, name, text)
            elif isinstance(field.default, int | float):
                assert float(text) == field.default, (doc.name, name, text)
    assert listed == set(model.model_fields), doc.name


def check_flags_carry_no_defaults(
    register: Callable[[Any], None], command: str, model: type[BaseModel]
) -> None:
    """`command`'s flags (as `register` adds them) are the model's fields, none with a default
    of its own: an absent flag leaves the field to the model."""
    commands = argparse.ArgumentParser().add_subparsers()
    register(commands)
    flags = [a for a in commands.choices[command]._actions if a.option_strings[0] != "-h"]
    assert {a.dest for a in flags} == set(model.model_fields)
    assert all(a.default is argparse.SUPPRESS for a in flags)


BLOCKCHAIN_MAIN = REPO_ROOT / "terraform" / "stacks" / "blockchain" / "main.tf"


def stack_local(name: str, main: Path = BLOCKCHAIN_MAIN) -> str:
    """A string local of a stack's main.tf (`name = "value"`)."""
    match = re.search(rf'^\s*{name}\s*=\s*"([^"]*)"', main.read_text(), re.MULTILINE)
    assert match, f"local.{name} not found in {main}"
    return match.group(1)


def stack_alarm_body(key: str, main: Path = BLOCKCHAIN_MAIN) -> str:
    """The body of one alarm of a stack's `alarms` module call."""
    text = main.read_text()
    match = re.search(rf"^\s*{key} = \{{\n(.*?)^\s*\}}", text, re.MULTILINE | re.DOTALL)
    assert match, f"alarm {key} not found in {main}"
    return match.group(1)


def put_stack_alarm(cloudwatch: Any, key: str, *, name: str, stream: str) -> None:
    """Create in a lab the blockchain stack's alarm `key` (a single-statistic one on the
    pipeline's Stream dimension) with the settings its main.tf gives and the module's
    defaults (period 60, GreaterThanThreshold)."""
    settings: dict[str, str] = {}
    for line in stack_alarm_body(key).splitlines():
        field, _, value = line.partition("=")
        settings[field.strip()] = value.split(" # ", 1)[0].strip().strip('"')
    namespace = settings["namespace"]
    if namespace.startswith("local."):
        namespace = stack_local(namespace.removeprefix("local."))
    assert settings["dimensions"] == "{ Stream = module.events_stream.name }", settings
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace=namespace,
        MetricName=settings["metric_name"],
        Dimensions=[{"Name": "Stream", "Value": stream}],
        Statistic=settings["statistic"],
        Threshold=float(settings["threshold"]),
        ComparisonOperator=settings.get("comparison_operator", "GreaterThanThreshold"),
        Period=int(settings.get("period", "60")),
        EvaluationPeriods=int(settings["evaluation_periods"]),
        TreatMissingData=settings.get("treat_missing_data", "missing"),
    )


def metric_statistics(
    cloudwatch: Any, namespace: str, name: str, dimensions: Mapping[str, str], **wanted: Any
) -> list[dict[str, Any]]:
    """GetMetricStatistics of one metric over the last hour, as one datapoint (or none)."""
    now = datetime.now(UTC)
    answer = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName=name,
        Dimensions=[{"Name": key, "Value": value} for key, value in dimensions.items()],
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(minutes=1),
        Period=3600,
        **wanted,
    )
    points: list[dict[str, Any]] = answer["Datapoints"]
    return points


@dataclass
class ServiceProcess:
    """A `chainops` service run as a subprocess, its JSON log lines in `log`."""

    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def spawn(cls, command: list[str], log: Path, env: Mapping[str, str]) -> Self:
        with log.open("wb") as out:
            return cls(subprocess.Popen(command, stdout=out, stderr=out, env=dict(env)), log)

    def lines(self) -> list[dict[str, Any]]:
        text = self.log.read_text()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def logged(self, message: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["msg"] == message]

    def wait_logged(self, message: str, timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := self.logged(message):
                return found[0]
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.05)
        raise AssertionError(f"no {message!r} in {timeout} s:\n{self.log.read_text()}")

    def terminate(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """Killed if still running (a test's leftovers)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
