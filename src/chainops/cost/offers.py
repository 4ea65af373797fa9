"""The AWS Price List bulk offer file (`products` + `terms.OnDemand`) -> the snapshot's prices.

An offer file, as AWS documents it: `{"offerCode", "version", "publicationDate", "products":
{SKU: {"sku", "productFamily", "attributes": {"usagetype", "operation", ...}}}, "terms":
{"OnDemand": {SKU: {TERM: {"priceDimensions": {RATE: {"unit", "pricePerUnit": {"USD"},
"beginRange", "endRange"}}}}}}}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chainops.errors import ChainopsError

# Attributes that single out one product where a usage type alone is shared.
_INSTANCE = {"operation": "RunInstances", "capacitystatus": "Used", "tenancy": "Shared"}
_FAMILIES = {
    "ebs.": "Storage",
    "ec2.nat_gateway.": "NAT Gateway",
    "elb.application.": "Load Balancer-Application",
}


class OfferError(ChainopsError):
    """An offer file does not hold exactly one On-Demand price for a wanted key."""


@dataclass(frozen=True)
class Wanted:
    """A price to find: its snapshot key, offer (service code) and usage type without the
    region prefix (`USE1-`, `us-east-1-`), narrowed by product family and attributes."""

    key: str
    service_code: str
    usage_type: str
    product_family: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)


def wanted(entries: Mapping[str, Mapping[str, str]], instance_types: Iterable[str]) -> list[Wanted]:
    """What to look up: each snapshot entry (key -> service_code, usage_type) and each EC2
    instance type asked for (Linux, shared tenancy, On-Demand)."""
    found = {k: (e["service_code"], e["usage_type"]) for k, e in entries.items()}
    for kind in instance_types:
        found[f"ec2.instance.{kind}"] = ("AmazonEC2", f"BoxUsage:{kind}")
    return [_wanted(key, code, usage) for key, (code, usage) in sorted(found.items())]


def _wanted(key: str, service_code: str, usage_type: str) -> Wanted:
    family = next((f for prefix, f in _FAMILIES.items() if key.startswith(prefix)), None)
    attributes = _INSTANCE if key.startswith("ec2.instance.") else {}
    return Wanted(key, service_code, usage_type, family, attributes)


def select(offer: Mapping[str, Any], want: Wanted) -> dict[str, str]:
    """The snapshot entry of `want` from `offer`; OfferError unless exactly one product with
    exactly one On-Demand price dimension matches."""
    skus = [
        sku
        for sku, product in offer.get("products", {}).items()
        if _matches(product, want) and sku in offer.get("terms", {}).get("OnDemand", {})
    ]
    if len(skus) != 1:
        raise OfferError(
            f"{want.key}: {len(skus)} On-Demand products of {want.service_code} match usage type "
            f"{want.usage_type} {dict(want.attributes)} (want exactly 1: {sorted(skus)[:5]})"
        )
    [sku] = skus
    dimensions = [
        dimension
        for term in offer["terms"]["OnDemand"][sku].values()
        for dimension in term["priceDimensions"].values()
    ]
    if len(dimensions) != 1:
        raise OfferError(f"{want.key}: SKU {sku} has {len(dimensions)} price dimensions, not 1")
    [dimension] = dimensions
    usd = Decimal(dimension["pricePerUnit"]["USD"])
    if usd <= 0:
        raise OfferError(f"{want.key}: SKU {sku} is priced {usd} USD; a free line is not a price")
    return {
        "service_code": want.service_code,
        "usage_type": want.usage_type,
        "unit": dimension["unit"],
        "usd": format(usd.normalize(), "f"),
        "source": source_name(want.service_code),
        "sku": sku,
    }


def source_name(service_code: str) -> str:
    """The snapshot's name for the offer file of `service_code`."""
    return f"aws:{service_code}"


def _matches(product: Mapping[str, Any], want: Wanted) -> bool:
    attributes = product.get("attributes", {})
    usage = attributes.get("usagetype", "")
    if usage != want.usage_type and not usage.endswith(f"-{want.usage_type}"):
        return False
    if want.product_family and product.get("productFamily") != want.product_family:
        return False
    return all(attributes.get(name) == value for name, value in want.attributes.items())
