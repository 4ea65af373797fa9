"""EC2: a launch template's own tags stay off the instances it launches.

CreateLaunchTemplate takes two kinds of tag specification: ``TagSpecification`` tags the
template itself, ``LaunchTemplateData.TagSpecifications`` the instances and volumes it
launches. moto 5.2.5 copies the first into the second (as ResourceType ``launch-template``),
so DescribeLaunchTemplateVersions shows an extra tag specification Terraform never wrote, and
every plan after the apply wants to remove it.

The lab keeps the template's tags on the template only.
"""

from __future__ import annotations

import functools
from typing import Any


def install() -> None:
    from moto.ec2.models import EC2Backend

    original = EC2Backend.create_launch_template

    @functools.wraps(original)
    def create_launch_template(
        self: Any,
        name: str,
        description: str,
        template_data: dict[str, Any],
        tag_spec: dict[str, Any],
    ) -> Any:
        specs = template_data.get("TagSpecifications")
        if specs:
            kept = [s for s in specs if s.get("ResourceType") != "launch-template"]
            if kept:
                template_data["TagSpecifications"] = kept
            else:
                del template_data["TagSpecifications"]
        return original(self, name, description, template_data, tag_spec)

    EC2Backend.create_launch_template = create_launch_template
