"""What terraform_stack leaves behind: the bucket in the lab AWS and a workspace state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings

SCENARIO = Path(__file__).resolve().parents[1]


def test_bucket_exists_in_the_lab() -> None:
    # The scenario's lab AWS: CHAINOPS_LAB_PORT from its molecule.yml, the lab's default host.
    s3 = clients.client(LabSettings.from_env(), "s3")
    assert "chainops-molecule-archive" in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_state_is_in_the_lab_workspace(host: Any) -> None:
    state = host.file(str(SCENARIO / "state" / "workspaces" / "lab" / "terraform.tfstate"))
    assert state.exists
    resources = json.loads(state.content_string)["resources"]
    assert [(r["type"], r["name"]) for r in resources] == [("aws_s3_bucket", "this")]
