"""`scripts/price-snapshot`: rebuild a region's snapshot from the AWS Price List bulk API.

Reads the keys to price from the committed snapshot (plus `--instance-type`s), downloads each
service's regional offer file (`/offers/v1.0/aws/{code}/current/{region}/index.json`) and writes
the snapshot with every price taken from the offer file and each offer's publication date.
AmazonEC2's regional file is several GB: run it where that fits in memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chainops.cost import offers, prices
from chainops.errors import ChainopsError

BULK_API = "https://pricing.us-east-1.amazonaws.com"
TIMEOUT_S = 600  # one offer file; AmazonEC2's is the large one


def offer_url(base: str, service_code: str, region: str) -> str:
    return f"{base}/offers/v1.0/aws/{service_code}/current/{region}/index.json"


def build(
    current: dict[str, Any], *, region: str, base: str, instance_types: Sequence[str]
) -> dict[str, Any]:
    """The new snapshot document of `region` for the keys of `current` and `instance_types`."""
    wanted = offers.wanted(current.get("prices", {}), instance_types)
    found: dict[str, dict[str, str]] = {}
    sources: dict[str, dict[str, str | None]] = {}
    for code in sorted({w.service_code for w in wanted}):
        url = offer_url(base, code, region)
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as answer:  # noqa: S310  # https or a test's file:
            offer = json.load(answer)
        sources[offers.source_name(code)] = {
            "what": f"AWS Price List bulk offer file {code} {region}, OnDemand terms, "
            f"version {offer.get('version')}",
            "url": url,
            "published": offer.get("publicationDate"),
        }
        for want in (w for w in wanted if w.service_code == code):
            found[want.key] = offers.select(offer, want)
    return {
        "region": region,
        "currency": "USD",
        "term": "OnDemand",
        "notes": current.get("notes", ""),
        "sources": sources,
        "prices": dict(sorted(found.items())),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="price-snapshot", description=__doc__)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--instance-type", action="append", default=[], dest="instance_types")
    parser.add_argument("--base-url", default=BULK_API, help=f"the bulk API ({BULK_API})")
    parser.add_argument("--out", type=Path, help="default: the committed snapshot of --region")
    args = parser.parse_args(argv)
    path = prices.SNAPSHOTS / f"{args.region}.json"
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    try:
        document = build(
            current, region=args.region, base=args.base_url, instance_types=args.instance_types
        )
    except (ChainopsError, OSError) as exc:
        print(f"price-snapshot: {exc}", file=sys.stderr)
        return 1
    out: Path = args.out or path
    out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"price-snapshot: {len(document['prices'])} prices -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
