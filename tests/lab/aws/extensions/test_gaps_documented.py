"""The table of moto gaps in docs/lab.md stays in step with the extensions."""

from __future__ import annotations

from chainops.lab.aws.extensions import GAPS
from chainops.paths import REPO_ROOT


def test_every_gap_is_documented() -> None:
    """Each GAPS row appears as a row of the docs table, word for word."""
    page = (REPO_ROOT / "docs" / "lab.md").read_text()
    for gap in GAPS:
        assert f"| {gap.service} | {gap.api} | {gap.moto} | {gap.lab} |" in page
