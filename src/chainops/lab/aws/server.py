"""Lifecycle of the lab AWS process: start once, check health, stop."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chainops import paths
from chainops.errors import LabError
from chainops.lab.aws import clients, extensions
from chainops.lab.settings import LabSettings

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def pid_file(settings: LabSettings) -> Path:
    return paths.state_dir() / f"lab-aws-{settings.port}.pid"


def log_file(settings: LabSettings) -> Path:
    return paths.state_dir() / f"lab-aws-{settings.port}.log"


def lab_info(settings: LabSettings) -> dict[str, Any] | None:
    """What the lab AWS on the endpoint reports about itself; None when none answers."""
    url = f"{settings.endpoint}/moto-api/chainops"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - fixed http URL
            info = json.load(response)
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and info.get("extensions") else None


def healthy(settings: LabSettings) -> bool:
    """True when a lab AWS with the chainops extensions answers on the endpoint."""
    return lab_info(settings) is not None


def current(settings: LabSettings) -> bool:
    """True when the lab AWS on the endpoint runs this checkout's code (same fingerprint)."""
    info = lab_info(settings)
    return info is not None and info.get("fingerprint") == extensions.fingerprint()


def running_account(settings: LabSettings) -> str | None:
    """The account the lab AWS on the endpoint is (its STS says); None when none answers."""
    try:
        identity = clients.client(settings, "sts").get_caller_identity()
    except (BotoCoreError, ClientError):
        return None
    return str(identity["Account"])


def running_pid(settings: LabSettings) -> int | None:
    """The pid of the lab AWS this project started, if it is still alive."""
    try:
        pid = int(pid_file(settings).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if alive(pid) else None


def alive(pid: int) -> bool:
    """True for a live process; an exited child of this process is reaped, not counted."""
    with contextlib.suppress(ChildProcessError):  # not our child: its parent reaps it
        os.waitpid(pid, os.WNOHANG)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def bindable(host: str) -> bool:
    """True when this machine has `host` (the podman gateway appears with its bridge)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, 0))
        except OSError:
            return False
    return True


def up(settings: LabSettings) -> bool:
    """Start the lab AWS unless it already answers; True when it was started now.

    A lab that answers but runs other code (its fingerprint differs from this checkout's) is
    restarted when this project started it, and refused otherwise.
    """
    info = lab_info(settings)
    if info is not None:
        account = running_account(settings)
        if info.get("fingerprint") == extensions.fingerprint() and account == settings.account:
            return False
        if running_pid(settings) is None:
            raise LabError(
                f"a lab AWS on {settings.endpoint} runs other code (fingerprint "
                f"{info.get('fingerprint') or 'none'}, this checkout "
                f"{extensions.fingerprint()}) or another account ({account}, not "
                f"{settings.account}) and was not started here; stop it or set "
                "CHAINOPS_LAB_PORT"
            )
        down(settings)
    if not bindable(settings.host):
        raise LabError(
            f"cannot bind the lab AWS to {settings.host}: not an address of this machine "
            "(the podman gateway: `chainops lab up` brings its bridge up)"
        )
    if _port_taken(settings):
        raise LabError(
            f"{settings.host}:{settings.port} is in use by something that is not the chainops "
            "lab; stop it or set CHAINOPS_LAB_PORT"
        )
    log = log_file(settings)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "chainops.lab.aws.serve",
                "--host",
                settings.host,
                "--port",
                str(settings.port),
                "--account",
                settings.account,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # outlives the CLI call that started it
        )
    pid_file(settings).write_text(f"{process.pid}\n")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if healthy(settings):
            return True
        if process.poll() is not None:
            break
        time.sleep(0.25)
    process.kill()
    pid_file(settings).unlink(missing_ok=True)
    tail = log.read_text(errors="replace")[-2000:]
    raise LabError(f"lab AWS did not become healthy on {settings.endpoint}; log {log}:\n{tail}")


def down(settings: LabSettings) -> bool:
    """Stop the lab AWS this project started; True when something was stopped."""
    pid = running_pid(settings)
    if pid is None:
        pid_file(settings).unlink(missing_ok=True)
        if healthy(settings):
            raise LabError(f"a lab AWS answers on {settings.endpoint} but was not started here")
        return False
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and running_pid(settings) is not None:
        time.sleep(0.1)
    if running_pid(settings) is not None:
        os.killpg(pid, signal.SIGKILL)
    pid_file(settings).unlink(missing_ok=True)
    return True


def reset(settings: LabSettings) -> None:
    """Empty the lab AWS (every account and region), as after a fresh start."""
    url = f"{settings.endpoint}/moto-api/reset"
    request = urllib.request.Request(url, method="POST")  # noqa: S310 - fixed http URL
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - fixed http URL
        pass


def _port_taken(settings: LabSettings) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((settings.host, settings.port)) == 0
