"""How long the lab takes to materialise and remove hosts: reconcile time for N instances.

Run: .venv/bin/python benchmarks/lab_hosts.py [--sizes 1 3 8] [--port 4593]
It starts (or reuses) a lab AWS on its own port, launches N managed instances in a cluster
placement group, times the reconcile that creates their hosts (until each host's systemd is
up), the idempotent re-run, and the reconcile that removes them, then prints one row per N.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from chainops.lab.aws import clients, server
from chainops.lab.hosts import podman, reconciler
from chainops.lab.settings import LabSettings

MANAGED = [{"ResourceType": "instance", "Tags": [{"Key": "chainops:lab-host", "Value": "true"}]}]


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _wait_booted(instance_ids: list[str]) -> None:
    for instance_id in instance_ids:
        podman.run("exec", instance_id, "systemctl", "is-system-running", "--wait", check=False)


def measure(settings: LabSettings, size: int) -> tuple[float, float, float, float]:
    server.reset(settings)
    ec2 = clients.client(settings, "ec2")
    ec2.create_placement_group(GroupName="bench", Strategy="cluster")
    image_id = ec2.describe_images()["Images"][0]["ImageId"]
    launched = ec2.run_instances(
        ImageId=image_id,
        MinCount=size,
        MaxCount=size,
        InstanceType="i4i.2xlarge",
        Placement={"GroupName": "bench"},
        TagSpecifications=MANAGED,
    )["Instances"]
    ids = [i["InstanceId"] for i in launched]
    create = _timed(lambda: reconciler.reconcile(settings))
    booted = create + _timed(lambda: _wait_booted(ids))
    rerun = _timed(lambda: reconciler.reconcile(settings))
    ec2.terminate_instances(InstanceIds=ids)
    remove = _timed(lambda: reconciler.reconcile(settings))
    return create, booted, rerun, remove


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 3, 8])
    parser.add_argument("--port", type=int, default=4593)
    args = parser.parse_args()
    settings = LabSettings(host="127.0.0.1", port=args.port)  # its own lab, on loopback
    started = server.up(settings)
    try:
        print(f"{'hosts':>5} {'create s':>9} {'booted s':>9} {'re-run s':>9} {'remove s':>9}")
        for size in args.sizes:
            create, booted, rerun, remove = measure(settings, size)
            print(f"{size:>5} {create:>9.2f} {booted:>9.2f} {rerun:>9.2f} {remove:>9.2f}")
    finally:
        reconciler.remove_all(settings)
        if started:
            server.down(settings)


if __name__ == "__main__":
    main()
