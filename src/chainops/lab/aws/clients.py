"""boto3 clients bound to the lab endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings

_CLIENT_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=3)
# boto3-stubs types clients per literal service name; the lab picks services at run time.
_new_client: Callable[..., Any] = boto3.client


def client(settings: LabSettings, service: str, region: str | None = None) -> Any:
    """A boto3 client for one service of the lab AWS."""
    return _new_client(
        service,
        endpoint_url=settings.endpoint,
        region_name=region or settings.regions[0],
        aws_access_key_id=LAB_ACCESS_KEY,
        aws_secret_access_key=LAB_SECRET_KEY,
        config=_CLIENT_CONFIG,
    )
