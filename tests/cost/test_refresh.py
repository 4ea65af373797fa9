from __future__ import annotations

import json
from pathlib import Path

from chainops.cost import refresh
from tests.cost.test_offers import OFFER, PRODUCTS


def test_rebuild_from_offer_files(tmp_path: Path) -> None:
    """The rebuilt snapshot takes each price and the publication date from the offer file it
    downloads (here a file: URL in the bulk API's layout)."""
    url = refresh.offer_url(tmp_path.as_uri(), "AmazonEC2", "us-east-1")
    offer_file = tmp_path / url.removeprefix(tmp_path.as_uri() + "/")
    offer_file.parent.mkdir(parents=True)
    regional = {
        **OFFER,
        "products": {k: v for k, v in PRODUCTS.items() if k != "NAT_OHIO"},
    }
    offer_file.write_text(json.dumps(regional), encoding="utf-8")
    current = {
        "prices": {
            "ec2.nat_gateway.hour": {"service_code": "AmazonEC2", "usage_type": "NatGateway-Hours"}
        }
    }
    document = refresh.build(
        current, region="us-east-1", base=tmp_path.as_uri(), instance_types=["m5.large"]
    )
    assert {k: v["usd"] for k, v in document["prices"].items()} == {
        "ec2.instance.m5.large": "0.096",
        "ec2.nat_gateway.hour": "0.045",
    }
    assert document["sources"]["aws:AmazonEC2"]["published"] == "2025-03-01T00:00:00Z"
    assert document["sources"]["aws:AmazonEC2"]["url"] == url
