"""The AWS calls of a package, read from its source."""

from __future__ import annotations

from pathlib import Path

from tests.aws_calls import Call, aws_calls

SOURCE = """
import boto3

def land(bucket):
    s3, db = (boto3.client(name) for name in ("s3", "dynamodb"))
    s3.head_bucket(Bucket=bucket)
    for page in db.get_paginator("scan").paginate(TableName="t"):
        pass
    db.send_str("not an operation of a created client")
"""


def test_calls_are_actions_of_the_created_clients(tmp_path: Path) -> None:
    """Operations map to the IAM actions AWS authorises them as, paginators to their operation;
    each call is named by its package and module, as several packages are read at once."""
    (tmp_path / "land.py").write_text(SOURCE)
    assert aws_calls(tmp_path) == [
        Call("s3:ListBucket", f"{tmp_path.name}/land.py:6"),
        Call("dynamodb:Scan", f"{tmp_path.name}/land.py:7"),
    ]
