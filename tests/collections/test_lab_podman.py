"""chainops.platform.lab_podman on a real lab host: modules, files both ways and become work,
each module task costs one podman call, and a file lands where the container sees it."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from chainops.lab.hosts import fleet
from chainops.lab.settings import LabSettings
from chainops.paths import REPO_ROOT
from tests.helpers import VENV_BIN, ansible_env, run_playbook

# A play's head: its hosts reached over the connection under test.
HEAD = """
- name: Lab host over chainops.platform.lab_podman
  hosts: all
  gather_facts: false
  vars:
    ansible_connection: chainops.platform.lab_podman
    ansible_python_interpreter: /usr/bin/python3
  tasks:
"""

PLAY = (
    HEAD
    + """    - name: Copy a file
      ansible.builtin.copy: {content: "hello\\n", dest: /tmp/greeting, mode: "0644"}
    - name: Read it back
      ansible.builtin.command: cat /tmp/greeting
      register: greeting
      changed_when: false
    - name: Fetch the host name (a bind mount podman makes)
      ansible.builtin.fetch: {src: /etc/hostname, dest: "{{ fetched }}", flat: true}
    - name: A user to become
      ansible.builtin.user: {name: lab-podman-test}
    - name: Run as that user
      ansible.builtin.command: id -un
      become: true
      become_user: lab-podman-test
      register: who
      changed_when: false
    - name: What the host saw
      ansible.builtin.assert:
        that: [greeting.stdout == 'hello', who.stdout == 'lab-podman-test']
"""
)


@pytest.fixture
def host(hosts: LabSettings) -> str:
    (node,) = fleet.launch(hosts, count=1, instance_type="m5.large")
    return node


def test_modules_files_and_become_with_one_podman_call_per_module(
    host: str, tmp_path: Path
) -> None:
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY)
    fetched = tmp_path / "hostname"
    result = run_playbook(str(playbook), Path(f"{host},"), "-e", f"fetched={fetched}", "-vvv")
    assert result.returncode == 0, result.stdout[-4000:]
    assert re.search(rf"{host}\s+: ok=6\s+changed=3\s+unreachable=0\s+failed=0", result.stdout)
    # The fetched file is the container's own /etc/hostname, not the image's.
    seen = subprocess.run(
        ["podman", "exec", host, "cat", "/etc/hostname"], capture_output=True, check=True
    ).stdout
    assert fetched.read_bytes() == seen
    # Pipelining: each of the 6 module runs (stat and copy, command, stat, user, command) is
    # one `podman exec -i` with the module on stdin; the rest are the copy's temporary
    # directory and file, the fetch's read and the one `echo ~`. Nothing mounts or copies.
    calls = re.findall(r"^<\S+> RUN (\[.*\])$", result.stdout, re.M)
    modules = [c for c in calls if "/usr/bin/python3" in c]
    assert len(modules) == 6, modules
    assert all(c.startswith("['podman', 'exec', '-i', ") for c in modules), modules
    # containers.podman.podman made 21 calls for the first three tasks (a mount per task,
    # mkdir, chmod, run and remove per module), and then failed the fetch: it read the image's
    # /etc/hostname through its mount, not the container's.
    assert len(calls) == 12, calls
    assert not [c for c in calls if c.startswith(("['podman', 'mount'", "['podman', 'cp'"))]


SLEEP = (
    HEAD
    + """    - name: Sleep on the host
      ansible.builtin.command: sleep 120
      changed_when: false
"""
)


def test_a_host_killed_under_a_task_is_unreachable_by_name(host: str, tmp_path: Path) -> None:
    """`podman kill` while a module runs: the host is UNREACHABLE (as a dead EC2 instance is
    over SSH), named, and the play ends at once rather than reporting a module failure."""
    playbook = tmp_path / "play.yml"
    playbook.write_text(SLEEP)
    with subprocess.Popen(
        [str(VENV_BIN / "ansible-playbook"), "-i", f"{host},", str(playbook)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ansible_env(),
        cwd=REPO_ROOT,
    ) as play:  # fmt: skip
        # Ansible's start and the connection's first exec took over 60 s once under load 15.
        deadline = time.monotonic() + 180
        while subprocess.run(
            ["podman", "exec", host, "pgrep", "-x", "sleep"], capture_output=True, check=False
        ).returncode:
            if time.monotonic() > deadline or play.poll() is not None:
                play.kill()
                pytest.fail(f"the task never started; the play said:\n{play.communicate()[0]}")
            time.sleep(0.5)
        subprocess.run(["podman", "kill", host], capture_output=True, check=True)
        output, _ = play.communicate(timeout=60)
    assert play.returncode == 4, output  # ansible-playbook's exit code for unreachable hosts
    assert f"fatal: [{host}]: UNREACHABLE!" in output, output
    assert f"lab host {host} is not running (podman exec exited 137" in output, output
    assert re.search(rf"{host}\s+: ok=0\s+changed=0\s+unreachable=1\s+failed=0", output), output
