"""SQS: RedriveAllowPolicy kept and read back, so aws_sqs_queue_redrive_allow_policy applies.

moto 5.2.5 accepts RedriveAllowPolicy in SetQueueAttributes but never returns it: GetQueue-
Attributes omits it from ``All`` and rejects the name itself (InvalidAttributeName). Terraform
writes the policy, then waits for it to read back, until its timeout (20 minutes).

The lab returns the stored policy in the compact JSON form AWS uses, for ``All`` and by name.
"""

from __future__ import annotations

import functools
import json
from typing import Any

ATTRIBUTE = "RedriveAllowPolicy"


def _compact(policy: Any) -> str:
    value = json.loads(policy) if isinstance(policy, str) else policy
    return json.dumps(value, separators=(",", ":"))


def _with_redrive_allow(original: Any) -> Any:
    @functools.wraps(original.fget)
    def attributes(self: Any) -> dict[str, Any]:
        result: dict[str, Any] = original.fget(self)
        policy = getattr(self, "redrive_allow_policy", None)
        if policy:
            result[ATTRIBUTE] = _compact(policy)
        return result

    return property(attributes)


def install() -> None:
    from moto.sqs.models import Queue, SQSBackend

    Queue.attributes = _with_redrive_allow(Queue.attributes)
    original = SQSBackend.get_queue_attributes

    @functools.wraps(original)
    def get_queue_attributes(
        self: Any, queue_name: str, attribute_names: list[str]
    ) -> dict[str, Any]:
        others = [name for name in attribute_names if name != ATTRIBUTE]
        result: dict[str, Any] = original(self, queue_name, others) if others else {}
        if ATTRIBUTE in attribute_names:
            policy = self.get_queue(queue_name).attributes.get(ATTRIBUTE)
            if policy is not None:
                result[ATTRIBUTE] = policy
        return result

    SQSBackend.get_queue_attributes = get_queue_attributes
