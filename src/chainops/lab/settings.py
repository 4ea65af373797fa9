"""Settings of the lab world, read once from the environment at the CLI edge."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chainops.errors import UsageError

# Instances tagged chainops:lab-host=true are materialised as podman hosts.
MANAGEMENT_TAG = "chainops:lab-host"
LAB_ACCESS_KEY = "testing"
LAB_SECRET_KEY = "testing"  # noqa: S105 - moto accepts any credentials; these are not secrets.
# moto's own default account (moto.core.models.DEFAULT_ACCOUNT_ID; tests/lab/test_settings.py).
DEFAULT_ACCOUNT = "123456789012"
ENV_PREFIX = "CHAINOPS_LAB_"
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")


class LabSettingError(ValueError):
    """A field's value breaks its rule; `field` names the field."""

    def __init__(self, field: str, value: object, rule: str) -> None:
        super().__init__(f"{field}={value!r}: {rule}")
        self.field = field
        self.rule = rule


@dataclass(frozen=True)
class LabSettings:
    """Where the lab AWS listens and which regions it serves.

    The defaults are the lab inventory's endpoint (`endpoint_url` in
    inventories/lab/aws_ec2.yml): the podman gateway, which lab hosts' own services reach.
    tests/lab/test_settings.py keeps the two equal. Test jobs set their own host and port
    (docs/lab.md).
    """

    host: str = "10.88.0.1"
    port: int = 4566
    regions: tuple[str, ...] = ("us-east-1",)
    # Instance-store volumes are sparse files; cap each so a 7.5 TB i4i volume fits a laptop.
    max_disk_gib: int = 16
    # The account the lab AWS is: every request, the lab credentials' included, is in it. A
    # rehearsal of an AWS environment runs in an account of its own (docs/lab.md).
    account: str = DEFAULT_ACCOUNT

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise LabSettingError("port", self.port, "a TCP port is 1 to 65535")
        if not self.regions or not all(_REGION.fullmatch(r) for r in self.regions):
            raise LabSettingError("regions", self.regions, "AWS regions, like us-east-1,eu-west-1")
        if self.max_disk_gib < 1:
            raise LabSettingError("max_disk_gib", self.max_disk_gib, "at least 1 (GiB)")
        if not (len(self.account) == 12 and self.account.isdigit()):
            raise LabSettingError("account", self.account, "an AWS account id is 12 digits")

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> LabSettings:
        """The settings from CHAINOPS_LAB_<FIELD>; an unset or empty variable keeps the field's
        default. A bad value raises UsageError naming the variable and the rule."""
        given: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            variable = ENV_PREFIX + field.name.upper()
            text = environ.get(variable, "").strip()
            if not text:
                continue
            parse = _FROM_TEXT.get(field.name, str)
            try:
                given[field.name] = parse(text)
            except ValueError:
                raise UsageError(f"{variable}={text!r}: not an integer") from None
        try:
            return cls(**given)
        except LabSettingError as exc:
            variable = ENV_PREFIX + exc.field.upper()
            raise UsageError(f"{variable}={environ[variable]!r}: {exc.rule}") from None

    def aws_env(self) -> dict[str, str]:
        """Environment that points AWS SDKs and Terraform at the lab."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": LAB_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": LAB_SECRET_KEY,
            "AWS_REGION": self.regions[0],
            "AWS_DEFAULT_REGION": self.regions[0],
            # An API moto lacks answers 500; retrying it for minutes hides the gap. SDKs read
            # this; the Terraform provider ignores it and needs max_retries in its block.
            "AWS_MAX_ATTEMPTS": "2",
        }


def _regions(text: str) -> tuple[str, ...]:
    return tuple(r.strip() for r in text.split(",") if r.strip())


# How a variable's text becomes its field's value; str for the fields not listed.
_FROM_TEXT: dict[str, Callable[[str], object]] = {
    "port": int,
    "max_disk_gib": int,
    "regions": _regions,
}
