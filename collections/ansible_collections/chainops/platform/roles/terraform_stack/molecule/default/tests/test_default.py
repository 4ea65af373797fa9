"""What terraform_stack leaves behind: the bucket in the lab AWS and a workspace state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

SCENARIO = Path(__file__).resolve().parents[1]


def test_bucket_exists_in_the_lab() -> None:
    s3: Any = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:4596",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto accepts any credentials
    )
    assert "chainops-molecule-archive" in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_state_is_in_the_lab_workspace(host: Any) -> None:
    state = host.file(str(SCENARIO / "state" / "workspaces" / "lab" / "terraform.tfstate"))
    assert state.exists
    resources = json.loads(state.content_string)["resources"]
    assert [(r["type"], r["name"]) for r in resources] == [("aws_s3_bucket", "this")]
