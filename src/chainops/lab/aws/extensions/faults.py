"""Faults injected at run time: any service's calls answer errors for a count or a while.

``POST /moto-api/chainops/faults`` with a JSON body adds a fault, ``GET`` lists them,
``DELETE`` clears them (all, or one with ``?id=``); a lab reset clears them too. A fault
matches calls by ``service`` (the signing name: ``kinesis``, ``s3``, ``dynamodb``...) and
``operation`` (the API action, ``PutObject``; null: every operation of the service), and
affects the next ``count`` of them (null: every one) until ``seconds`` have passed since it was
added (null: no time limit), whichever ends first.

A matching call fails before it does anything, after the lab has authorised it, with the
fault's ``error`` code and HTTP ``status`` in the service's protocol (S3's XML, DynamoDB's
JSON...). Kinesis PutRecord and PutRecords faults are the Kinesis extension's: they also
have a ``partial`` mode and a ``stream`` filter (``chainops.lab.aws.extensions.kinesis``).

One port serves every service, so a fault is an error answer, never a refused connection.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from typing import Any

MODES = ("fail", "partial")
# The throttling error each service answers by default, and its HTTP status.
DEFAULT_ERRORS = {
    "kinesis": "ProvisionedThroughputExceededException",
    "dynamodb": "ProvisionedThroughputExceededException",
    "s3": "SlowDown",
}
_STATUS = {
    "SlowDown": 503,
    "ServiceUnavailable": 503,
    "InternalError": 500,
    "InternalServerError": 500,
    "InternalFailure": 500,
}
# Calls the Kinesis extension fails itself (after AWS's validation, with partial mode).
KINESIS_PUTS = ("PutRecord", "PutRecords")
_FIELDS = {
    "service",
    "operation",
    "mode",
    "count",
    "seconds",
    "fraction",
    "stream",
    "error",
    "status",
}


@dataclass
class Fault:
    """One injected fault, as POSTed (with defaults) and listed."""

    operation: str | None
    service: str = "kinesis"
    mode: str = "fail"
    count: int | None = 1
    seconds: float | None = None
    fraction: float = 0.5
    stream: str | None = None
    error: str = ""
    status: int = 400
    id: str = ""
    triggered: int = field(default=0)
    # time.monotonic() after which the fault no longer fires (None: never).
    ends: float | None = None


_faults: list[Fault] = []
_lock = threading.Lock()
_ids = itertools.count(1)


def parse_fault(body: dict[str, Any]) -> Fault:
    """A Fault from a request body; ValueError says what is wrong with it."""
    unknown = set(body) - _FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    service = str(body.get("service") or "kinesis")
    operation = body.get("operation")
    error = str(body.get("error") or DEFAULT_ERRORS.get(service, "ServiceUnavailable"))
    count = body.get("count", 1)
    seconds = body.get("seconds")
    fault = Fault(
        operation=None if operation is None else str(operation),
        service=service,
        mode=str(body.get("mode", "fail")),
        count=None if count is None else int(count),
        seconds=None if seconds is None else float(seconds),
        fraction=float(body.get("fraction", 0.5)),
        stream=body.get("stream"),
        error=error,
        status=int(body.get("status") or _STATUS.get(error, 400)),
    )
    kinesis_put = fault.service == "kinesis" and fault.operation in KINESIS_PUTS
    if fault.service == "kinesis" and not fault.operation:
        raise ValueError(f"kinesis faults name an operation, e.g. one of {KINESIS_PUTS}")
    if fault.mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if fault.mode == "partial" and not (kinesis_put and fault.operation == "PutRecords"):
        raise ValueError("mode partial applies to PutRecords only")
    if fault.stream is not None and not kinesis_put:
        raise ValueError(f"stream applies to Kinesis {' and '.join(KINESIS_PUTS)} only")
    if fault.count is not None and fault.count < 1:
        raise ValueError("count must be at least 1, or null for every call")
    if fault.seconds is not None and fault.seconds <= 0:
        raise ValueError("seconds must be positive, or null for no time limit")
    if not 0 < fault.fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    if not 400 <= fault.status <= 599:
        raise ValueError("status must be an HTTP error status (400-599)")
    return fault


def add_fault(fault: Fault) -> Fault:
    with _lock:
        fault.id = f"fault-{next(_ids)}"
        if fault.seconds is not None:
            fault.ends = time.monotonic() + fault.seconds
        _faults.append(fault)
    return fault


def clear_faults(fault_id: str | None = None) -> int:
    """Remove one fault (by id) or all; the number removed."""
    with _lock:
        before = len(_faults)
        _faults[:] = [f for f in _faults if fault_id is not None and f.id != fault_id]
        return before - len(_faults)


def _expire() -> None:
    now = time.monotonic()
    _faults[:] = [f for f in _faults if f.ends is None or f.ends > now]


def list_faults() -> list[dict[str, Any]]:
    with _lock:
        _expire()
        return [asdict(fault) for fault in _faults]


def take_fault(service: str, operation: str, stream: str | None = None) -> Fault | None:
    """The first fault matching a call, used up by it."""
    with _lock:
        _expire()
        for fault in _faults:
            if fault.service != service or fault.operation not in (None, operation):
                continue
            if fault.stream and fault.stream != stream:
                continue
            fault.triggered += 1
            if fault.count is not None:
                fault.count -= 1
                if fault.count == 0:
                    _faults.remove(fault)
            return fault
    return None


def _faults_route(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    json_type = {"Content-Type": "application/json"}
    if request.method == "GET":
        return 200, json_type, json.dumps({"faults": list_faults()})
    if request.method == "DELETE":
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(full_url).query)
        ids = query.get("id") or []
        removed = clear_faults(ids[0] if ids else None)
        return 200, json_type, json.dumps({"removed": removed})
    if request.method == "POST":
        try:
            raw = request.get_data() if hasattr(request, "get_data") else request.data
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            fault = add_fault(parse_fault(body))
        except (ValueError, TypeError) as error:
            return 400, json_type, json.dumps({"error": str(error)})
        return 201, json_type, json.dumps(asdict(fault))
    return 405, json_type, json.dumps({"error": "use GET, POST or DELETE"})


def _reset_clears_faults(original: Any) -> Any:
    @functools.wraps(original)
    def reset(self: Any) -> None:
        original(self)
        clear_faults()

    return reset


def _failing(original: Any) -> Any:
    """Authorisation, then the call's fault if one matches: every service's calls pass here."""

    @functools.wraps(original)
    def authorize(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        original(self, iam_request_cls, resource)
        service, operation = self.service_name, self._get_action()
        if service == "kinesis" and operation in KINESIS_PUTS:
            return  # the Kinesis extension's, after AWS's validation of the records
        fault = take_fault(service, operation)
        if fault is not None:
            from chainops.lab.aws.extensions.iam_enforcement import service_error

            message = f"{fault.error}: injected by the lab ({fault.id})"
            raise service_error(self, fault.error, message, fault.status)

    return authorize


def install() -> None:
    """After iam_enforcement: a refused call stays refused, an allowed one may then fail."""
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.moto_api._internal import urls
    from moto.moto_api._internal.models import MotoAPIBackend

    mixin = ActionAuthenticatorMixin
    mixin._authenticate_and_authorize_action = _failing(mixin._authenticate_and_authorize_action)
    MotoAPIBackend.reset = _reset_clears_faults(MotoAPIBackend.reset)
    urls.url_paths["{0}/moto-api/chainops/faults$"] = _faults_route
