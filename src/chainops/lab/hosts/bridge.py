"""The podman bridge's gateway: the address the lab AWS binds so hosts' own services reach it.

CNI creates the bridge with the first container, so on a fresh machine one throwaway container
brings the gateway address up before the lab AWS binds it.
"""

from __future__ import annotations

from chainops.errors import LabError
from chainops.lab.aws.server import bindable
from chainops.lab.hosts import image, podman


def ensure_address(host: str) -> None:
    """Make `host` bindable: nothing to do for an address of this machine; the podman
    gateway is brought up; anything else is refused."""
    if bindable(host):
        return
    gateway = podman.run(
        "network", "inspect", "podman", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}"
    )
    if host != gateway.strip():
        raise LabError(f"cannot bind the lab AWS to {host}: not an address of this machine")
    podman.run("run", "--rm", "--network", "podman", "--entrypoint", "/bin/true", image.ensure())
    if not bindable(host):
        raise LabError(f"the podman bridge did not come up with {host}")
