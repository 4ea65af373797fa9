"""boto3 clients bound to the lab endpoint, as the lab administrator or as a role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config

from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings

_CLIENT_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=3)
# boto3-stubs types clients per literal service name; the lab picks services at run time.
_new_client: Callable[..., Any] = boto3.client


@dataclass(frozen=True)
class RoleSession:
    """Temporary credentials of one role session, issued by the lab's STS."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    arn: str
    expiration: datetime | None = None  # as STS answered; the lab IMDS serves it

    def env(self) -> dict[str, str]:
        """The AWS SDKs' credential variables for a process that runs as this session."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_SESSION_TOKEN": self.session_token,
        }


def client(
    settings: LabSettings,
    service: str,
    region: str | None = None,
    session: RoleSession | None = None,
) -> Any:
    """A boto3 client for one service of the lab AWS: the administrator's, or a role session's."""
    credentials = (
        {
            "aws_access_key_id": session.access_key_id,
            "aws_secret_access_key": session.secret_access_key,
            "aws_session_token": session.session_token,
        }
        if session is not None
        else {"aws_access_key_id": LAB_ACCESS_KEY, "aws_secret_access_key": LAB_SECRET_KEY}
    )
    return _new_client(
        service,
        endpoint_url=settings.endpoint,
        region_name=region or settings.regions[0],
        config=_CLIENT_CONFIG,
        **credentials,
    )


def assume_role(
    settings: LabSettings, role_arn: str, session_name: str, duration_s: int = 3600
) -> RoleSession:
    """A session of ``role_arn`` from the lab's STS, asked for as the lab administrator (who
    stands for the AWS service, EC2 or ECS, that assumes an instance's or a task's role)."""
    answer = client(settings, "sts").assume_role(
        RoleArn=role_arn, RoleSessionName=session_name, DurationSeconds=duration_s
    )
    credentials = answer["Credentials"]
    return RoleSession(
        access_key_id=credentials["AccessKeyId"],
        secret_access_key=credentials["SecretAccessKey"],
        session_token=credentials["SessionToken"],
        arn=answer["AssumedRoleUser"]["Arn"],
        expiration=credentials["Expiration"],
    )
