"""Who is asking: the lab host container behind a request's source address.

A host is the podman container named by its instance id; its labels (set by the reconciler)
name the lab AWS that owns it, so several labs on one podman machine each answer for their own.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from chainops.lab.hosts import podman
from chainops.lab.hosts.reconciler import ENDPOINT_LABEL, LABEL, REGION_LABEL

# Addresses are re-read at least this often: a removed host's address may go to a new one.
REFRESH_S = 2.0


@dataclass(frozen=True)
class Caller:
    """A running lab host, as a request's source address identifies it."""

    instance_id: str
    address: str  # the container's IPv4 address, the request's source
    endpoint: str  # the lab AWS that launched the instance
    region: str


class Callers:
    """Source address -> lab host, read from podman; thread-safe."""

    def __init__(self, *, refresh_s: float = REFRESH_S) -> None:
        self._refresh_s = refresh_s
        self._lock = threading.Lock()
        self._by_address: dict[str, Caller] = {}
        self._read_at = float("-inf")

    def find(self, address: str) -> Caller | None:
        """The host with this address; podman is asked again when the table is old or lacks it."""
        with self._lock:
            stale = time.monotonic() - self._read_at > self._refresh_s
            if stale or address not in self._by_address:
                self._by_address = _read()
                self._read_at = time.monotonic()
            return self._by_address.get(address)


def _read() -> dict[str, Caller]:
    running = [c["Id"] for c in podman.containers(LABEL) if c.get("State") == "running"]
    if not running:
        return {}
    # A host removed since `ps` makes inspect fail for it only; the others are still printed.
    inspected: list[dict[str, Any]] = json.loads(
        podman.run("inspect", "--type", "container", *running, check=False) or "[]"
    )
    found: dict[str, Caller] = {}
    for container in inspected:
        labels = container.get("Config", {}).get("Labels") or {}
        networks = container.get("NetworkSettings", {}).get("Networks") or {}
        for network in networks.values():
            address = network.get("IPAddress")
            if address and ENDPOINT_LABEL in labels:
                found[address] = Caller(
                    instance_id=labels[LABEL],
                    address=address,
                    endpoint=labels[ENDPOINT_LABEL],
                    region=labels.get(REGION_LABEL, ""),
                )
    return found
