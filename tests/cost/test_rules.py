"""Line items against values computed by hand from the snapshot's prices (quoted in each test)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chainops.cost import prices, rules, terraform
from chainops.cost.terraform import Resource
from chainops.cost.usage import Usage


@pytest.fixture
def costs(plan3: Path) -> dict[str, rules.Cost]:
    resources = terraform.read(plan3).resources
    priced = rules.price(resources, snapshot=prices.load("us-east-1"), usage=Usage())
    return {c.resource.address: c for c in priced}


def _lines(cost: rules.Cost) -> list[tuple[Decimal, str, Decimal]]:
    return [(line.quantity, line.unit, line.monthly_usd) for line in cost.lines]


def test_instance(costs: dict[str, rules.Cost]) -> None:
    """m7i.large at 0.1008 USD/h: 730 h x 0.1008 = 73.584 USD/month."""
    cost = costs["aws_instance.listener"]
    assert _lines(cost) == [(Decimal(730), "Hrs", Decimal("73.5840"))]


def test_autoscaling_group_counts_desired_instances_and_their_volumes(
    costs: dict[str, rules.Cost],
) -> None:
    """3 x i4i.xlarge at 0.343 USD/h: 2190 h = 751.17; 3 x 100 GB gp3 at 0.08 = 24.00."""
    cost = costs["module.rpc_fleet.aws_autoscaling_group.this"]
    assert _lines(cost) == [
        (Decimal(2190), "Hrs", Decimal("751.170")),
        (Decimal(300), "GB-Mo", Decimal("24.00")),
    ]
    assert cost.monthly_usd == Decimal("775.17")


def test_nat_gateway_states_its_assumed_traffic(costs: dict[str, rules.Cost]) -> None:
    """730 h x 0.045 = 32.85, and the assumed 100 GB x 0.045 = 4.50, said as an assumption."""
    cost = costs["aws_nat_gateway.this"]
    assert cost.monthly_usd == Decimal("37.35")
    assert [line.assumption for line in cost.lines] == ["", "100 GB/month processed"]


@pytest.mark.parametrize(
    ("address", "monthly"),
    [
        ("aws_ebs_volume.ledger", "40.00"),  # 500 GB x 0.08
        ("aws_lb.rpc", "22.2650"),  # 730 h x 0.0225 + 730 LCU-h x 0.008
        ("aws_kinesis_stream.events", "21.90"),  # 2 shards x 730 h x 0.015
        ("aws_kms_key.this", "1.00"),
        ("aws_secretsmanager_secret.db", "0.40"),
    ],
)
def test_monthly_cost(costs: dict[str, rules.Cost], address: str, monthly: str) -> None:
    """Each priced type's month, computed by hand in the parameter's comment."""
    assert costs[address].monthly_usd == Decimal(monthly)


def test_unpriced_is_none_with_a_reason_never_zero(costs: dict[str, rules.Cost]) -> None:
    """A type without a price rule is unpriced: no figure, a reason."""
    cost = costs["aws_db_instance.trading"]
    assert (cost.status, cost.monthly_usd) == ("unpriced", None)
    assert cost.reason == "no price rule for aws_db_instance"


def test_free_types_cost_nothing(costs: dict[str, rules.Cost]) -> None:
    """The VPC, its subnet and the launch template (priced through its group) are free."""
    for address in (
        "aws_vpc.this",
        "aws_subnet.public",
        "module.rpc_fleet.aws_launch_template.this",
    ):
        assert (costs[address].status, costs[address].monthly_usd) == ("free", Decimal(0))


def _price_one(type_: str, values: dict[str, Any]) -> rules.Cost:
    resource = Resource(address=f"{type_}.x", type=type_, module="", values=values)
    [cost] = rules.price([resource], snapshot=prices.load("us-east-1"), usage=Usage())
    return cost


def test_instance_type_missing_from_the_snapshot_is_unpriced() -> None:
    """i7ie.xlarge has no us-east-1 price in the snapshot: unpriced, naming the missing price."""
    cost = _price_one("aws_instance", {"instance_type": "i7ie.xlarge"})
    assert cost.status == "unpriced"
    assert cost.reason == "no price for ec2.instance.i7ie.xlarge in the us-east-1 snapshot"


def test_value_known_only_after_apply_is_unpriced() -> None:
    """An instance type the plan cannot know yet is unpriced, not guessed."""
    cost = _price_one("aws_instance", {})
    assert (cost.status, cost.reason) == ("unpriced", "instance_type is not known before apply")


def test_on_demand_kinesis_is_unpriced() -> None:
    """ON_DEMAND streams are billed per GB, not in the snapshot: unpriced."""
    cost = _price_one("aws_kinesis_stream", {"stream_mode_details": [{"stream_mode": "ON_DEMAND"}]})
    assert cost.status == "unpriced"
