"""The offer-file reader against a small file in AWS's documented layout: the prices to find are
the snapshot's own figures; the look-alike products a filter must skip carry 9.99, a price no
product has, so picking one shows."""

from __future__ import annotations

from typing import Any

import pytest

from chainops.cost import offers


def _product(sku: str, usage: str, family: str, **attributes: str) -> dict[str, Any]:
    return {"sku": sku, "productFamily": family, "attributes": {"usagetype": usage, **attributes}}


def _on_demand(sku: str, usd: str, unit: str) -> dict[str, Any]:
    rate = {"unit": unit, "pricePerUnit": {"USD": usd}, "beginRange": "0", "endRange": "Inf"}
    return {f"{sku}.JRTCKXETXF": {"priceDimensions": {f"{sku}.JRTCKXETXF.6YS6EN2CT7": rate}}}


LINUX = {"operation": "RunInstances", "capacitystatus": "Used", "tenancy": "Shared"}
PRODUCTS: dict[str, dict[str, Any]] = {
    "LINUX": _product("LINUX", "BoxUsage:m5.large", "Compute Instance", **LINUX),
    "WINDOWS": _product(
        "WINDOWS",
        "BoxUsage:m5.large",
        "Compute Instance",
        **{**LINUX, "operation": "RunInstances:0002"},
    ),
    "UNUSED": _product(
        "UNUSED",
        "BoxUsage:m5.large",
        "Compute Instance",
        **{**LINUX, "capacitystatus": "UnusedCapacityReservation"},
    ),
    "NAT": _product("NAT", "NatGateway-Hours", "NAT Gateway"),
    "NAT_OHIO": _product("NAT_OHIO", "USE2-NatGateway-Hours", "NAT Gateway"),
}
OFFER: dict[str, Any] = {
    "offerCode": "AmazonEC2",
    "publicationDate": "2025-03-01T00:00:00Z",
    "products": PRODUCTS,
    "terms": {
        "OnDemand": {
            "LINUX": _on_demand("LINUX", "0.0960000000", "Hrs"),
            "WINDOWS": _on_demand("WINDOWS", "9.9900000000", "Hrs"),
            "UNUSED": _on_demand("UNUSED", "9.9900000000", "Hrs"),
            "NAT": _on_demand("NAT", "0.0450000000", "Hrs"),
            "NAT_OHIO": _on_demand("NAT_OHIO", "0.0450000000", "Hrs"),
        }
    },
}


def test_instance_is_linux_shared_on_demand() -> None:
    """An instance type's price is its Linux, shared-tenancy, used-capacity SKU."""
    [want] = offers.wanted({}, ["m5.large"])
    assert offers.select(OFFER, want) == {
        "service_code": "AmazonEC2",
        "usage_type": "BoxUsage:m5.large",
        "unit": "Hrs",
        "usd": "0.096",
        "source": "aws:AmazonEC2",
        "sku": "LINUX",
    }


def test_usage_type_with_another_regions_prefix_is_ambiguous() -> None:
    """A usage type matched under two region prefixes is refused, not picked at random."""
    entry = {"service_code": "AmazonEC2", "usage_type": "NatGateway-Hours"}
    [want] = offers.wanted({"ec2.nat_gateway.hour": entry}, [])
    with pytest.raises(offers.OfferError, match=r"2 On-Demand products .* NatGateway-Hours"):
        offers.select(OFFER, want)
    regional = {**OFFER, "products": {"NAT": PRODUCTS["NAT"]}}  # a regional file
    assert offers.select(regional, want)["usd"] == "0.045"


def test_missing_price_is_an_error_naming_the_key() -> None:
    """A key the offer file does not price stops the rebuild, naming the key."""
    [want] = offers.wanted({}, ["i7ie.xlarge"])
    with pytest.raises(offers.OfferError, match=r"^ec2\.instance\.i7ie\.xlarge: 0 On-Demand"):
        offers.select(OFFER, want)
