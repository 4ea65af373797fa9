"""Settings of the lab world, read once from the environment at the CLI edge."""

from __future__ import annotations

import os
from dataclasses import dataclass

# Instances tagged chainops:lab-host=true are materialised as podman hosts.
MANAGEMENT_TAG = "chainops:lab-host"
LAB_ACCESS_KEY = "testing"
LAB_SECRET_KEY = "testing"  # noqa: S105 - moto accepts any credentials; these are not secrets.
# moto's own default account (moto.core.models.DEFAULT_ACCOUNT_ID; tests/lab/test_settings.py).
DEFAULT_ACCOUNT = "123456789012"


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
        if not (len(self.account) == 12 and self.account.isdigit()):
            raise ValueError(f"an AWS account id is 12 digits, not {self.account!r}")

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls) -> LabSettings:
        """The settings from CHAINOPS_LAB_*; an unset variable keeps the field's default."""
        env = os.environ
        regions = env.get("CHAINOPS_LAB_REGIONS")
        return cls(
            host=env.get("CHAINOPS_LAB_HOST", cls.host),
            port=int(env.get("CHAINOPS_LAB_PORT", cls.port)),
            regions=(
                tuple(r.strip() for r in regions.split(",") if r.strip())
                if regions is not None
                else cls.regions
            ),
            max_disk_gib=int(env.get("CHAINOPS_LAB_MAX_DISK_GIB", cls.max_disk_gib)),
            account=env.get("CHAINOPS_LAB_ACCOUNT", cls.account),
        )

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
