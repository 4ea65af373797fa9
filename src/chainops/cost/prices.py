"""The price snapshot: one committed JSON file per region under `prices/`, read here only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from chainops.errors import UsageError

SNAPSHOTS = Path(__file__).parent / "prices"


@dataclass(frozen=True)
class Price:
    """One On-Demand price: what the AWS Price List calls it and what it costs per unit."""

    key: str
    service_code: str
    usage_type: str
    unit: str
    usd: Decimal
    source: str


@dataclass(frozen=True)
class Snapshot:
    """The prices of one region and where they came from (`sources`: name -> its record)."""

    region: str
    sources: Mapping[str, Mapping[str, str | None]]
    prices: Mapping[str, Price]

    def get(self, key: str) -> Price | None:
        return self.prices.get(key)


def regions() -> list[str]:
    """The regions a snapshot is committed for."""
    return sorted(p.stem for p in SNAPSHOTS.glob("*.json"))


def load(region: str) -> Snapshot:
    """The snapshot of `region`; UsageError naming the region if none is committed."""
    path = SNAPSHOTS / f"{region}.json"
    if not path.is_file():
        known = ", ".join(regions())
        raise UsageError(f"--region {region}: no price snapshot for it (snapshots: {known})")
    document = json.loads(path.read_text(encoding="utf-8"))
    prices = {
        key: Price(
            key=key,
            service_code=entry["service_code"],
            usage_type=entry["usage_type"],
            unit=entry["unit"],
            usd=Decimal(entry["usd"]),
            source=entry["source"],
        )
        for key, entry in document["prices"].items()
    }
    return Snapshot(
        region=document["region"],
        sources=MappingProxyType(document["sources"]),
        prices=MappingProxyType(prices),
    )
