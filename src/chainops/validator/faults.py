"""Faults switchable at run time over `POST /chainops/faults`, and a small client for them."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import asdict, dataclass, fields
from typing import Any

FAULTS_PATH = "/chainops/faults"


@dataclass
class Faults:
    """The node's live fault switches; the admin endpoint edits them field by field."""

    stall_slots: bool = False  # no new slots (and no notifications) until switched off
    skip_probability: float | None = None  # overrides --skip-probability while set
    skip_next: int = 0  # skip exactly this many upcoming slots
    http_429: bool = False  # every RPC request answers 429 Too Many Requests
    retry_after_s: int = 1
    slow_ms: int = 0  # delay every RPC response
    ws_reject: bool = False  # refuse new websocket upgrades with 429

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a JSON object of changes; unknown names or wrong types raise ValueError."""
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown fault {name!r}; known: {sorted(known)}")
            current = getattr(self, name)
            if name == "skip_probability":
                if value is not None and not (isinstance(value, int | float) and 0 <= value < 1):
                    raise ValueError("skip_probability must be null or in [0, 1)")
            elif isinstance(current, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer")
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultsClient:
    """Switch a running validator's faults: `FaultsClient("http://127.0.0.1:8899")`."""

    def __init__(self, rpc_url: str, *, timeout: float = 5.0) -> None:
        self.url = rpc_url.rstrip("/") + FAULTS_PATH
        self.timeout = timeout

    def _call(self, body: dict[str, Any] | None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own node
            self.url,
            data=data,
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            result: dict[str, Any] = json.load(response)
        return result

    def get(self) -> dict[str, Any]:
        return self._call(None)

    def set(self, **changes: Any) -> dict[str, Any]:
        return self._call({"set": changes})

    def drop_websockets(self) -> int:
        return int(self._call({"drop_websockets": True})["dropped"])

    def clear(self) -> dict[str, Any]:
        return self._call({"clear": True})
