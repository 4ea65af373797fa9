"""SQS: RedrivePolicy read back in the compact JSON form AWS returns.

moto re-serialises the policy with ``json.dumps`` defaults (``", "`` and ``": "``); AWS and
Terraform's ``jsonencode`` use the compact form, so every plan of a queue with a DLQ showed a
perpetual ``redrive_policy`` diff.
"""

from __future__ import annotations

import functools
import json
from typing import Any


def _compact_redrive(original: Any) -> Any:
    @functools.wraps(original)
    def attributes(self: Any) -> dict[str, Any]:
        result: dict[str, Any] = original.fget(self)
        if self.redrive_policy:
            result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
        return result

    return property(attributes)


def install() -> None:
    from moto.sqs.models import Queue

    Queue.attributes = _compact_redrive(Queue.attributes)
