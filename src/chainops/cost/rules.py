"""What each resource type costs a month: line items from the snapshot's prices, or why not.

A type is priced (a rule below), free (`FREE`: AWS charges nothing for the resource itself) or
unpriced (no rule, or the snapshot lacks the price it needs): never a made-up figure, never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chainops.cost.prices import Snapshot
from chainops.cost.terraform import Resource
from chainops.cost.usage import Usage

# AWS charges nothing for these themselves (what runs in or through them is priced on its own).
FREE = frozenset(
    {
        "aws_autoscaling_attachment",
        "aws_autoscaling_policy",
        "aws_appautoscaling_policy",
        "aws_appautoscaling_target",
        "aws_db_parameter_group",
        "aws_db_proxy_default_target_group",
        "aws_db_proxy_target",
        "aws_db_subnet_group",
        "aws_default_security_group",
        "aws_ebs_encryption_by_default",
        "aws_ecr_lifecycle_policy",
        "aws_ecs_cluster",
        "aws_ecs_cluster_capacity_providers",
        "aws_ecs_task_definition",
        "aws_elasticache_parameter_group",
        "aws_elasticache_subnet_group",
        "aws_iam_instance_profile",
        "aws_iam_openid_connect_provider",
        "aws_iam_policy",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_internet_gateway",
        "aws_kms_alias",
        "aws_launch_template",  # its instances are priced with their Auto Scaling group
        "aws_lb_listener",
        "aws_lb_listener_rule",
        "aws_lb_target_group",
        "aws_network_acl",
        "aws_placement_group",
        "aws_route",
        "aws_route_table",
        "aws_route_table_association",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_secretsmanager_secret_version",  # billed as part of its secret
        "aws_security_group",
        "aws_security_group_rule",
        "aws_sns_topic_policy",
        "aws_sns_topic_subscription",
        "aws_sqs_queue_redrive_allow_policy",
        "aws_subnet",
        "aws_vpc",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_wafv2_web_acl_association",
        "aws_wafv2_web_acl_logging_configuration",
    }
)


@dataclass(frozen=True)
class Line:
    """One priced quantity: `quantity` `unit`s a month at the snapshot price `price_key`."""

    description: str
    quantity: Decimal
    unit: str
    unit_usd: Decimal
    price_key: str
    assumption: str = ""  # the usage assumed for the quantity, if it is not from the plan

    @property
    def monthly_usd(self) -> Decimal:
        return self.quantity * self.unit_usd


@dataclass(frozen=True)
class Cost:
    """A resource's monthly cost: `status` is "priced", "free" or "unpriced" (then `reason`)."""

    resource: Resource
    status: str
    lines: tuple[Line, ...] = ()
    reason: str = ""

    @property
    def monthly_usd(self) -> Decimal | None:
        """The sum of the lines; None if unpriced (unknown is not 0)."""
        if self.status == "unpriced":
            return None
        return sum((line.monthly_usd for line in self.lines), Decimal(0))


class _Unpriced(Exception):
    """A rule cannot price its resource; the message says why."""


@dataclass(frozen=True)
class _Context:
    snapshot: Snapshot
    usage: Usage
    resources: Sequence[Resource]

    def line(self, description: str, quantity: Decimal, key: str, *, assumption: str = "") -> Line:
        price = self.snapshot.get(key)
        if price is None:
            raise _Unpriced(f"no price for {key} in the {self.snapshot.region} snapshot")
        return Line(description, quantity, price.unit, price.usd, key, assumption)

    def hours(self) -> Decimal:
        return self.usage.hours_per_month


_Rule = Callable[[Resource, _Context], list[Line]]


def price(resources: Iterable[Resource], *, snapshot: Snapshot, usage: Usage) -> list[Cost]:
    """The cost of each resource, in the order given."""
    listed = list(resources)
    context = _Context(snapshot, usage, listed)
    return [_cost(resource, context) for resource in listed]


def _cost(resource: Resource, context: _Context) -> Cost:
    if resource.type in FREE or not resource.type.startswith("aws_"):
        return Cost(resource, "free")
    rule = _RULES.get(resource.type)
    if rule is None:
        return Cost(resource, "unpriced", reason=f"no price rule for {resource.type}")
    try:
        return Cost(resource, "priced", tuple(rule(resource, context)))
    except _Unpriced as exc:
        return Cost(resource, "unpriced", reason=str(exc))


def _value(resource: Resource, name: str) -> Any:
    if name not in resource.values or resource.values[name] is None:
        raise _Unpriced(f"{name} is not known before apply")
    return resource.values[name]


def _block(values: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The first (only) nested block `name`, or {}."""
    blocks = values.get(name) or []
    return blocks[0] if blocks and isinstance(blocks[0], Mapping) else {}


def _gp3_line(description: str, size: Any, count: Decimal, context: _Context) -> Line:
    return context.line(f"{description} (gp3)", Decimal(size) * count, "ebs.gp3.gb_month")


def _instance(resource: Resource, context: _Context) -> list[Line]:
    kind = _value(resource, "instance_type")
    lines = [context.line(f"{kind} instance", context.hours(), f"ec2.instance.{kind}")]
    root = _block(resource.values, "root_block_device")
    if root.get("volume_type") == "gp3" and root.get("volume_size"):
        lines.append(_gp3_line("root volume", root["volume_size"], Decimal(1), context))
    return lines


def _autoscaling_group(resource: Resource, context: _Context) -> list[Line]:
    if resource.values.get("mixed_instances_policy"):
        raise _Unpriced("a mixed-instances policy is not priced yet")
    capacity = resource.values.get("desired_capacity")
    if capacity is None:
        capacity = _value(resource, "min_size")  # no desired capacity: AWS starts at min_size
    template = _launch_template(resource, context)
    kind = _value(template, "instance_type")
    count = Decimal(capacity)
    lines = [
        context.line(
            f"{capacity} x {kind} instance", count * context.hours(), f"ec2.instance.{kind}"
        )
    ]
    for mapping in template.values.get("block_device_mappings") or []:
        ebs = _block(mapping, "ebs")
        if ebs.get("volume_type") == "gp3" and ebs.get("volume_size"):
            device = mapping.get("device_name", "volume")
            lines.append(_gp3_line(f"{capacity} x {device}", ebs["volume_size"], count, context))
    return lines


def _launch_template(group: Resource, context: _Context) -> Resource:
    """The group's launch template: by ID when known, else the only one in its module."""
    wanted = _block(group.values, "launch_template").get("id")
    templates = [r for r in context.resources if r.type == "aws_launch_template"]
    by_id = [t for t in templates if wanted and t.values.get("id") == wanted]
    beside = [t for t in templates if t.module == group.module]
    if len(by_id) == 1:
        return by_id[0]
    if not wanted and len(beside) == 1:
        return beside[0]
    raise _Unpriced("its launch template is not in this plan or state")


def _ebs_volume(resource: Resource, context: _Context) -> list[Line]:
    kind = _value(resource, "type")
    if kind != "gp3":
        raise _Unpriced(f"EBS {kind} is not in the snapshot")
    return [_gp3_line("volume", _value(resource, "size"), Decimal(1), context)]


def _nat_gateway(resource: Resource, context: _Context) -> list[Line]:
    gb = context.usage.nat_gateway_gb
    return [
        context.line("NAT gateway", context.hours(), "ec2.nat_gateway.hour"),
        context.line(
            "data processed", gb, "ec2.nat_gateway.gb", assumption=f"{gb} GB/month processed"
        ),
    ]


def _load_balancer(resource: Resource, context: _Context) -> list[Line]:
    kind = resource.values.get("load_balancer_type") or "application"  # the provider's default
    if kind != "application":
        raise _Unpriced(f"a {kind} load balancer is not in the snapshot")
    lcu = context.usage.alb_lcu
    return [
        context.line("application load balancer", context.hours(), "elb.application.hour"),
        context.line(
            "capacity units",
            lcu * context.hours(),
            "elb.application.lcu_hour",
            assumption=f"{lcu} LCU on average",
        ),
    ]


def _kinesis_stream(resource: Resource, context: _Context) -> list[Line]:
    mode = _block(resource.values, "stream_mode_details").get("stream_mode") or "PROVISIONED"
    if mode != "PROVISIONED":
        raise _Unpriced(f"{mode} streams are not in the snapshot")
    shards = _value(resource, "shard_count")
    return [
        context.line(f"{shards} shards", Decimal(shards) * context.hours(), "kinesis.shard.hour")
    ]


def _kms_key(resource: Resource, context: _Context) -> list[Line]:
    return [context.line("customer managed key", Decimal(1), "kms.key.month")]


def _secret(resource: Resource, context: _Context) -> list[Line]:
    return [context.line("secret", Decimal(1), "secretsmanager.secret.month")]


_RULES: Mapping[str, _Rule] = {
    "aws_alb": _load_balancer,
    "aws_autoscaling_group": _autoscaling_group,
    "aws_ebs_volume": _ebs_volume,
    "aws_instance": _instance,
    "aws_kinesis_stream": _kinesis_stream,
    "aws_kms_key": _kms_key,
    "aws_lb": _load_balancer,
    "aws_nat_gateway": _nat_gateway,
    "aws_secretsmanager_secret": _secret,
}
