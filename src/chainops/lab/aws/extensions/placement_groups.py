"""EC2 placement groups for the lab AWS (moto 5.2.5 has none).

Adds the three placement-group actions to moto's EC2 query API and carries
``Placement.GroupName`` onto instances launched directly, from a launch template, or by an
auto scaling group, so the ``amazon.aws.aws_ec2`` inventory can group nodes by it.
"""

from __future__ import annotations

import functools
import random
import string
from dataclasses import dataclass, field
from typing import Any

STRATEGIES = ("cluster", "spread", "partition")
SPREAD_LEVELS = ("host", "rack")
MAX_PARTITIONS = 7
_BACKEND_ATTR = "_chainops_placement_groups"


@dataclass
class PlacementGroup:
    """A placement group as EC2 describes it (tags live in moto's tag backend)."""

    group_name: str
    group_id: str
    strategy: str
    state: str = "available"
    partition_count: int | None = None
    spread_level: str | None = None
    group_arn: str = ""
    instance_ids: set[str] = field(default_factory=set)

    def describe(self, tags: dict[str, str]) -> dict[str, Any]:
        described: dict[str, Any] = {
            "GroupName": self.group_name,
            "GroupId": self.group_id,
            "GroupArn": self.group_arn,
            "Strategy": self.strategy,
            "State": self.state,
            "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())],
        }
        if self.partition_count is not None:
            described["PartitionCount"] = self.partition_count
        if self.spread_level is not None:
            described["SpreadLevel"] = self.spread_level
        return described


def groups_of(backend: Any) -> dict[str, PlacementGroup]:
    """The placement groups of one EC2 backend (account and region); reset with the backend."""
    groups: dict[str, PlacementGroup] = backend.__dict__.setdefault(_BACKEND_ATTR, {})
    return groups


def _error(code: str, message: str) -> Exception:
    from moto.ec2.exceptions import EC2ClientError

    error: Exception = EC2ClientError(code, message)
    return error


def _new_group_id() -> str:
    return "pg-" + "".join(random.choices(string.hexdigits.lower()[:16], k=17))  # noqa: S311


@dataclass(frozen=True)
class GroupRequest:
    """The parameters of CreatePlacementGroup."""

    name: str
    strategy: str
    partition_count: int | None = None
    spread_level: str | None = None


def create(backend: Any, request: GroupRequest, tags: dict[str, str]) -> PlacementGroup:
    """Validate a request as EC2 does and store the new group."""
    name, strategy = request.name, request.strategy
    partition_count, spread_level = request.partition_count, request.spread_level
    groups = groups_of(backend)
    if not name:
        raise _error("MissingParameter", "The request must contain the parameter groupName")
    if strategy not in STRATEGIES:
        raise _error(
            "InvalidParameterValue", f"Value ({strategy}) for parameter strategy is invalid."
        )
    if name in groups:
        raise _error(
            "InvalidPlacementGroup.Duplicate", f"The Placement Group '{name}' already exists."
        )
    if partition_count is not None and (
        strategy != "partition" or not 1 <= partition_count <= MAX_PARTITIONS
    ):
        raise _error(
            "InvalidParameterValue",
            f"PartitionCount must be 1-{MAX_PARTITIONS} with the partition strategy.",
        )
    if spread_level is not None and (strategy != "spread" or spread_level not in SPREAD_LEVELS):
        raise _error(
            "InvalidParameterValue", "SpreadLevel must be host or rack with the spread strategy."
        )
    if strategy == "partition" and partition_count is None:
        partition_count = 2
    if strategy == "spread" and spread_level is None:
        spread_level = "rack"
    group_id = _new_group_id()
    group = PlacementGroup(
        group_name=name,
        group_id=group_id,
        strategy=strategy,
        partition_count=partition_count,
        spread_level=spread_level,
        group_arn=f"arn:aws:ec2:{backend.region_name}:{backend.account_id}:placement-group/{name}",
    )
    groups[name] = group
    if tags:
        backend.create_tags([group_id], tags)
    return group


def find(backend: Any, *, name: str | None = None, group_id: str | None = None) -> PlacementGroup:
    for group in groups_of(backend).values():
        if (name and group.group_name == name) or (group_id and group.group_id == group_id):
            return group
    raise _error(
        "InvalidPlacementGroup.Unknown", f"The Placement Group '{name or group_id}' is unknown."
    )


def delete(backend: Any, name: str) -> None:
    group = find(backend, name=name)
    live = [i for i in group.instance_ids if _instance_is_live(backend, i)]
    if live:
        raise _error(
            "InvalidPlacementGroup.InUse",
            f"The placement group '{name}' is in use and may not be deleted.",
        )
    del groups_of(backend)[name]
    backend.tags.pop(group.group_id, None)


def describe(
    backend: Any, *, names: list[str], ids: list[str], filters: dict[str, list[str]]
) -> list[dict[str, Any]]:
    selected = [find(backend, name=n) for n in names] + [find(backend, group_id=i) for i in ids]
    if not names and not ids:
        selected = list(groups_of(backend).values())
    described = []
    for group in selected:
        tags = dict(backend.tags.get(group.group_id, {}))
        if _matches(group, tags, filters):
            described.append(group.describe(tags))
    return described


_FILTER_FIELDS = {
    "group-name": "group_name",
    "group-arn": "group_arn",
    "strategy": "strategy",
    "state": "state",
    "spread-level": "spread_level",
}


def _matches(group: PlacementGroup, tags: dict[str, str], filters: dict[str, list[str]]) -> bool:
    for name, values in filters.items():
        if name.startswith("tag:"):
            if tags.get(name[4:]) not in values:
                return False
        elif name == "tag-key":
            if not set(tags) & set(values):
                return False
        elif name in _FILTER_FIELDS:
            if str(getattr(group, _FILTER_FIELDS[name])) not in values:
                return False
        else:
            raise _error("InvalidParameterValue", f"The filter '{name}' is invalid")
    return True


def _instance_is_live(backend: Any, instance_id: str) -> bool:
    try:
        instance = backend.get_instance(instance_id)
    except Exception:
        return False
    return bool(instance.state != "terminated")


def assign(backend: Any, instances: list[Any], group_name: str | None) -> None:
    """Put freshly launched instances into a placement group."""
    if not group_name:
        return
    group = find(backend, name=group_name)
    for instance in instances:
        instance.placement.group_name = group.group_name
        group.instance_ids.add(instance.id)


def _template_group_name(backend: Any, launch_template: dict[str, Any] | None) -> str | None:
    if not launch_template:
        return None
    data = backend._get_template_from_args(launch_template).data
    placement = data.get("Placement") or {}
    name = placement.get("GroupName")
    return str(name) if name else None


# --- patches -------------------------------------------------------------------------------


def _create_placement_group(self: Any) -> Any:
    from moto.core.responses import ActionResult

    self.error_on_dryrun()
    partition_count = self._get_param("PartitionCount")
    request = GroupRequest(
        name=self._get_param("GroupName", ""),
        strategy=self._get_param("Strategy", ""),
        partition_count=int(partition_count) if partition_count else None,
        spread_level=self._get_param("SpreadLevel"),
    )
    tags = self._parse_tag_specification().get("placement-group", {})
    group = create(self.ec2_backend, request, tags)
    stored = dict(self.ec2_backend.tags.get(group.group_id, {}))
    return ActionResult({"PlacementGroup": group.describe(stored)})


def _describe_placement_groups(self: Any) -> Any:
    from moto.core.responses import ActionResult

    groups = describe(
        self.ec2_backend,
        names=self._get_param("GroupNames", []),
        ids=self._get_param("GroupIds", []),
        filters=self._filters_from_querystring(),
    )
    return ActionResult({"PlacementGroups": groups})


def _delete_placement_group(self: Any) -> Any:
    from moto.core.responses import EmptyResult

    self.error_on_dryrun()
    delete(self.ec2_backend, self._get_param("GroupName", ""))
    return EmptyResult()


def _wrap_run_instances_response(original: Any) -> Any:
    @functools.wraps(original)
    def run_instances(self: Any) -> Any:
        name = self._get_param("Placement.GroupName")
        if name:
            find(self.ec2_backend, name=name)  # fail before launching anything
        result = original(self)
        reservation = result.result
        template = self._get_param("LaunchTemplate", {})
        assign(
            self.ec2_backend,
            reservation.instances,
            name or _template_group_name(self.ec2_backend, template),
        )
        return result

    return run_instances


def _wrap_asg_launch(original: Any) -> Any:
    @functools.wraps(original)
    def replace_autoscaling_group_instances(
        self: Any, count_needed: int, propagated_tags: dict[str, str]
    ) -> None:
        before = {state.instance.id for state in self.instance_states}
        original(self, count_needed, propagated_tags)
        launched = [s.instance for s in self.instance_states if s.instance.id not in before]
        template = None
        if self.ec2_launch_template is not None:
            template = {"LaunchTemplateId": self.ec2_launch_template.id}
        name = self.placement_group or _template_group_name(self.ec2_backend, template)
        assign(self.ec2_backend, launched, name)

    return replace_autoscaling_group_instances


def _wrap_asg_create(original: Any) -> Any:
    @functools.wraps(original)
    def create_auto_scaling_group(self: Any) -> Any:
        name = self._get_param("PlacementGroup")
        if name:
            find(self.autoscaling_backend.ec2_backend, name=name)
        return original(self)

    return create_auto_scaling_group


def _wrap_asg_update(original: Any) -> Any:
    @functools.wraps(original)
    def update_auto_scaling_group(self: Any) -> Any:
        name = self._get_param("PlacementGroup")
        group = self.autoscaling_backend.autoscaling_groups.get(
            self._get_param("AutoScalingGroupName")
        )
        if name and group is not None:
            find(self.autoscaling_backend.ec2_backend, name=name)
            # Set first: instances launched by this very update belong to the new group.
            group.placement_group = name
        return original(self)

    return update_auto_scaling_group


def install() -> None:
    from moto.autoscaling.models import FakeAutoScalingGroup
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.ec2 import utils as ec2_utils
    from moto.ec2.responses import EC2Response

    EC2Response.create_placement_group = _create_placement_group
    EC2Response.describe_placement_groups = _describe_placement_groups
    EC2Response.delete_placement_group = _delete_placement_group
    EC2Response.run_instances = _wrap_run_instances_response(EC2Response.run_instances)
    ec2_utils.EC2_RESOURCE_TO_PREFIX.setdefault("placement-group", "pg")
    ec2_utils.filter_dict_attribute_mapping["placement-group-name"] = "placement.group_name"

    FakeAutoScalingGroup.replace_autoscaling_group_instances = _wrap_asg_launch(
        FakeAutoScalingGroup.replace_autoscaling_group_instances
    )
    AutoScalingResponse.create_auto_scaling_group = _wrap_asg_create(
        AutoScalingResponse.create_auto_scaling_group
    )
    AutoScalingResponse.update_auto_scaling_group = _wrap_asg_update(
        AutoScalingResponse.update_auto_scaling_group
    )
