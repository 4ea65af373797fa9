"""AWS's naming rules for the pipeline's resources, in one place.

The listener's and the consumers' settings validate with these types, so a typo fails at
start-up rather than on the first call. What cannot import Python keeps a copy of the same
pattern text: the Terraform modules' `validation` blocks and listener_service's validate.yml;
tests/pipeline/test_names.py fails when a copy drifts.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

# Patterns as the copies spell them, anchored there with ^...$.
STREAM_NAME = r"[a-zA-Z0-9_.-]{1,128}"  # Kinesis
TABLE_NAME = r"[a-zA-Z0-9_.-]{3,255}"  # DynamoDB
BUCKET_NAME = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"  # S3, general purpose buckets
# ... and what a bucket name must not contain: two dots in a row, or the form of an IP address.
BUCKET_NAME_REFUSED = r"\.\.|^\d+\.\d+\.\d+\.\d+$"


def _matching(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not {what} ({pattern})")
        return value

    return AfterValidator(check)


def _bucket(value: str) -> str:
    if re.search(BUCKET_NAME_REFUSED, value):
        raise ValueError(f"{value!r} is not an S3 bucket name (no '..', not an IP address)")
    return value


StreamName = Annotated[str, _matching(STREAM_NAME, "a Kinesis stream name")]
TableName = Annotated[str, _matching(TABLE_NAME, "a DynamoDB table name")]
BucketName = Annotated[str, _matching(BUCKET_NAME, "an S3 bucket name"), AfterValidator(_bucket)]
