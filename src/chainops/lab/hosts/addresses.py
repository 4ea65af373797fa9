"""Each lab host answers on its instance's private address, as an EC2 instance does.

moto gives an instance a private address from its subnet (10.40.x.y); its host container has
an address on the podman bridge (10.88.x.y). The lab adds the instance's address to the
container's interface and routes it on this machine to the container's bridge address, so
whatever reads PrivateIpAddress from AWS (the RPC node list, health checks, target
registration) reaches the host, from this machine and from every other lab host (their
default route is this machine). Several labs share the machine and moto picks addresses at
random, so two instances may want one address: the first keeps it and the second is
reported, never silently rerouted.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
from dataclasses import dataclass

from chainops.errors import LabError
from chainops.lab.hosts import podman


@dataclass(frozen=True)
class Collision:
    """An instance whose private address already routes to another host."""

    instance_id: str
    address: str
    held_by: str  # the bridge address of the container that has it

    def __str__(self) -> str:
        return (
            f"{self.instance_id}: private address {self.address} already routes to {self.held_by} "
            "(another lab's instance): this host answers on its bridge address only"
        )


def _ip(*args: str) -> str:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LabError(f"ip {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def route_of(address: str) -> str | None:
    """The gateway this machine routes ``address``/32 to, if it has such a route."""
    routes = json.loads(_ip("-json", "route", "show", f"{address}/32") or "[]")
    return str(routes[0].get("gateway")) if routes else None


def _container(instance_id: str) -> tuple[int, str]:
    """The container's process id (for its network namespace) and its bridge address."""
    inspected = podman.run(
        "inspect", "--format", "{{.State.Pid}} {{.NetworkSettings.IPAddress}}", instance_id
    ).split()
    if len(inspected) != 2 or inspected[0] == "0":
        raise LabError(f"host {instance_id} is not running: no address to give it")
    return int(inspected[0]), inspected[1]


def live_bridges() -> set[str]:
    """Bridge addresses of this machine's running containers (every lab's hosts)."""
    ids = podman.run("ps", "--quiet").split()
    if not ids:
        return set()
    found = podman.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}", *ids).split()
    return set(found)


def prune(live: set[str]) -> list[str]:
    """Drop the host routes (``x/32 via <bridge address>``) whose container is gone, however it
    went (a host removed outside the reconciler leaves its route behind); returns them."""
    subnet = podman.run(
        "network", "inspect", "podman", "--format", "{{range .Subnets}}{{.Subnet}}{{end}}"
    ).strip()
    bridge = ipaddress.ip_network(subnet) if subnet else None
    dropped = []
    for route in json.loads(_ip("-json", "route", "show") or "[]"):
        gateway, destination = route.get("gateway"), str(route.get("dst", ""))
        if gateway is None or "/" in destination or destination == "default" or bridge is None:
            continue
        if ipaddress.ip_address(gateway) in bridge and gateway not in live:
            _ip("route", "del", f"{destination}/32", "via", gateway)
            dropped.append(destination)
    return dropped


def assign(instance_id: str, address: str, live: set[str]) -> Collision | None:
    """Give the running host ``instance_id`` its instance's private ``address``; idempotent.
    ``live``: the running containers' bridge addresses (a route to another is another lab's)."""
    if not address:
        return None
    pid, bridge = _container(instance_id)
    held = route_of(address)
    if held is not None and held != bridge and held in live:
        return Collision(instance_id, address, held)
    # preferred_lft 0: the host answers on the address but never picks it as a source, so
    # what it sends (to the lab AWS, to instance metadata) still comes from its bridge address.
    subprocess.run(
        ["nsenter", "--target", str(pid), "--net", "ip", "address", "replace",
         f"{address}/32", "dev", "eth0", "preferred_lft", "0"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    _ip("route", "replace", f"{address}/32", "via", bridge)
    return None


def release(address: str, bridge: str | None) -> None:
    """Drop this machine's route to ``address`` if it leads to ``bridge`` (the removed host)."""
    if address and bridge and route_of(address) == bridge:
        _ip("route", "del", f"{address}/32", "via", bridge)
