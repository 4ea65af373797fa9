"""An estimate of one or more stacks (and its change against a baseline), as a table or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from chainops.cost.prices import Snapshot
from chainops.cost.rules import Cost
from chainops.cost.terraform import Document
from chainops.cost.usage import Usage

CENT = Decimal("0.01")


@dataclass(frozen=True)
class StackCost:
    """The costs of one stack's plan or state."""

    stack: str
    document: Document
    costs: tuple[Cost, ...]

    @property
    def monthly_usd(self) -> Decimal:
        """The priced resources' sum; the unpriced ones are listed, not counted."""
        return sum((c.monthly_usd or Decimal(0) for c in self.costs), Decimal(0))

    @property
    def unpriced(self) -> list[Cost]:
        return [c for c in self.costs if c.status == "unpriced"]


@dataclass(frozen=True)
class Estimate:
    """Every stack of one environment and region, and the baseline it is compared with."""

    environment: str
    region: str
    snapshot: Snapshot
    usage: Usage
    stacks: tuple[StackCost, ...]
    baseline: tuple[StackCost, ...] = ()

    @property
    def monthly_usd(self) -> Decimal:
        return sum((s.monthly_usd for s in self.stacks), Decimal(0))

    @property
    def delta_usd(self) -> Decimal | None:
        """The change from the baseline, None without one."""
        if not self.baseline:
            return None
        return self.monthly_usd - sum((s.monthly_usd for s in self.baseline), Decimal(0))


def usd(amount: Decimal) -> str:
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def _figure(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def to_json(estimate: Estimate) -> dict[str, Any]:
    """The estimate as JSON-ready data; money as strings of exact cents."""
    data: dict[str, Any] = {
        "environment": estimate.environment,
        "region": estimate.region,
        "currency": "USD",
        "snapshot_sources": {k: dict(v) for k, v in estimate.snapshot.sources.items()},
        "usage_assumptions": estimate.usage.as_dict(),
        "stacks": [_stack_json(s) for s in estimate.stacks],
        "monthly_usd": usd(estimate.monthly_usd),
    }
    if estimate.baseline:
        data["baseline"] = [_stack_json(s) for s in estimate.baseline]
        data["delta_monthly_usd"] = usd(estimate.delta_usd or Decimal(0))
    return data


def _stack_json(stack: StackCost) -> dict[str, Any]:
    return {
        "stack": stack.stack,
        "file": str(stack.document.path),
        "kind": stack.document.kind,
        "monthly_usd": usd(stack.monthly_usd),
        "unpriced": [c.resource.address for c in stack.unpriced],
        "resources": [_cost_json(c) for c in stack.costs],
    }


def _cost_json(cost: Cost) -> dict[str, Any]:
    monthly = cost.monthly_usd
    data: dict[str, Any] = {
        "address": cost.resource.address,
        "type": cost.resource.type,
        "status": cost.status,
        "monthly_usd": None if monthly is None else usd(monthly),
    }
    if cost.reason:
        data["reason"] = cost.reason
    if cost.lines:
        data["lines"] = [
            {
                "description": line.description,
                "quantity": _figure(line.quantity),
                "unit": line.unit,
                "unit_usd": _figure(line.unit_usd),
                "monthly_usd": usd(line.monthly_usd),
                "price": line.price_key,
                "assumption": line.assumption,
            }
            for line in cost.lines
        ]
    return data


def to_table(estimate: Estimate) -> str:
    """The estimate for a terminal: each priced line, then the unpriced, the totals, the delta."""
    out = [
        f"environment {estimate.environment}, region {estimate.region}, On-Demand USD/month;"
        f" {_usage_line(estimate.usage)}"
    ]
    for stack in estimate.stacks:
        out.append("")
        out.append(f"stack {stack.stack} ({stack.document.kind} {stack.document.path})")
        rows = [("resource", "line", "quantity", "unit", "USD/unit", "USD/month")]
        for cost in stack.costs:
            for line in cost.lines:
                rows.append(
                    (
                        cost.resource.address,
                        line.description + (f" [{line.assumption}]" if line.assumption else ""),
                        _figure(line.quantity),
                        line.unit,
                        _figure(line.unit_usd),
                        usd(line.monthly_usd),
                    )
                )
        out.extend(_columns(rows))
        free = sum(1 for c in stack.costs if c.status == "free")
        out.append(f"free: {free} resources (their types cost nothing themselves)")
        for cost in stack.unpriced:
            out.append(f"unpriced: {cost.resource.address}: {cost.reason}")
        left_out = f", {len(stack.unpriced)} unpriced not counted" if stack.unpriced else ""
        out.append(f"stack {stack.stack}: {usd(stack.monthly_usd)} USD/month{left_out}")
    out.append("")
    unpriced = sum(len(s.unpriced) for s in estimate.stacks)
    note = f" ({unpriced} unpriced resources not counted)" if unpriced else ""
    out.append(f"total: {usd(estimate.monthly_usd)} USD/month{note}")
    delta = estimate.delta_usd
    if delta is not None:
        verb = "adds" if delta >= 0 else "saves"
        out.append(f"this change {verb} {usd(abs(delta))} USD/month")
    return "\n".join(out) + "\n"


def _usage_line(usage: Usage) -> str:
    return "assumed: " + ", ".join(f"{k} {v}" for k, v in usage.as_dict().items())


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = {2, 4, 5}
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
