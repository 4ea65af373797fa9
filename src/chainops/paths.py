"""Where chainops keeps its files: the repository, the cache (slow set-up) and lab state."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The Ansible collection chainops.platform: roles, playbooks and plugins.
COLLECTION_ROOT = REPO_ROOT / "collections" / "ansible_collections" / "chainops" / "platform"


def cache_dir() -> Path:
    """Slow, reusable set-up (virtualenvs, base image, Terraform plugins), kept outside the repo."""
    explicit = os.environ.get("CHAINOPS_CACHE")
    base = Path(explicit) if explicit else _xdg("XDG_CACHE_HOME", ".cache") / "chainops"
    base.mkdir(parents=True, exist_ok=True)
    return base


def state_dir() -> Path:
    """Runtime state of the lab: pid and log files, loop-device backing files."""
    explicit = os.environ.get("CHAINOPS_STATE")
    base = Path(explicit) if explicit else _xdg("XDG_STATE_HOME", ".local/state") / "chainops"
    base.mkdir(parents=True, exist_ok=True)
    return base


def containers_conf() -> Path:
    """The project's podman configuration (runtime and ulimits that fit the sandbox)."""
    return REPO_ROOT / "containers" / "containers.conf"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path.home() / fallback
