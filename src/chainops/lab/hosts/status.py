"""`chainops lab status`: the endpoint, its regions and extensions, every node with its host, and
the lab IMDS."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any

from chainops.lab.aws import server
from chainops.lab.hosts import nodes, reconciler
from chainops.lab.hosts.imds import process
from chainops.lab.settings import LabSettings


@dataclass(frozen=True)
class StatusReport:
    """A snapshot of the lab; `nodes` joins running managed instances with their containers."""

    endpoint: str
    running: bool
    pid: int | None
    regions: tuple[str, ...]
    extensions: tuple[str, ...]
    nodes: tuple[dict[str, Any], ...]
    orphans: tuple[str, ...]
    imds_running: bool = False
    imds_pid: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "running": self.running,
            "pid": self.pid,
            "regions": list(self.regions),
            "extensions": list(self.extensions),
            "nodes": list(self.nodes),
            "orphan_containers": list(self.orphans),
            "imds": {"url": process.URL, "running": self.imds_running, "pid": self.imds_pid},
        }

    def as_text(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        lines = [f"lab AWS {self.endpoint}: {state}; regions {', '.join(self.regions)}"]
        for node in self.nodes:
            lines.append(
                f"  {node['instance_id']}  {node['instance_type']:<12} "
                f"{node['availability_zone']:<11} pg={node['placement_group'] or '-':<12} "
                f"container={node['container'] or 'missing'}"
            )
        lines.extend(f"  orphan container {name}" for name in self.orphans)
        imds = f"running (pid {self.imds_pid})" if self.imds_running else "stopped"
        lines.append(f"lab IMDS {process.URL} (every lab on this machine): {imds}")
        return "\n".join(lines)


def collect(settings: LabSettings) -> StatusReport:
    running = server.healthy(settings)
    hosts = reconciler.hosts(settings)
    desired = nodes.desired(settings) if running else []
    listed = tuple(_node_entry(node, hosts.get(node.instance_id)) for node in desired)
    wanted = {n.instance_id for n in desired}
    return StatusReport(
        endpoint=settings.endpoint,
        running=running,
        pid=server.running_pid(settings),
        regions=settings.regions,
        extensions=tuple(_extensions(settings)) if running else (),
        nodes=listed,
        orphans=tuple(sorted(i for i in hosts if i not in wanted)),
        imds_running=process.info() is not None,
        imds_pid=process.running_pid(),
    )


def _node_entry(node: nodes.Node, host: reconciler.Host | None) -> dict[str, Any]:
    return {
        "instance_id": node.instance_id,
        "region": node.region,
        "instance_type": node.instance_type,
        "availability_zone": node.availability_zone,
        "placement_group": node.placement_group,
        "container": host.instance_id if host else None,
        "container_state": host.state if host else None,
        "nvme_devices": [disk.device for disk in node.disks],
    }


def _extensions(settings: LabSettings) -> list[str]:
    url = f"{settings.endpoint}/moto-api/chainops"
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - fixed http URL
        return list(json.load(response)["extensions"])
