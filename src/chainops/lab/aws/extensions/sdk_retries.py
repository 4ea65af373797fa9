"""An SDK's retry of a call the lab has already answered with success gets that answer again.

Under load, about one call a minute of a Terraform apply reaches the lab, is carried out and
answered, and the provider never reads the answer: a packet capture on the loopback
(2026-12-07, an apply beside three busy processes) showed the answer (status, headers and
body complete, its CRC32 right) arrive and the Go client reset the connection without reading
it, then retry with the same ``amz-sdk-invocation-id`` and ``amz-sdk-request: attempt=2``;
that apply retried CreateRouteTable, DescribeSubnets, GetItem and ListTagsOfResource so. The
cause is on the loopback path between werkzeug's development server and Go's transport, not
in the call. A call carried out twice fails or leaks where an AWS apply would not: a second
route table; InvalidPermission.Duplicate from AuthorizeSecurityGroupIngress (a make lab run)
and a 500 from ReplaceNetworkAclAssociation, the association already moved (CI), both that
day; a state lock that finds its own first attempt.

So the lab keeps its last successful answers by invocation id, and a later attempt of the same
invocation is answered from there, as if the first answer had arrived. Only 2xx answers are
kept: an SDK retries after an error it read (throttling, a 5xx, an injected fault) and that
retry must run again. A retry that arrives while the first attempt is still running waits for
it.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

# The answers kept, oldest dropped first: an SDK retries within seconds (Terraform's provider
# after 0.1-2 s), and at the pipeline's 4,000 tx/s the lab answers about 10 MiB a second.
REMEMBERED_BYTES = 64 << 20
# The largest answer kept (S3 GetObject of a big object is not; Terraform's state is far less).
LARGEST_ANSWER = 1 << 20
# How long a retry waits for its first attempt, still running, to finish.
WAIT_FOR_FIRST_SECONDS = 60.0

Answer = tuple[str, list[tuple[str, str]], bytes]

log = logging.getLogger(__name__)

_lock = threading.Lock()
_answers: OrderedDict[str, Answer] = OrderedDict()
_kept_bytes = [0]
_running: dict[str, threading.Event] = {}


def _first_attempt(environ: dict[str, Any]) -> bool:
    return str(environ.get("HTTP_AMZ_SDK_REQUEST", "attempt=1")).startswith("attempt=1;")


def _replay(answer: Answer, start_response: Callable[..., Any]) -> Iterable[bytes]:
    status, headers, body = answer
    start_response(status, headers)
    return [body]


def handle(
    app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]],
    environ: dict[str, Any],
    start_response: Callable[..., Any],
) -> Iterable[bytes]:
    """Answer one WSGI request through `app`, remembering or replaying SDK invocations."""
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
    if not invocation:
        return app(environ, start_response)
    if not _first_attempt(environ):
        with _lock:
            running = _running.get(invocation)
        if running is not None:
            running.wait(WAIT_FOR_FIRST_SECONDS)
        with _lock:
            answer = _answers.get(invocation)
        if answer is not None:
            # Rare (about one call a minute under load) and the sign of a lost answer: logged.
            log.warning(
                "answered %s of invocation %s (%s) with its first attempt's answer",
                environ.get("HTTP_AMZ_SDK_REQUEST", "").split(";")[0],
                invocation,
                environ.get("HTTP_X_AMZ_TARGET") or environ.get("PATH_INFO", ""),
            )
            return _replay(answer, start_response)
    done = threading.Event()
    with _lock:
        _running[invocation] = done
    try:
        return _answer_and_remember(app, environ, start_response, invocation)
    finally:
        with _lock:
            _running.pop(invocation, None)
        done.set()


def _answer_and_remember(
    app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]],
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    invocation: str,
) -> Iterable[bytes]:
    started: list[Any] = []

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return start_response(status, headers, exc_info)

    answer = app(environ, capture)
    if not started or not str(started[0]).startswith("2"):
        return answer
    try:
        body = b"".join(answer)
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()
    if len(body) <= LARGEST_ANSWER:
        with _lock:
            _answers[invocation] = (started[0], list(started[1]), body)
            _kept_bytes[0] += len(body)
            while _kept_bytes[0] > REMEMBERED_BYTES:
                _kept_bytes[0] -= len(_answers.popitem(last=False)[1][2])
    return [body]


def forget() -> None:
    """Drop every remembered answer (a lab reset: the state they came from is gone)."""
    with _lock:
        _answers.clear()
        _kept_bytes[0] = 0


def install() -> None:
    from moto.moto_api._internal.models import MotoAPIBackend
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__

    def __call__(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        return handle(lambda e, s: original(self, e, s), environ, start_response)

    DomainDispatcherApplication.__call__ = __call__
    reset = MotoAPIBackend.reset

    def reset_forgets(backend: Any) -> None:
        reset(backend)
        forget()

    MotoAPIBackend.reset = reset_forgets
