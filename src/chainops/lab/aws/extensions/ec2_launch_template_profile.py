"""EC2: an instance launched from a launch template gets the template's instance profile.

moto 5.2.5 reads a launch template's image, type, key, user data, groups and disks when it
launches from it (RunInstances LaunchTemplate, an Auto Scaling group), but not its
IamInstanceProfile: every instance of the RPC fleet's group came up without its role, so
nothing on it could sign a request (the lab IMDS has no credentials to give). The lab
associates the template's profile (by name or ARN) with each instance it launches, unless the
call named one itself, as AWS does.
"""

from __future__ import annotations

import functools
from typing import Any


def _template_profile(backend: Any, launch_template: dict[str, Any] | None) -> dict[str, str]:
    if not launch_template:
        return {}
    data = backend._get_template_from_args(launch_template).data
    profile = data.get("IamInstanceProfile") or {}
    return {key: str(value) for key, value in profile.items() if key in ("Name", "Arn") and value}


def install() -> None:
    from moto.ec2.models import EC2Backend

    original = EC2Backend.run_instances

    @functools.wraps(original)
    def run_instances(self: Any, *args: Any, **kwargs: Any) -> Any:
        reservation = original(self, *args, **kwargs)
        profile = (
            {}
            if kwargs.get("iam_instance_profile")
            else _template_profile(self, kwargs.get("launch_template"))
        )
        for instance in reservation.instances if profile else []:
            if instance.id not in self.iam_instance_profile_associations:
                self.associate_iam_instance_profile(
                    instance_id=instance.id,
                    iam_instance_profile_name=profile.get("Name"),
                    iam_instance_profile_arn=profile.get("Arn"),
                )
        return reservation

    EC2Backend.run_instances = run_instances
