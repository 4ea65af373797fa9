"""Make the podman hosts match the lab AWS: one systemd container per running managed instance.

Reconciling is plan (pure: desired nodes vs existing containers) then apply, under a lock
so concurrent callers (a playbook and a test) never race on the same instance.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chainops import paths
from chainops.errors import LabError
from chainops.lab.hosts import addresses, disks, image, nodes, podman
from chainops.lab.hosts.nodes import Node
from chainops.lab.settings import LabSettings

LABEL = "chainops.lab.instance-id"
# Hosts belong to the lab AWS that launched them, so several labs (a test lab beside the
# user's) never reconcile away each other's hosts.
ENDPOINT_LABEL = "chainops.lab.endpoint"
PRIVATE_IP_LABEL = "chainops.lab.private-ip"
REGION_LABEL = "chainops.lab.region"
METADATA_PATH = "/etc/chainops/lab-instance.json"
# A host's early boot takes a second or two; far longer under a loaded suite.
BOOT_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class Host:
    """A lab host container as podman reports it."""

    instance_id: str
    container_id: str
    state: str

    @property
    def running(self) -> bool:
        return self.state == "running"


@dataclass(frozen=True)
class Plan:
    """What a reconcile does: create missing hosts, start stopped ones, remove orphans."""

    create: tuple[Node, ...] = ()
    start: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    keep: tuple[str, ...] = field(default=())
    # Hosts that could not take their instance's private address (another lab's has it).
    collisions: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.create or self.start or self.remove)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": [n.instance_id for n in self.create],
            "started": list(self.start),
            "removed": list(self.remove),
            "unchanged": list(self.keep),
            "address_collisions": list(self.collisions),
        }

    def summary(self) -> str:
        text = (
            f"hosts: {len(self.create)} created, {len(self.start)} started, "
            f"{len(self.remove)} removed, {len(self.keep)} unchanged"
        )
        return "; ".join([text, *self.collisions])


def plan(desired: list[Node], actual: dict[str, Host]) -> Plan:
    """Compare desired nodes with existing hosts (no side effects)."""
    wanted = {n.instance_id: n for n in desired}
    return Plan(
        create=tuple(n for i, n in sorted(wanted.items()) if i not in actual),
        start=tuple(sorted(i for i, h in actual.items() if i in wanted and not h.running)),
        remove=tuple(sorted(i for i in actual if i not in wanted)),
        keep=tuple(sorted(i for i, h in actual.items() if i in wanted and h.running)),
    )


def hosts(settings: LabSettings) -> dict[str, Host]:
    """Existing host containers of this lab AWS, keyed by instance id."""
    found: dict[str, Host] = {}
    for container in podman.containers(f"{ENDPOINT_LABEL}={settings.endpoint}"):
        instance_id = container["Labels"][LABEL]
        found[instance_id] = Host(instance_id, container["Id"], container["State"])
    return found


def reconcile(settings: LabSettings) -> Plan:
    """Bring the podman hosts in line with the lab AWS and say what changed."""
    with _lock():
        desired = nodes.desired(settings)
        todo = plan(desired, hosts(settings))
        if todo.create:
            ref = image.ensure()
            for node in todo.create:
                _create(node, ref, settings)
        for instance_id in todo.start:
            podman.run("start", instance_id)
        _wait_for_early_boot([node.instance_id for node in todo.create] + list(todo.start))
        for instance_id in todo.remove:
            _remove(instance_id)
        # Every pass: a restarted container comes back without the address, and a host removed
        # outside the reconciler (podman rm, a killed test) leaves a stale route.
        live = addresses.live_bridges()
        addresses.prune(live)
        found = [addresses.assign(node.instance_id, node.private_ip, live) for node in desired]
        return replace(todo, collisions=tuple(str(c) for c in found if c is not None))


def _wait_for_early_boot(instance_ids: list[str]) -> None:
    """Return once every host is past early boot (sysinit.target), as an EC2 instance is when
    its sshd first answers. Before that, systemd-tmpfiles empties /tmp under whatever a
    command put there: an Ansible module's payload vanished so under load (CI, 2026-12-07)."""
    deadline = time.monotonic() + BOOT_TIMEOUT_SECONDS
    waiting = list(instance_ids)
    while waiting:
        waiting = [
            instance_id
            for instance_id in waiting
            if podman.run(
                "exec", instance_id, "systemctl", "is-active", "sysinit.target", check=False
            ).strip()
            != "active"
        ]
        if waiting and time.monotonic() > deadline:
            raise LabError(
                f"lab hosts {', '.join(waiting)} did not finish early boot (sysinit.target) "
                f"in {BOOT_TIMEOUT_SECONDS} s: see `podman logs <id>`"
            )
        if waiting:
            time.sleep(0.5)


def remove_all(settings: LabSettings) -> list[str]:
    """Remove every host of this lab (used by `lab down`); returns the instance ids removed."""
    with _lock():
        removed = sorted(hosts(settings))
        for instance_id in removed:
            _remove(instance_id)
        return removed


def host_dir(instance_id: str) -> Path:
    return paths.state_dir() / "hosts" / instance_id


def _create(node: Node, ref: str, settings: LabSettings) -> None:
    directory = host_dir(node.instance_id)
    loops = disks.attach(directory, node.disks, max_gib=settings.max_disk_gib)
    metadata = directory / "instance.json"
    metadata.write_text(
        json.dumps({**node.as_dict(), "loop_devices": loops}, indent=2, sort_keys=True)
    )
    podman.run(
        "run",
        "--detach",
        "--name",
        node.instance_id,
        "--hostname",
        node.hostname,
        # Privileged: the host mounts, formats and tunes its own disks and kernel, as on EC2.
        # Its NVMe names come from the image's chainops-lab-nvme unit, not --device.
        "--privileged",
        "--systemd=always",
        "--label",
        f"{LABEL}={node.instance_id}",
        "--label",
        f"{ENDPOINT_LABEL}={settings.endpoint}",
        "--label",
        f"{PRIVATE_IP_LABEL}={node.private_ip}",
        "--label",
        f"{REGION_LABEL}={node.region}",
        "--label",
        f"chainops.lab.availability-zone={node.availability_zone}",
        "--label",
        f"chainops.lab.placement-group={node.placement_group}",
        "--label",
        f"chainops.lab.instance-type={node.instance_type}",
        "--volume",
        f"{metadata}:{METADATA_PATH}:ro,Z",
        ref,
    )


def _remove(instance_id: str) -> None:
    inspected = podman.run(
        "inspect",
        "--format",
        f'{{{{index .Config.Labels "{PRIVATE_IP_LABEL}"}}}} {{{{.NetworkSettings.IPAddress}}}}',
        instance_id,
        check=False,
    ).split()
    podman.run("rm", "--force", "--time", "5", instance_id)
    if len(inspected) == 2:
        addresses.release(*inspected)
    disks.detach_all(host_dir(instance_id))


@contextmanager
def _lock() -> Iterator[None]:
    with (paths.state_dir() / "reconcile.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
