"""Client for the lab's fault injection (``/moto-api/chainops/faults``) and Kinesis trim.

A test makes a lab service fail, then checks that the code under test retries::

    faults.inject(settings, faults.KinesisFault(operation="PutRecords", count=2))
    faults.inject(settings, faults.KinesisFault("PutRecords", mode="partial", fraction=0.25))
    faults.inject(settings, faults.ServiceFault("s3", "PutObject", count=None, seconds=5))
    faults.inject(settings, faults.ServiceFault("dynamodb", error="InternalServerError"))
    ...
    faults.clear(settings)

Faults are also cleared by a lab reset. ``trim`` expires a stream's records as Kinesis
retention does (``/moto-api/chainops/kinesis/trim``).
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


@dataclass(frozen=True)
class ServiceFault:
    """Any service's calls fail: see ``chainops.lab.aws.extensions.faults``.

    ``operation`` None fails every operation of the service; ``error`` None is the service's
    throttling error (``status`` None: the error's usual HTTP status); the fault ends after
    ``count`` calls (None: no limit) or ``seconds`` (None: no limit), whichever comes first.
    """

    service: str
    operation: str | None = None
    count: int | None = None
    seconds: float | None = None
    error: str | None = None
    status: int | None = None


def _url(settings: LabSettings, query: str = "") -> str:
    return f"{settings.endpoint}/moto-api/chainops/faults{query}"


def _call(request: urllib.request.Request) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - lab URL
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")
        raise LabError(f"lab API refused {request.get_method()}: {detail}") from error
    except OSError as error:
        raise LabError(f"lab API at {request.full_url} unreachable: {error}") from error


def inject(settings: LabSettings, fault: KinesisFault | ServiceFault) -> str:
    """Add a fault to the running lab; its id (for ``clear``)."""
    body = {key: value for key, value in asdict(fault).items() if value is not None}
    body["count"] = fault.count  # None is meaningful: every call
    if isinstance(fault, KinesisFault):
        body["service"] = "kinesis"
    request = urllib.request.Request(  # noqa: S310 - fixed http URL
        _url(settings),
        data=json.dumps(body).encode(),
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


def trim(settings: LabSettings, stream: str, *, older_than_seconds: float = 0) -> dict[str, Any]:
    """Expire the stream's records older than that, as retention does: per shard, the first
    and last sequence numbers removed."""
    request = urllib.request.Request(  # noqa: S310 - fixed http URL
        f"{settings.endpoint}/moto-api/chainops/kinesis/trim",
        data=json.dumps({"stream": stream, "older_than_seconds": older_than_seconds}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    trimmed: dict[str, Any] = _call(request)["trimmed"]
    return trimmed
