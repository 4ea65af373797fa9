"""The state bootstrap's own state: local to one machine after its first apply (the provision
phase warns, outside the lab), then moved into its bucket by docs/terraform.md's steps, after
which the provision phase plans it from the bucket with no change and no warning.

One bootstrap applied in this worker's lab AWS; the migration runs in a copy of terraform/, as
an operator's does, so the repository's stack keeps its local backend.
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
from chainops.lab.aws import clients
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings
from tests.helpers import copy_lab_inventory, run_playbook
from tests.terraform.harness import CHAINOPS

pytestmark = pytest.mark.minutes(4)

WARNING = "[WARNING]: lab: the state bootstrap's state is local to this machine"
S3_BACKEND = 'terraform {\n  backend "s3" {}\n}\n'


def _provision(inventory: Path, work: Path, backend: dict[str, Any]) -> Any:
    extra = {
        "chainops_stack_order": ["state_bootstrap"],
        # An AWS environment's run, in the lab: the warning is for every world but the lab.
        "chainops_world": "aws",
        "chainops_terraform_bootstrap_backend": backend,
    }
    (work / "extra.json").write_text(json.dumps(extra))
    return run_playbook(
        "playbooks/provision.yml", inventory, "-e", f"@{work / 'extra.json'}", timeout=900
    )


def _tf(directory: Path, data: Path, lab: LabSettings, *args: str) -> str:
    env = {
        **os.environ,
        "TF_DATA_DIR": str(data),
        "TF_INPUT": "0",
        "CHAINOPS_LAB_HOST": lab.host,
        "CHAINOPS_LAB_PORT": str(lab.port),
    }
    done = subprocess.run(
        [str(CHAINOPS), "tf", f"-chdir={directory}", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_local_bootstrap_state_warns_then_moves_into_its_bucket(
    lab: LabSettings, tmp_path: Path
) -> None:
    """First apply: local state and one warning line on stderr. Migrated by the documented
    steps: the state is in the bucket, and provision plans it from there with nothing to change
    and no warning."""
    inventory = copy_lab_inventory(tmp_path, lab.endpoint)
    local = {"path": str(tmp_path / "bootstrap.tfstate"), "workspace_dir": str(tmp_path / "ws")}
    first = _provision(inventory, tmp_path, local)
    assert first.returncode == 0, first.stdout[-3000:]
    warnings = [line for line in first.stderr.splitlines() if line.startswith(WARNING)]
    assert len(warnings) == 1, first.stderr

    # docs/terraform.md, "The bootstrap's own state": a copy, initialised on the local state...
    copy = tmp_path / "terraform"
    shutil.copytree(
        paths.REPO_ROOT / "terraform",
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*", "*.tfplan"),
    )
    stack = copy / "stacks" / "state_bootstrap"
    data = tmp_path / "tf-data"
    _tf(stack, data, lab, "init", *(f"-backend-config={k}={v}" for k, v in local.items()))
    _tf(stack, data, lab, "workspace", "select", "lab")
    config = json.loads(_tf(stack, data, lab, "output", "-json", "backend_config"))
    # ...then the s3 backend declared and the state moved.
    (stack / "backend_override.tf").write_text(S3_BACKEND)
    s3_backend = {
        **config,
        "key": "state_bootstrap/terraform.tfstate",
        # The lab's endpoint and keys, as the lab inventory's chainops_terraform_backend_extra.
        "use_path_style": True,
        "access_key": LAB_ACCESS_KEY,
        "secret_key": LAB_SECRET_KEY,
        "endpoints": {service: lab.endpoint for service in ("s3", "dynamodb", "sts", "iam")},
    }
    backend_file = tmp_path / "bootstrap.s3.tfbackend"
    backend_file.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in s3_backend.items()))
    _tf(
        stack, data, lab, "init", "-migrate-state", "-force-copy", f"-backend-config={backend_file}"
    )
    objects = clients.client(lab, "s3").list_objects_v2(Bucket=config["bucket"])["Contents"]
    assert "env:/lab/state_bootstrap/terraform.tfstate" in [o["Key"] for o in objects]

    moved = _provision(inventory, tmp_path, s3_backend)
    assert moved.returncode == 0, moved.stdout[-3000:]
    assert "state_bootstrap: 0 resources to change" in moved.stdout
    assert WARNING not in moved.stderr
