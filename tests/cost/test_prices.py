from __future__ import annotations

from decimal import Decimal

import pytest

from chainops.cost import prices
from chainops.errors import UsageError


def test_every_price_is_sourced_and_not_zero() -> None:
    """Each price names a source the snapshot records, and none is 0 (a missing price is left
    out, to print as unpriced)."""
    snapshot = prices.load("us-east-1")
    assert snapshot.prices
    for price in snapshot.prices.values():
        assert price.source in snapshot.sources, price.key
        assert price.usd > 0, price.key
        assert all((price.service_code, price.usage_type, price.unit)), price.key


def test_sources_say_what_and_where() -> None:
    """Each source records what it is and its URL (and a date where the source has one)."""
    sources = prices.load("us-east-1").sources
    assert sources["libcloud"]["published"] == "2025-03-02T17:36:18Z"
    for source in sources.values():
        assert source["what"], source
        assert source["url"], source


def test_a_price_as_listed() -> None:
    """m5.large in us-east-1, Linux On-Demand: 0.096 USD an hour, usage type BoxUsage."""
    price = prices.load("us-east-1").get("ec2.instance.m5.large")
    assert price is not None
    assert (price.usd, price.unit, price.usage_type) == (
        Decimal("0.096"),
        "Hrs",
        "BoxUsage:m5.large",
    )


def test_unknown_region_names_it_and_the_known_ones() -> None:
    """A region without a snapshot is refused as bad usage, naming the ones there are."""
    with pytest.raises(UsageError, match=r"--region eu-west-9: .*\(snapshots: us-east-1\)"):
        prices.load("eu-west-9")
