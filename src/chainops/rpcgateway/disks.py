"""How full the node's filesystems are, for the gateway's /health: a node whose ledger (or
accounts) filesystem is full, or nearly, is unhealthy before it stops writing."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    """One path's filesystem: used percent as `df` shows it (used / (used + available to
    unprivileged users), rounded up), or why it could not be read."""

    path: str
    percent: int | None
    error: str | None = None

    def describe(self) -> str:
        return (
            f"{self.path} unreadable: {self.error}"
            if self.error
            else f"{self.path} {self.percent}% used"
        )


def usage(path: str) -> Usage:
    try:
        fs = os.statvfs(path)
    except OSError as error:
        return Usage(path, None, error.strerror or type(error).__name__)
    used = fs.f_blocks - fs.f_bfree
    total = used + fs.f_bavail
    return Usage(path, math.ceil(100 * used / total) if total else 0)


@dataclass(frozen=True)
class Watch:
    """Filesystems (by a path on each) that must stay at or below `max_used_percent`."""

    paths: tuple[str, ...] = ()
    max_used_percent: float = 100.0

    def over(self) -> list[Usage]:
        """The paths whose filesystem is fuller than allowed, or unreadable (a ledger mount
        gone is no healthier than a full one)."""
        seen = [usage(path) for path in self.paths]
        return [u for u in seen if u.percent is None or u.percent > self.max_used_percent]
