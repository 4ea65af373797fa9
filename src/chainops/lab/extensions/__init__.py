"""The lab's extension layer: AWS APIs the stack needs that moto lacks, patched in at start.

Each extension is a small module with an ``install()`` function and a row in ``GAPS``; the
table is rendered into docs/lab.md and served at ``/moto-api/chainops`` so a client can see
which extensions a running lab has.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from chainops import __version__


@dataclass(frozen=True)
class Gap:
    """One thing moto (5.2.5) lacks and what the lab does about it."""

    service: str
    api: str
    moto: str
    lab: str


GAPS: tuple[Gap, ...] = (
    Gap(
        service="ec2",
        api="CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup",
        moto="not implemented (answers 500)",
        lab="implemented: cluster/spread/partition strategies, tags, filters, in-use check",
    ),
    Gap(
        service="ec2",
        api="RunInstances Placement.GroupName (direct and from a launch template)",
        moto="ignored; DescribeInstances shows an empty GroupName",
        lab="kept on the instance, validated against existing groups, filterable by "
        "placement-group-name",
    ),
    Gap(
        service="autoscaling",
        api="CreateAutoScalingGroup / UpdateAutoScalingGroup PlacementGroup",
        moto="stored on create, ignored on update, not passed to the instances launched",
        lab="validated, updatable, and set on every instance the group launches",
    ),
    Gap(
        service="application-autoscaling",
        api="TagResource, UntagResource, ListTagsForResource; RegisterScalableTarget Tags",
        moto="not implemented (answers 500), so aws_appautoscaling_target fails on read",
        lab="implemented for scalable targets, by ARN; unknown ARNs answer "
        "ResourceNotFoundException",
    ),
    Gap(
        service="rds",
        api="DBInstance DbiResourceId",
        moto="the same id for every instance, so a read replica breaks reads of its primary",
        lab="a unique base32 id per instance",
    ),
    Gap(
        service="rds",
        api="DescribeDBEngineVersions",
        moto="not implemented (answers 500)",
        lab="a catalogue of current postgres, mysql, mariadb and aurora versions with their "
        "parameter group families; Engine, EngineVersion, family and DefaultOnly filters",
    ),
    Gap(
        service="sqs",
        api="GetQueueAttributes RedrivePolicy",
        moto='re-serialised with spaces (", ", ": "), a perpetual diff against jsonencode',
        lab="returned in the compact form AWS uses",
    ),
)

_installed: list[str] = []


def install() -> None:
    """Patch moto in this process; idempotent."""
    if _installed:
        return
    from chainops.lab.extensions import application_autoscaling, placement_groups, rds, sqs

    for extension in (placement_groups, application_autoscaling, rds, sqs):
        extension.install()
        _installed.append(extension.__name__.rsplit(".", 1)[1])
    _install_info_route()


def info() -> dict[str, Any]:
    """What the running lab offers beyond moto, for health checks and `lab status`."""
    return {
        "version": __version__,
        "extensions": list(_installed),
        "gaps": [asdict(gap) for gap in GAPS],
    }


def _install_info_route() -> None:
    from moto.moto_api._internal import urls

    def chainops_info(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, json.dumps(info())

    urls.url_paths["{0}/moto-api/chainops$"] = chainops_info
