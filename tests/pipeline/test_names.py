"""chainops.pipeline.names: AWS's name rules, once in Python and copied exactly elsewhere."""

from __future__ import annotations

import re

import pytest
from pydantic import TypeAdapter, ValidationError

from chainops.paths import COLLECTION_ROOT, REPO_ROOT
from chainops.pipeline import names

VALIDATE_YML = COLLECTION_ROOT / "roles" / "listener_service" / "tasks" / "validate.yml"


def _terraform_patterns(module: str) -> list[str]:
    """The regexes of the module's `name` validation, as Terraform reads them (unescaped)."""
    text = (REPO_ROOT / "terraform" / "modules" / module / "variables.tf").read_text()
    block = text[text.index('variable "name"') :]
    condition = re.search(r"condition\s*=\s*(.+)", block)
    assert condition is not None, module
    found = re.findall(r'regex\("((?:[^"\\]|\\.)*)"', condition.group(1))
    return [pattern.replace("\\\\", "\\") for pattern in found]


@pytest.mark.parametrize(
    ("module", "patterns"),
    [
        ("kinesis_stream", [names.STREAM_NAME]),
        ("dynamodb_table", [names.TABLE_NAME]),
        ("s3_bucket", [names.BUCKET_NAME, names.BUCKET_NAME_REFUSED]),
    ],
)
def test_terraform_modules_validate_names_with_the_same_patterns(
    module: str, patterns: list[str]
) -> None:
    """Each module's `name` validation is the Python pattern, anchored (the bucket's also its
    refused forms)."""
    expected = [f"^{patterns[0]}$", *patterns[1:]]
    assert _terraform_patterns(module) == expected


@pytest.mark.parametrize(
    ("variables", "pattern"),
    [
        (("stream_name",), names.STREAM_NAME),
        (("checkpoint_table", "lease_table", "idempotency_table"), names.TABLE_NAME),
        (("bucket",), names.BUCKET_NAME),
    ],
)
def test_listener_service_validates_names_with_the_same_patterns(
    variables: tuple[str, ...], pattern: str
) -> None:
    """listener_service's validate.yml checks each resource name with the Python pattern."""
    text = VALIDATE_YML.read_text()
    for variable in variables:
        found = re.findall(rf"listener_service_{variable} is match\('([^']*)'\)", text)
        assert found == [f"^{pattern}$"], variable


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (names.StreamName, ["a", "chain.events-1_x", "s" * 128], ["", "a b", "s" * 129, "é"]),
        (names.TableName, ["abc", "t" * 255], ["ab", "t" * 256, "a/b"]),
        (
            names.BucketName,
            ["abc", "chainops-lake", "a.b-c"],
            ["ab", "Upper", "-abc", "abc-", "a..b", "192.168.0.1", "b" * 64],
        ),
    ],
)
def test_names_aws_accepts_and_refuses(kind: object, good: list[str], bad: list[str]) -> None:
    """The types accept AWS's valid names and refuse the rest with the rule in the message."""
    adapter: TypeAdapter[str] = TypeAdapter(kind)
    for name in good:
        assert adapter.validate_python(name) == name
    for name in bad:
        with pytest.raises(ValidationError, match="is not a"):
            adapter.validate_python(name)
