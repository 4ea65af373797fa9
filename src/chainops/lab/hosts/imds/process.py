"""Lifecycle of the lab IMDS process (instance metadata and ECS task roles): one per machine,
for every lab's hosts.

Both addresses go on the loopback device: a host's packets to it leave the container
by its default route, the podman gateway, and this machine takes them as its own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from chainops import paths
from chainops.errors import LabError
from chainops.lab.aws.server import alive, bindable
from chainops.lab.hosts import podman
from chainops.lab.hosts.imds import ADDRESS, PORT, TASK_ADDRESS
from chainops.lab.hosts.imds.service import HEALTH_PATH, SERVICE, fingerprint
from chainops.lab.hosts.reconciler import LABEL

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0
URL = f"http://{ADDRESS}:{PORT}"


def pid_file() -> Path:
    return paths.state_dir() / "lab-imds.pid"


def log_file() -> Path:
    return paths.state_dir() / "lab-imds.log"


def info() -> dict[str, Any] | None:
    """What the server on the metadata address reports; None when none answers."""
    try:
        with urllib.request.urlopen(f"{URL}{HEALTH_PATH}", timeout=2) as response:  # noqa: S310 - fixed http URL
            found = json.load(response)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("service") == SERVICE else None


def running_pid() -> int | None:
    """The pid of the server this project started, if it is still alive."""
    try:
        pid = int(pid_file().read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if alive(pid) else None


def up() -> bool:
    """Start the server unless this checkout's answers; True when it was started now."""
    found = info()
    if found is not None and found.get("fingerprint") == fingerprint():
        return False
    if running_pid() is not None:
        _stop()
    elif found is not None:
        raise LabError(
            f"a lab IMDS from other code answers on {URL} and was not started here; stop it"
        )
    for address in (ADDRESS, TASK_ADDRESS):
        _add_address(address)
    log = log_file()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "chainops.lab.hosts.imds.service"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # outlives the CLI call that started it
        )
    pid_file().write_text(f"{process.pid}\n")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if info() is not None:
            return True
        time.sleep(0.2)
    process.kill()
    pid_file().unlink(missing_ok=True)
    tail = log.read_text(errors="replace")[-2000:]
    raise LabError(f"the lab IMDS did not answer on {URL}; log {log}:\n{tail}")


def down() -> bool:
    """Stop the server once no lab on this machine has a host left; True when it stopped."""
    if podman.containers(LABEL) or running_pid() is None:
        return False
    _stop()
    for address in (ADDRESS, TASK_ADDRESS):
        subprocess.run(
            ["ip", "address", "del", f"{address}/32", "dev", "lo"], capture_output=True, check=False
        )
    return True


def _stop() -> None:
    pid = running_pid()
    if pid is not None:
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline and running_pid() is not None:
            time.sleep(0.1)
        if running_pid() is not None:
            os.killpg(pid, signal.SIGKILL)
    pid_file().unlink(missing_ok=True)


def _add_address(address: str) -> None:
    if bindable(address):
        return
    done = subprocess.run(
        ["ip", "address", "add", f"{address}/32", "dev", "lo"], capture_output=True, check=False
    )
    if done.returncode != 0 or not bindable(address):
        message = done.stderr.decode(errors="replace").strip()
        raise LabError(f"cannot add {address} to lo (root is needed): {message}")
