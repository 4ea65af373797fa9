"""moto's request and response handling, without the work repeated on every call.

Three costs of every call, found with `benchmarks/lab_aws.py --profile` (samples of
the thread holding the GIL), together about a sixth of the lab's CPU:

- ``BaseResponse._get_param`` parses the whole request body again for each parameter it is
  asked for: a PutRecords of 500 records was parsed once per parameter read. The lab parses a
  body once (orjson, with the standard parser where orjson refuses, e.g. integers beyond 64
  bits) and answers the next lookups of the same body from that.
- ``BaseResponse._enrich_response`` runs a regular expression over every response body to put
  the request id into an XML ``<RequestId>``, including JSON answers of hundreds of kilobytes.
  The lab runs it only where the body has that element; the result is the same.
- ``BaseResponse.call_action`` lists the handler class's methods (``inspect.getmembers``) on
  every call to see whether the action is one; the lab lists each class once.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

import orjson

_last = threading.local()


class _BodyOnceJson:
    """The ``json`` module as moto.core.responses sees it: ``loads`` remembers the last body it
    parsed on this thread (by identity: a new request's body is a new object)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    @staticmethod
    def loads(document: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return json.loads(document, *args, **kwargs)
        if getattr(_last, "document", None) is document:
            return _last.parsed
        try:
            parsed = orjson.loads(document)
        except orjson.JSONDecodeError:
            parsed = json.loads(document)  # raises what moto expects where both refuse
        _last.document, _last.parsed = document, parsed
        return parsed


def install() -> None:
    from moto.core import responses

    responses.json = _BodyOnceJson()
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)
    original = responses.BaseResponse._enrich_response

    @functools.wraps(original)
    def enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
        if isinstance(body, str) and "<RequestId>" in body:
            return original(headers, body)  # type: ignore[no-any-return]
        if "status" in headers:
            headers["status"] = str(headers["status"])
        responses.gen_amzn_requestid_long(headers)
        return headers, body

    responses.BaseResponse._enrich_response = staticmethod(enrich_response)
