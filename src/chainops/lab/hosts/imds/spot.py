"""Spot interruption notices for lab instances: what `spot/instance-action` answers.

A notice is a small JSON file per instance under the lab's state directory, so a test or a
disaster-recovery drill sets one (`chainops lab interrupt`) and the metadata service reads it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from chainops import paths

Action = Literal["terminate", "stop", "hibernate"]
ACTIONS: tuple[Action, ...] = ("terminate", "stop", "hibernate")
# AWS gives a Spot instance two minutes' notice.
NOTICE = timedelta(minutes=2)


def notice_file(instance_id: str) -> Path:
    return paths.state_dir() / "imds" / "spot" / f"{instance_id}.json"


def interrupt(instance_id: str, *, action: Action = "terminate", at: datetime | None = None) -> str:
    """Set the instance's interruption notice (by default two minutes from now); returns it."""
    when = (at or datetime.now(UTC) + NOTICE).astimezone(UTC)
    body = json.dumps({"action": action, "time": when.strftime("%Y-%m-%dT%H:%M:%SZ")})
    path = notice_file(instance_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    return body


def clear(instance_id: str) -> bool:
    """Withdraw the instance's notice; True when there was one."""
    path = notice_file(instance_id)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def notice(instance_id: str) -> str | None:
    """The notice as IMDS serves it, or None (spot/instance-action then answers 404)."""
    try:
        return notice_file(instance_id).read_text()
    except FileNotFoundError:
        return None
