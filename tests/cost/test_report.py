from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from chainops.cost import prices, report, rules, terraform
from chainops.cost.usage import Usage


def _stack(name: str, path: Path) -> report.StackCost:
    document = terraform.read(path)
    costs = rules.price(document.resources, snapshot=prices.load("us-east-1"), usage=Usage())
    return report.StackCost(name, document, tuple(costs))


def _estimate(stacks: list[report.StackCost], baseline: list[report.StackCost]) -> report.Estimate:
    return report.Estimate(
        environment="prod",
        region="us-east-1",
        snapshot=prices.load("us-east-1"),
        usage=Usage(),
        stacks=tuple(stacks),
        baseline=tuple(baseline),
    )


def test_doubling_the_rpc_fleet_adds_three_nodes(plan6: Path, state3: Path) -> None:
    """Desired capacity 3 -> 6 against the 3-node state adds 3 x (730 h x 0.343 + 100 GB x
    0.08) = 775.17 USD/month, and nothing else changes."""
    estimate = _estimate([_stack("blockchain", plan6)], [_stack("blockchain", state3)])
    assert estimate.delta_usd == Decimal("775.17")
    assert "this change adds 775.17 USD/month" in report.to_table(estimate)
    assert report.to_json(estimate)["delta_monthly_usd"] == "775.17"


def test_table_lists_unpriced_and_totals_without_them(plan3: Path) -> None:
    """The table prints each unpriced resource with its reason; the total counts the priced."""
    table = report.to_table(_estimate([_stack("blockchain", plan3)], []))
    assert "unpriced: aws_db_instance.trading: no price rule for aws_db_instance" in table
    assert "stack blockchain: 971.67 USD/month, 2 unpriced not counted" in table
    assert "assumed: hours_per_month 730, nat_gateway_gb 100, alb_lcu 1" in table
    assert "total: 971.67 USD/month (2 unpriced resources not counted)" in table
    assert "this change" not in table


def test_json_carries_sources_assumptions_and_lines(plan3: Path) -> None:
    """JSON: money as exact-cent strings, unpriced as null, the snapshot's sources."""
    data = report.to_json(_estimate([_stack("blockchain", plan3)], []))
    [stack] = data["stacks"]
    assert (data["monthly_usd"], stack["monthly_usd"]) == ("971.67", "971.67")
    assert stack["unpriced"] == ["aws_db_instance.trading", "aws_eip.nat"]
    resources = {r["address"]: r for r in stack["resources"]}
    assert resources["aws_db_instance.trading"]["monthly_usd"] is None
    [line] = resources["aws_instance.listener"]["lines"]
    assert line == {
        "description": "m7i.large instance",
        "quantity": "730",
        "unit": "Hrs",
        "unit_usd": "0.1008",
        "monthly_usd": "73.58",
        "price": "ec2.instance.m7i.large",
        "assumption": "",
    }
    assert data["usage_assumptions"]["hours_per_month"] == "730"
    assert "libcloud" in data["snapshot_sources"]
