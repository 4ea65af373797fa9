"""The CI entry: run site.yml or a phase through ansible-runner's Python API.

A private data dir holds everything of one run (`env/`, `artifacts/<ident>/`: stdout, job
events, status and rc), so CI can keep it as a build artifact; without one, the run uses a
temporary dir and removes it at the end, whatever the outcome. Events stream to the caller
while the play runs; the exit code is the play's.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from chainops.errors import RunError
from chainops.paths import REPO_ROOT

PLAYBOOK_DIRS = (REPO_ROOT, REPO_ROOT / "playbooks")


@dataclass(frozen=True)
class RunRequest:
    """What to run, validated before anything starts."""

    playbook: Path
    # None: a temporary dir, removed after the run.
    private_data_dir: Path | None = None
    inventory: Path | None = None
    limit: str | None = None
    tags: str | None = None
    check: bool = False
    extra_vars: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.inventory is not None and not self.inventory.exists():
            raise RunError(f"-i {self.inventory}: no such inventory")
        data_dir = self.private_data_dir
        if data_dir is not None and data_dir.exists() and not data_dir.is_dir():
            raise RunError(f"--private-data-dir {data_dir}: exists and is not a directory")


@dataclass(frozen=True)
class RunResult:
    """How the run ended and where its artifacts are."""

    status: str
    rc: int
    # None when the run's temporary dir is gone (no --private-data-dir).
    artifacts: Path | None
    failed_hosts: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rc": self.rc,
            "artifacts": None if self.artifacts is None else str(self.artifacts),
            "failed_hosts": list(self.failed_hosts),
        }


def resolve_playbook(name: str) -> Path:
    """A playbook by path, or by name in the repo root or playbooks/."""
    candidates = [Path(name)] + [d / name for d in PLAYBOOK_DIRS]
    candidates += [d / f"{name}.yml" for d in PLAYBOOK_DIRS]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    known = sorted(
        str(p.relative_to(REPO_ROOT)) for d in PLAYBOOK_DIRS for p in d.glob("*.yml") if p.is_file()
    )
    raise RunError(f"no playbook {name!r}; known: {', '.join(known)}")


def run(
    request: RunRequest, *, on_event: Callable[[dict[str, Any]], None] | None = None
) -> RunResult:
    """Run the playbook; `on_event` sees every runner event as it happens."""
    if request.private_data_dir is not None:
        return _run_in(request.private_data_dir, request, on_event=on_event)
    with tempfile.TemporaryDirectory(prefix="chainops-run-") as data_dir:
        result = _run_in(Path(data_dir), request, on_event=on_event)
    return RunResult(result.status, result.rc, None, result.failed_hosts)


def _run_in(
    data_dir: Path,
    request: RunRequest,
    *,
    on_event: Callable[[dict[str, Any]], None] | None,
) -> RunResult:
    import ansible_runner

    data_dir.mkdir(parents=True, exist_ok=True)
    # ansible-runner adds what an earlier run left in env/ (its cmdline, extra vars) to this
    # run's own: a --check or an extra var such as terraform_stack_allow_destroy would carry over.
    shutil.rmtree(data_dir / "env", ignore_errors=True)
    cmdline = "--check --diff" if request.check else None
    envvars = {
        "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        # ansible-playbook and chainops from this venv, whatever PATH CI has.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }

    def handle(event: dict[str, Any]) -> bool:
        if on_event is not None:
            on_event(event)
        return True  # keep the event in artifacts/<ident>/job_events

    runner = ansible_runner.run(
        private_data_dir=str(data_dir),
        project_dir=str(REPO_ROOT),
        playbook=str(request.playbook),
        inventory=str(request.inventory.resolve()) if request.inventory else None,
        limit=request.limit,
        tags=request.tags,
        cmdline=cmdline,
        extravars=dict(request.extra_vars),
        envvars=envvars,
        event_handler=handle,
        quiet=True,
    )
    stats = runner.stats or {}
    failed = sorted(set(stats.get("failures", {})) | set(stats.get("dark", {})))
    return RunResult(
        status=str(runner.status),
        rc=int(runner.rc),
        artifacts=Path(runner.config.artifact_dir),
        failed_hosts=tuple(failed),
    )


def print_event(stream: TextIO, *, as_json: bool) -> Callable[[dict[str, Any]], None]:
    """An event handler writing Ansible's own output lines, or one JSON event per line."""

    def emit(event: dict[str, Any]) -> None:
        if as_json:
            keep = {k: event.get(k) for k in ("event", "counter", "uuid", "created")}
            data = event.get("event_data", {})
            keep.update({k: data[k] for k in ("host", "task", "play") if k in data})
            stream.write(json.dumps(keep) + "\n")
        elif event.get("stdout"):
            stream.write(event["stdout"] + "\n")
        stream.flush()

    return emit


def parse_extra_vars(pairs: Sequence[str]) -> dict[str, Any]:
    """key=value pairs (values parsed as JSON when they are JSON), or @file.json."""
    parsed: dict[str, Any] = {}
    for pair in pairs:
        if pair.startswith("@"):
            parsed.update(_extra_vars_file(Path(pair[1:])))
            continue
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise RunError(f"extra var {pair!r} is not key=value or @file.json")
        try:
            parsed[key] = json.loads(value)
        except json.JSONDecodeError:
            parsed[key] = value
    return parsed


def _extra_vars_file(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RunError(f"-e @{path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunError(f"-e @{path}: not a JSON file: {exc}") from None
    if not isinstance(loaded, dict):
        raise RunError(f"-e @{path}: must hold a JSON object, not a {type(loaded).__name__}")
    return loaded
