"""Terraform-level regressions: resources the extensions fixed plan empty after apply.

Only resources whose provider waiters finish in seconds (ElastiCache, RDS instances and ECS
services wait 30-60 s per create, so their boto3 tests stand in for them).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainops import tf
from chainops.lab.settings import LabSettings
from tests.terraform.harness import inventory_inputs

# The lab inventory's retries: a dropped connection is retried, as the stacks do.
LAB_MAX_RETRIES = inventory_inputs("lab")["aws_provider"]["max_retries"]
PROVIDER = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  max_retries                 = %(max_retries)d
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
}
"""

PARAMETER_GROUP = """
resource "aws_db_parameter_group" "pg" {
  name   = "chain-pg16"
  family = "postgres16"
%s
}
"""

PARAMETER = """
  parameter {
    name         = "%s"
    value        = "%s"
    apply_method = "%s"
  }
"""


class Root:
    def __init__(self, path: Path, settings: LabSettings) -> None:
        self.path = path
        self.env = tf.terraform_env(settings)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tf.binary(), f"-chdir={self.path}", *args, "-input=false", "-no-color"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def apply(self, main: str) -> None:
        (self.path / "main.tf").write_text(main)
        applied = self.run("apply", "-auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr

    def assert_plan_empty(self) -> None:
        plan = self.run("plan", "-detailed-exitcode")
        assert plan.returncode == 0, plan.stdout + plan.stderr


@pytest.fixture
def root(lab: LabSettings, tmp_path: Path) -> Iterator[Root]:
    if shutil.which(tf.binary()) is None:
        pytest.skip(f"no {tf.binary()} on PATH")
    (tmp_path / "provider.tf").write_text(PROVIDER % {"max_retries": LAB_MAX_RETRIES})
    module = Root(tmp_path, lab)
    init = module.run("init")
    if init.returncode != 0:
        pytest.skip(f"terraform init failed (no provider mirror?): {init.stderr[-500:]}")
    yield module
    module.run("destroy", "-auto-approve")


def test_db_parameter_group_parameters_settle(root: Root) -> None:
    """Parameters plan empty after apply, and again after one is removed (a reset)."""
    parameters = [
        ("log_min_duration_statement", "500", "immediate"),
        ("rds.force_ssl", "1", "immediate"),
        ("shared_preload_libraries", "pg_stat_statements", "pending-reboot"),
    ]
    root.apply(PARAMETER_GROUP % "".join(PARAMETER % p for p in parameters))
    root.assert_plan_empty()
    root.apply(PARAMETER_GROUP % "".join(PARAMETER % p for p in parameters[:2]))
    root.assert_plan_empty()
