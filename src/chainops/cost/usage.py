"""The usage a monthly cost assumes where the plan cannot say it: one home for each figure."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Usage:
    """Monthly usage assumed for every line whose quantity is not in the plan."""

    hours_per_month: Decimal = Decimal(730)  # AWS's own monthly figure: 24 h x 365 d / 12
    nat_gateway_gb: Decimal = Decimal(100)  # data processed by each NAT gateway, GB/month
    alb_lcu: Decimal = Decimal(1)  # load balancer capacity units an ALB uses, on average

    def as_dict(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}
