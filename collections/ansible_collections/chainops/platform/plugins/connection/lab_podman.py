# Copyright chainops contributors
# Apache License 2.0 (see the project's pyproject.toml)
"""Connection to lab hosts (podman containers) with pipelining."""

from __future__ import annotations

DOCUMENTATION = r"""
name: lab_podman
short_description: Run tasks on lab hosts (podman containers) in one podman call each
description:
  - Reaches a running podman container by name, as C(containers.podman.podman) does, with
    pipelining. A module goes to the host's Python on the standard input of one
    C(podman exec -i), so a task costs one podman call instead of four (mount, mkdir, chmod,
    run, remove). Every Ansible run against the lab's hosts pays this per task.
  - Files (C(copy), C(template), C(fetch)) travel through C(cat) in the container, one call
    each, so they land where the container sees them, bind mounts included (a mounted image
    root does not show the container's /etc/hostname or volumes).
  - Requires pipelining on (C(ANSIBLE_PIPELINING) or C([connection] pipelining), as the
    project's ansible.cfg sets); without it every module is copied and run as usual.
author: chainops contributors (@chainops)
options:
  remote_addr:
    description: The name or id of the container.
    default: inventory_hostname
    vars:
      - name: inventory_hostname
      - name: ansible_host
  remote_user:
    description: The user that runs commands in the container (default the image's, root).
    vars:
      - name: ansible_user
  podman_executable:
    description: The podman binary.
    default: podman
    vars:
      - name: ansible_podman_executable
    env:
      - name: ANSIBLE_PODMAN_EXECUTABLE
"""

import shlex
import subprocess
from pathlib import Path

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.connection import ConnectionBase, ensure_connect
from ansible.utils.display import Display

display = Display()

# podman exec's own failures are 125 and up (125; 255 for a container that is not running),
# as is a process killed by a signal (128 + N: 137 when the container was killed under it).
PODMAN_OWN_OR_SIGNAL = 125


class Connection(ConnectionBase):
    """One `podman exec` per command; modules on stdin when pipelining."""

    transport = "chainops.platform.lab_podman"
    has_pipelining = True

    @property
    def _container(self) -> str:
        return str(self.get_option("remote_addr"))

    def _podman(self, *argv: str, in_data: bytes | None = None) -> tuple[int, bytes, bytes]:
        command = [self.get_option("podman_executable"), *argv]
        display.vvv(f"RUN {command}", host=self._container)
        try:
            process = subprocess.run(command, input=in_data, capture_output=True, check=False)
        except OSError as error:
            raise AnsibleConnectionFailure(f"cannot run {command[0]}: {error}") from error
        return process.returncode, process.stdout, process.stderr

    def _connect(self) -> Connection:
        super()._connect()
        self._connected = True
        return self

    @ensure_connect
    def exec_command(
        self, cmd: str, in_data: bytes | None = None, sudoable: bool = True
    ) -> tuple[int, bytes, bytes]:
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        argv = ["exec"]
        if in_data is not None:
            argv.append("-i")  # without it podman exec gives the process no standard input
        argv += self._user()
        result = self._podman(*argv, self._container, *shlex.split(cmd), in_data=in_data)
        if result[0] >= PODMAN_OWN_OR_SIGNAL and not self._running():
            # A host that is gone is unreachable, as an EC2 instance that died is over SSH,
            # not a module that failed: Ansible then reports it so and runs no rescue on it.
            raise AnsibleConnectionFailure(
                f"lab host {self._container} is not running (podman exec exited"
                f" {result[0]}: {to_text(result[2]).strip() or 'killed'})"
            )
        return result

    def _running(self) -> bool:
        status, out, _err = self._podman(
            "container", "inspect", "--format", "{{.State.Running}}", self._container
        )
        return status == 0 and out.strip() == b"true"

    @ensure_connect
    def put_file(self, in_path: str, out_path: str) -> None:
        super().put_file(in_path, out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self._container)
        data = Path(in_path).read_bytes()
        self._checked(
            self._podman(
                "exec", "-i", *self._user(), self._container,
                "/bin/sh", "-c", 'cat > "$1"', "sh", out_path, in_data=data,
            ),
            f"put {out_path}",
        )  # fmt: skip

    @ensure_connect
    def fetch_file(self, in_path: str, out_path: str) -> None:
        super().fetch_file(in_path, out_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self._container)
        _status, data, _stderr = self._checked(
            self._podman("exec", *self._user(), self._container, "cat", "--", in_path),
            f"fetch {in_path}",
        )
        Path(out_path).write_bytes(data)

    def _user(self) -> list[str]:
        user = self.get_option("remote_user")
        return ["--user", str(user)] if user else []

    def _checked(self, result: tuple[int, bytes, bytes], what: str) -> tuple[int, bytes, bytes]:
        if result[0] != 0:
            raise AnsibleError(f"{what} in {self._container} failed: {to_text(result[2])}")
        return result

    def close(self) -> None:
        super().close()
        self._connected = False
