"""Bad stack inputs fail at plan, with a message naming the variable and the rule.

Each case plans a copy of the stack (terraform/ copied, backend overridden to local) with the
lab inventory's inputs and one value broken, in the workspace named like its environment;
nothing is created.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from chainops import paths
from chainops.lab.settings import LabSettings
from tests.terraform.harness import CHAINOPS, inventory_inputs

# 38 plans of 5-10 s each: 3 min 10 s alone, 4 min 12 s for 33 of them on a busier VM (2026-12-07).
pytestmark = pytest.mark.minutes(4)

# The core stack's certificate is imported at run time in the lab; any well-formed ARN plans.
CERTIFICATE = {"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/bad-inputs"}

CASES = [
    pytest.param(
        "foundation",
        {"vpc_cidr": "10.40.0.0/28"},
        ["var.vpc_cidr", "prefix from /16 to /24"],
        id="vpc-cidr-too-small",
    ),
    pytest.param(
        "foundation",
        {
            "subnet_cidrs": {
                "public": ["10.40.0.0/24", "10.40.1.0/24"],
                "private": ["10.40.0.0/20", "10.40.32.0/20"],
                "isolated": ["10.40.8.0/24", "10.40.9.0/24"],
            }
        },
        ["var.subnet_cidrs", "must not overlap"],
        id="subnets-overlap",
    ),
    pytest.param(
        "foundation",
        {
            "subnet_cidrs": {
                "public": ["10.40.0.0/29", "10.40.1.0/24"],
                "private": ["10.40.16.0/20", "10.40.32.0/20"],
                "isolated": ["10.40.8.0/24", "10.40.9.0/24"],
            }
        },
        ["var.subnet_cidrs", "/16 to /28"],
        id="subnet-too-small",
    ),
    pytest.param(
        "foundation",
        {"availability_zones": ["us-east-1a"]},
        ["var.availability_zones", "2 or 3 distinct zones"],
        id="one-zone",
    ),
    pytest.param(
        "foundation",
        {
            "subnet_cidrs": {
                "public": ["10.40.0.0/24"],
                "private": ["10.40.16.0/20", "10.40.32.0/20"],
                "isolated": ["10.40.8.0/24", "10.40.9.0/24"],
            }
        },
        ["var.subnet_cidrs", "one CIDR per tier for each of the 2 availability_zones"],
        id="one-public-subnet-for-two-zones",
    ),
    pytest.param(
        "foundation",
        {"availability_zones": ["us-east-1a", "zone-7"]},
        ["var.availability_zones", "zone name of the region"],
        id="zone-not-a-zone-name",
    ),
    pytest.param(
        "foundation",
        {"availability_zones": ["us-east-1a", "us-west-2b"]},
        ["var.availability_zones", "us-west-2b are not available zones of us-east-1"],
        id="zone-outside-the-region",
    ),
    pytest.param(
        "foundation",
        {"alb_ingress_cidrs": ["0.0.0.0/33"]},
        ["var.alb_ingress_cidrs", "must be an IPv4 CIDR"],
        id="ingress-cidr-invalid",
    ),
    pytest.param(
        "foundation",
        {"vpc_cdir": "10.40.0.0/16"},
        ["stack foundation", "declares no variable vpc_cdir", "(did you mean vpc_cidr?)"],
        id="misspelt-variable",
    ),
    pytest.param(
        "foundation",
        {"environment": "qa"},
        ["var.environment", "dev, staging, prod, lab"],
        id="unknown-environment",
    ),
    pytest.param(
        "blockchain",
        {"stream_mode": "PROVISIONED", "stream_shard_count": 0},
        ["var.stream_shard_count", "whole number from 1 to 500"],
        id="zero-shards",
    ),
    pytest.param(
        "blockchain",
        {"listener_hosts": {"count": 1.5}},
        ["var.listener_hosts", "whole number from 0 to 4"],
        id="fractional-listener-hosts",
    ),
    pytest.param(
        "blockchain",
        {"listener_hosts": {"count": 1, "instance_type": "large"}},
        ["var.listener_hosts", "EC2 instance type"],
        id="listener-instance-type",
    ),
    pytest.param(
        "blockchain",
        {"rpc_instance_type": "i4i.8xlargee"},
        ["var.rpc_instance_type", "instance-store NVMe type, <family>.<size>"],
        id="rpc-instance-type-misspelt",
    ),
    pytest.param(
        "blockchain",
        {"rpc_instance_type": "i4i.64xlarge"},
        ["var.rpc_instance_type", "i4i.64xlarge is not offered in the rpc_availability_zone"],
        id="rpc-instance-type-not-offered",
    ),
    pytest.param(
        "blockchain",
        {"rpc_ami": {"owners": ["debian"], "name": "debian-12-amd64-*"}},
        ["var.rpc_ami", "account IDs (12 digits)"],
        id="rpc-ami-owner-not-an-account",
    ),
    pytest.param(
        "blockchain",
        {"rpc_availability_zone": "zone-7"},
        ["var.rpc_availability_zone", "zone name of the region"],
        id="rpc-zone-not-a-zone-name",
    ),
    pytest.param(
        "blockchain",
        {"rpc_availability_zone": "eu-west-1a"},
        ["var.rpc_availability_zone", "eu-west-1a is not an available zone of us-east-1"],
        id="rpc-zone-outside-the-region",
    ),
    pytest.param(
        "blockchain",
        {"rpc_capacity": {"min": 0, "max": 0, "desired": 0}},
        ["var.rpc_capacity", "max >= 1"],
        id="rpc-capacity-empty",
    ),
    pytest.param(
        "blockchain",
        {"rpc_capacity": {"min": 1.5, "max": 3, "desired": 2}},
        ["var.rpc_capacity", "whole numbers"],
        id="rpc-capacity-fractional",
    ),
    pytest.param(
        "blockchain",
        {"data_lake_transitions": {"standard_ia_days": 10}},
        ["var.data_lake_transitions", "STANDARD_IA or ONEZONE_IA at 30 days or more"],
        id="data-lake-infrequent-access-too-early",
    ),
    pytest.param(
        "blockchain",
        {"alarm_emails": ["oncall@example.com", "not-an-email"]},
        ["var.alarm_emails", "must be an e-mail address"],
        id="alarm-email-not-an-address",
    ),
    pytest.param(
        "core",
        {
            **CERTIFICATE,
            "services": {
                "trading-api": {"public": True, "capacity": {"desired": 0, "min": 2, "max": 1}}
            },
        },
        ["var.services", "0 <= min <= desired <= max"],
        id="capacity-min-above-max",
    ),
    pytest.param(
        "core",
        {**CERTIFICATE, "active_color": "red"},
        ["var.active_color", "blue or green"],
        id="unknown-active-color",
    ),
    pytest.param(
        "core",
        {
            **CERTIFICATE,
            "environment": "prod",
            "database": {"instance_class": "db.r7g.large", "backup_retention_days": 0},
        },
        ["var.database.backup_retention_days", "at least 1 in prod"],
        id="prod-without-backups",
    ),
    pytest.param(
        "core",
        {
            **CERTIFICATE,
            "environment": "prod",
            "database": {"instance_class": "db.r7g.large", "multi_az": False},
        },
        ["var.database.multi_az", "must be true in prod"],
        id="prod-database-without-standby",
    ),
    pytest.param(
        "core",
        {
            **CERTIFICATE,
            "environment": "prod",
            "cache": {"node_type": "cache.r7g.large", "num_cache_clusters": 1},
        },
        ["var.cache.num_cache_clusters", "at least 2 in prod"],
        id="prod-cache-without-replica",
    ),
    pytest.param(
        "core",
        {**CERTIFICATE, "database": {"instance_class": "r7g.large"}},
        ["var.database.instance_class", "RDS instance classes (db.*)"],
        id="instance-class-not-rds",
    ),
    pytest.param(
        "core",
        {**CERTIFICATE, "database": {"instance_class": "db.banana"}},
        ["var.database.instance_class", "db.<family>.<size>"],
        id="instance-class-unknown-family",
    ),
    pytest.param(
        "core",
        {
            **CERTIFICATE,
            "database": {
                "instance_class": "db.t4g.micro",
                "replica_instance_class": "db.t4g.mikro",
            },
        },
        ["var.database.replica_instance_class", "db.<family>.<size>"],
        id="replica-instance-class-misspelt",
    ),
    pytest.param(
        "core",
        {**CERTIFICATE, "alarm_thresholds": {"rds_cpu_percent": 120}},
        ["var.alarm_thresholds", "the *_percent ones at most 100"],
        id="alarm-threshold-out-of-range",
    ),
    pytest.param(
        "core",
        {**CERTIFICATE, "cache": {"node_type": "cache.t4g.mikro"}},
        ["var.cache.node_type", "cache.<family>.<size>"],
        id="cache-node-type-misspelt",
    ),
    pytest.param(
        "core",
        {"certificate_arn": "arn:aws:iam::123456789012:server-certificate/api"},
        ["var.certificate_arn", "ACM certificate ARN"],
        id="certificate-not-acm",
    ),
    pytest.param(
        "core",
        {"certificate_arn": inventory_inputs("dev")["stacks"]["core"]["certificate_arn"]},
        ["var.certificate_arn", "placeholder (account 000000000000)"],
        id="certificate-placeholder",
    ),
]


@pytest.fixture(scope="module")
def terraform_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """terraform/ copied without working dirs, each stack's backend overridden to local."""
    root = tmp_path_factory.mktemp("tf") / "terraform"
    shutil.copytree(
        paths.REPO_ROOT / "terraform", root, ignore=shutil.ignore_patterns(".terraform")
    )
    for stack in (root / "stacks").iterdir():
        (stack / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    return root


def _tf(stack_dir: Path, settings: LabSettings, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        CHAINOPS_LAB_HOST=settings.host,
        CHAINOPS_LAB_PORT=str(settings.port),
        TF_IN_AUTOMATION="1",
    )
    return subprocess.run(
        [str(CHAINOPS), "tf", f"-chdir={stack_dir}", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _plan(
    stack_dir: Path, settings: LabSettings, inputs: dict[str, Any], *, workspace: str
) -> subprocess.CompletedProcess[str]:
    """Plan the stack copy in `workspace` with `inputs` as its var file."""
    if not (stack_dir / ".terraform").exists():
        init = _tf(stack_dir, settings, "init", "-input=false", "-no-color", "-lockfile=readonly")
        assert init.returncode == 0, init.stdout + init.stderr
    selected = _tf(stack_dir, settings, "workspace", "select", "-or-create", "-no-color", workspace)
    assert selected.returncode == 0, selected.stdout + selected.stderr
    var_file = stack_dir / "bad.tfvars.json"
    var_file.write_text(json.dumps(inputs), encoding="utf-8")
    return _tf(stack_dir, settings, "plan", "-input=false", "-no-color", f"-var-file={var_file}")


def _assert_fails_naming(result: subprocess.CompletedProcess[str], expected: list[str]) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    message = " ".join(result.stderr.split())
    for fragment in expected:
        assert fragment in message, result.stderr


@pytest.mark.parametrize(("stack", "override", "expected"), CASES)
def test_bad_input_fails_at_plan_naming_the_rule(
    stack: str,
    override: dict[str, Any],
    expected: list[str],
    terraform_copy: Path,
    lab_settings: LabSettings,
) -> None:
    """The plan fails, and the error names the variable and states the rule it broke."""
    inputs = {**inventory_inputs("lab")["stacks"][stack], **override}
    result = _plan(
        terraform_copy / "stacks" / stack,
        lab_settings,
        inputs,
        workspace=inputs["environment"],
    )
    _assert_fails_naming(result, expected)


@pytest.mark.parametrize("stack", ["state_bootstrap", "foundation", "blockchain", "core"])
def test_workspace_other_than_the_environment_fails_at_plan(
    stack: str, terraform_copy: Path, lab_settings: LabSettings
) -> None:
    """Every stack refuses to plan one environment's inputs in another's workspace."""
    inputs = {
        **inventory_inputs("lab")["stacks"][stack],
        **(CERTIFICATE if stack == "core" else {}),
    }
    result = _plan(terraform_copy / "stacks" / stack, lab_settings, inputs, workspace="staging")
    _assert_fails_naming(
        result,
        [
            "var.environment",
            "environment lab must be applied in the workspace of the same name, not staging",
        ],
    )
