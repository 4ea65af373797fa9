"""Client for the lab's fault injection (``/moto-api/chainops/faults``).

A test makes the lab's Kinesis throttle, then checks that the code under test retries::

    faults.inject(settings, faults.KinesisFault(operation="PutRecords", count=2))
    faults.inject(settings, faults.KinesisFault("PutRecords", mode="partial", fraction=0.25))
    ...
    faults.clear(settings)

Faults are also cleared by a lab reset.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Any, Literal

from chainops.errors import LabError
from chainops.lab.settings import LabSettings

Operation = Literal["PutRecord", "PutRecords"]
Mode = Literal["fail", "partial"]


@dataclass(frozen=True)
class KinesisFault:
    """What to inject: see ``chainops.lab.aws.extensions.kinesis`` for the semantics.

    ``count`` is how many matching calls the fault affects (None: every call until cleared);
    ``fraction`` is the share of a PutRecords batch that fails in ``partial`` mode; ``stream``
    restricts the fault to one stream (by name).
    """

    operation: Operation
    mode: Mode = "fail"
    count: int | None = 1
    fraction: float = 0.5
    stream: str | None = None
    error: str = "ProvisionedThroughputExceededException"


def _url(settings: LabSettings, query: str = "") -> str:
    return f"{settings.endpoint}/moto-api/chainops/faults{query}"


def _call(request: urllib.request.Request) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - lab URL
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")
        raise LabError(f"lab fault API refused {request.get_method()}: {detail}") from error
    except OSError as error:
        raise LabError(f"lab fault API at {request.full_url} unreachable: {error}") from error


def inject(settings: LabSettings, fault: KinesisFault) -> str:
    """Add a fault to the running lab; its id (for ``clear``)."""
    request = urllib.request.Request(  # noqa: S310 - fixed http URL
        _url(settings),
        data=json.dumps(asdict(fault)).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    return str(_call(request)["id"])


def active(settings: LabSettings) -> list[dict[str, Any]]:
    """The faults in force, with how often each has fired and the calls it has left."""
    request = urllib.request.Request(_url(settings))  # noqa: S310 - fixed http URL
    faults: list[dict[str, Any]] = _call(request)["faults"]
    return faults


def clear(settings: LabSettings, fault_id: str | None = None) -> int:
    """Remove one fault, or all of them; how many were removed."""
    query = f"?id={fault_id}" if fault_id else ""
    request = urllib.request.Request(_url(settings, query), method="DELETE")  # noqa: S310
    return int(_call(request)["removed"])
