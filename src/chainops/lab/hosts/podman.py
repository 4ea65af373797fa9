"""A thin, typed wrapper over the podman CLI (the project's containers.conf applied)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from chainops import paths
from chainops.errors import LabError


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("CONTAINERS_CONF", str(paths.containers_conf()))
    return env


def run(*args: str, check: bool = True, stdin: bytes | None = None) -> str:
    """Run `podman ARGS`, returning stdout; a failure raises LabError with podman's message."""
    try:
        done = subprocess.run(
            ["podman", *args], input=stdin, capture_output=True, env=_env(), check=False
        )
    except FileNotFoundError as exc:
        raise LabError("podman is not installed: run `make bootstrap`") from exc
    if check and done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise LabError(f"podman {' '.join(args[:2])} failed: {message}")
    return done.stdout.decode(errors="replace")


def containers(label: str) -> list[dict[str, Any]]:
    """All containers (running or not) carrying a label key."""
    listed: list[dict[str, Any]] = json.loads(
        run("ps", "--all", "--format", "json", "--filter", f"label={label}") or "[]"
    )
    return listed


def image_exists(ref: str) -> bool:
    done = subprocess.run(["podman", "image", "exists", ref], env=_env(), check=False)
    return done.returncode == 0
