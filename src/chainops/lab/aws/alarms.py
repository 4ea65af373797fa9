"""Client for the lab's alarm evaluation (``/moto-api/chainops/alarms/evaluate``).

The lab evaluates every metric alarm every few seconds on its own, as CloudWatch does each
minute; a test, or a playbook about to report alarm states, asks for an evaluation now::

    alarms.evaluate(settings)  # {"evaluated": 12, "changed": 3}
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from chainops.errors import LabError
from chainops.lab.settings import LabSettings


def evaluate(settings: LabSettings) -> dict[str, int]:
    """Evaluate every alarm of the running lab now: how many were evaluated and changed."""
    url = f"{settings.endpoint}/moto-api/chainops/alarms/evaluate"
    request = urllib.request.Request(url, method="POST")  # noqa: S310 - fixed http URL
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - lab URL
            counts: dict[str, int] = json.load(response)
    except (OSError, ValueError) as error:
        raise LabError(f"lab alarm evaluation at {url} failed: {error}") from error
    return counts
