"""The launch-template tags extension: the template's own tags stay off its launch data."""

from __future__ import annotations

from typing import Any


def test_template_tags_are_not_launch_tags(ec2: Any, image_id: str) -> None:
    """Only the instance tag specification is in the version data; the template has its tags."""
    created = ec2.create_launch_template(
        LaunchTemplateName="rpc",
        LaunchTemplateData={
            "ImageId": image_id,
            "TagSpecifications": [
                {"ResourceType": "instance", "Tags": [{"Key": "role", "Value": "rpc"}]}
            ],
        },
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": [{"Key": "stack", "Value": "blockchain"}]}
        ],
    )["LaunchTemplate"]
    (version,) = ec2.describe_launch_template_versions(
        LaunchTemplateId=created["LaunchTemplateId"]
    )["LaunchTemplateVersions"]
    assert version["LaunchTemplateData"]["TagSpecifications"] == [
        {"ResourceType": "instance", "Tags": [{"Key": "role", "Value": "rpc"}]}
    ]
    (template,) = ec2.describe_launch_templates(LaunchTemplateIds=[created["LaunchTemplateId"]])[
        "LaunchTemplates"
    ]
    assert {"Key": "stack", "Value": "blockchain"} in template["Tags"]


def test_template_tags_alone_leave_no_launch_tags(ec2: Any, image_id: str) -> None:
    """A template tagged only itself has no tag specifications in its launch data."""
    created = ec2.create_launch_template(
        LaunchTemplateName="bare",
        LaunchTemplateData={"ImageId": image_id},
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": [{"Key": "a", "Value": "b"}]}
        ],
    )["LaunchTemplate"]
    (version,) = ec2.describe_launch_template_versions(
        LaunchTemplateId=created["LaunchTemplateId"]
    )["LaunchTemplateVersions"]
    assert "TagSpecifications" not in version["LaunchTemplateData"]
