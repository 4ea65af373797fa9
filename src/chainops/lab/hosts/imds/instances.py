"""What a caller's own lab AWS says about it: its instance, and its instance profile's role
credentials (STS AssumeRole with the lab's admin credentials, session named by instance id)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from chainops.errors import LabError
from chainops.lab.aws import clients
from chainops.lab.hosts.imds.callers import Caller
from chainops.lab.settings import LabSettings

# Credentials are fetched again this long before they expire, as EC2 rotates them early.
REFRESH_BEFORE = timedelta(minutes=5)
# Within every role's default MaxSessionDuration, so AssumeRole never refuses it.
SESSION_S = 3600


@dataclass(frozen=True)
class Instance:
    """The caller's instance as DescribeInstances reports it."""

    instance_id: str
    account_id: str
    region: str
    availability_zone: str
    instance_type: str
    image_id: str
    hostname: str
    private_ip: str  # PrivateIpAddress: the reconciler puts it on the host's interface
    launch_time: datetime
    http_tokens: str  # MetadataOptions.HttpTokens: "required" or "optional"
    http_endpoint: str  # MetadataOptions.HttpEndpoint: "enabled" or "disabled"
    profile_arn: str | None  # IamInstanceProfile.Arn; None without a profile


@dataclass(frozen=True)
class Credentials:
    """A role session for one instance; the secret parts never appear in a repr."""

    role: str
    profile_id: str  # GetInstanceProfile's (moto's DescribeInstances gives an association id)
    access_key_id: str
    secret_access_key: str = field(repr=False)
    token: str = field(repr=False)
    expiration: datetime
    last_updated: datetime


class Lab:
    """Instances and role credentials, from the lab AWS that owns each caller; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._credentials: dict[tuple[str, str, str], Credentials] = {}

    def instance(self, caller: Caller) -> Instance:
        """The caller's instance; LabError when its lab no longer has it or does not answer."""
        with _translated(caller):
            reservations = _client(caller, "ec2").describe_instances(
                InstanceIds=[caller.instance_id]
            )["Reservations"]
        if not reservations or not reservations[0]["Instances"]:
            raise LabError(f"lab AWS at {caller.endpoint} has no instance {caller.instance_id}")
        described = reservations[0]["Instances"][0]
        options = described.get("MetadataOptions", {})
        profile = described.get("IamInstanceProfile") or {}
        return Instance(
            instance_id=caller.instance_id,
            account_id=str(reservations[0].get("OwnerId", "")),
            region=caller.region,
            availability_zone=described.get("Placement", {}).get("AvailabilityZone", ""),
            instance_type=described["InstanceType"],
            image_id=described.get("ImageId", ""),
            hostname=described.get("PrivateDnsName") or caller.instance_id,
            private_ip=described.get("PrivateIpAddress") or caller.address,
            launch_time=described["LaunchTime"],
            http_tokens=options.get("HttpTokens", "optional"),
            http_endpoint=options.get("HttpEndpoint", "enabled"),
            profile_arn=profile.get("Arn"),
        )

    def credentials(self, caller: Caller, instance: Instance) -> Credentials | None:
        """The instance profile role's credentials, cached until REFRESH_BEFORE their expiry;
        None for an instance without a profile (or a profile without a role)."""
        if instance.profile_arn is None:
            return None
        key = (caller.endpoint, caller.instance_id, instance.profile_arn)
        with self._lock:
            cached = self._credentials.get(key)
            if cached is not None and cached.expiration - REFRESH_BEFORE > datetime.now(UTC):
                return cached
            fresh = _assume_profile_role(caller, instance.profile_arn)
            if fresh is None:
                self._credentials.pop(key, None)
            else:
                self._credentials[key] = fresh
            return fresh


def _assume_profile_role(caller: Caller, profile_arn: str) -> Credentials | None:
    name = profile_arn.rsplit("/", 1)[1]
    with _translated(caller):
        profile = _client(caller, "iam").get_instance_profile(InstanceProfileName=name)
        roles = profile["InstanceProfile"]["Roles"]
        if not roles:
            return None
        # As the lab administrator, who stands for EC2 assuming an instance's role.
        settings = settings_for(caller.endpoint, caller.region)
        session = clients.assume_role(settings, roles[0]["Arn"], caller.instance_id, SESSION_S)
    issued = datetime.now(UTC)
    return Credentials(
        role=roles[0]["RoleName"],
        profile_id=profile["InstanceProfile"]["InstanceProfileId"],
        access_key_id=session.access_key_id,
        secret_access_key=session.secret_access_key,
        token=session.session_token,
        expiration=(session.expiration or issued + timedelta(seconds=SESSION_S)).astimezone(UTC),
        last_updated=issued,
    )


def _client(caller: Caller, service: str) -> Any:
    return _bound_client(caller.endpoint, caller.region, service)


@cache  # boto3 clients are thread-safe and slow to build: one per lab, region and service
def _bound_client(endpoint: str, region: str, service: str) -> Any:
    return clients.client(settings_for(endpoint, region), service)


def settings_for(endpoint: str, region: str) -> LabSettings:
    """The settings of the lab AWS at `endpoint` (a host's label), for one region."""
    url = urlsplit(endpoint)
    regions = (region,) if region else LabSettings.regions
    return LabSettings(host=url.hostname or "", port=url.port or 80, regions=regions)


@contextmanager
def _translated(caller: Caller) -> Iterator[None]:
    """The SDK's errors as a LabError that names the caller's lab AWS."""
    try:
        yield
    except (ClientError, BotoCoreError) as error:
        raise LabError(f"lab AWS at {caller.endpoint}: {error}") from error
