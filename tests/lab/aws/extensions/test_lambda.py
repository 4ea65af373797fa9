"""The Lambda extension: DeadLetterConfig and the configuration updates moto dropped."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings

DLQ = "arn:aws:sqs:us-east-1:123456789012:fn-dlq"


@pytest.fixture
def lambda_client(lab: LabSettings) -> Any:
    iam = clients.client(lab, "iam")
    role = iam.create_role(
        RoleName="fn",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}',
    )["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.py", "def handler(event, context):\n    return event\n")
    client = clients.client(lab, "lambda")
    client.create_function(
        FunctionName="fn",
        Role=role,
        Runtime="python3.12",
        Handler="index.handler",
        Code={"ZipFile": archive.getvalue()},
        DeadLetterConfig={"TargetArn": DLQ},
    )
    return client


def test_dead_letter_config_reads_back(lambda_client: Any) -> None:
    """The DLQ given on create is in GetFunction and GetFunctionConfiguration."""
    config = lambda_client.get_function_configuration(FunctionName="fn")
    assert config["DeadLetterConfig"] == {"TargetArn": DLQ}
    function = lambda_client.get_function(FunctionName="fn")
    assert function["Configuration"]["DeadLetterConfig"] == {"TargetArn": DLQ}


def test_update_changes_and_removes_dead_letter_config(lambda_client: Any) -> None:
    """An update moves the DLQ; an empty TargetArn removes it; tracing and storage update."""
    other = DLQ.replace("fn-dlq", "other-dlq")
    updated = lambda_client.update_function_configuration(
        FunctionName="fn",
        DeadLetterConfig={"TargetArn": other},
        TracingConfig={"Mode": "Active"},
        EphemeralStorage={"Size": 1024},
    )
    assert updated["DeadLetterConfig"] == {"TargetArn": other}
    assert updated["TracingConfig"] == {"Mode": "Active"}
    assert updated["EphemeralStorage"] == {"Size": 1024}
    lambda_client.update_function_configuration(
        FunctionName="fn", DeadLetterConfig={"TargetArn": ""}
    )
    config = lambda_client.get_function_configuration(FunctionName="fn")
    assert "DeadLetterConfig" not in config
    assert config["TracingConfig"] == {"Mode": "Active"}
