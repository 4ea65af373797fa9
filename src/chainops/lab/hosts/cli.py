"""`chainops lab up/down/status/reconcile/image/launch`: the hosts and the AWS they run on.

Hosts materialise the lab AWS's instances, so the commands that start or stop the whole lab
(the AWS, then its hosts) live here, one layer above the AWS.
"""

from __future__ import annotations

import argparse

from chainops.commandline import Commands, emit, positive
from chainops.lab.hosts.imds import spot
from chainops.lab.settings import LabSettings


def register(commands: Commands) -> None:
    """Add the lab hosts' subcommands to `chainops lab`."""
    for name, handler, text in (
        ("up", _up, "start the lab AWS and IMDS (idempotent) and reconcile its hosts"),
        ("down", _down, "remove the lab hosts, stop the lab AWS (and the IMDS, once unused)"),
        ("status", _status, "endpoint, regions and every materialised node"),
        ("reconcile", _reconcile, "make podman hosts match running lab instances"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.set_defaults(handler=handler)
    image = commands.add_parser("image", help="build (or reuse) the lab hosts' base image")
    image.add_argument("--rebuild", action="store_true", help="ignore the cache")
    image.set_defaults(handler=_image)
    launch = commands.add_parser(
        "launch", help="launch managed RPC instances (as the blockchain stack's ASG would)"
    )
    launch.add_argument("--count", type=positive, default=3)
    launch.add_argument("--role", default="rpc")
    launch.add_argument("--instance-type", default="i4i.8xlarge")
    launch.add_argument("--placement-group", default="rpc-a")
    launch.add_argument("--json", action="store_true", help="print JSON")
    launch.set_defaults(handler=_launch)
    interrupt = commands.add_parser(
        "interrupt", help="set (or --clear) a Spot interruption notice the lab IMDS serves"
    )
    interrupt.add_argument("instance_id")
    interrupt.add_argument("--action", choices=spot.ACTIONS, default="terminate")
    interrupt.add_argument("--clear", action="store_true", help="withdraw the notice")
    interrupt.set_defaults(handler=_interrupt)
    task_role = commands.add_parser(
        "task-role",
        help="register an ECS task role; print its AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    )
    task_role.add_argument("role_arn", help="the role ARN, or with --clear the relative URI")
    task_role.add_argument("--clear", action="store_true", help="forget the task")
    task_role.set_defaults(handler=_task_role)


def _up(args: argparse.Namespace) -> int:
    from chainops.lab.aws import server
    from chainops.lab.hosts import bridge, reconciler
    from chainops.lab.hosts.imds import process

    settings = LabSettings.from_env()
    bridge.ensure_address(settings.host)
    started = server.up(settings)
    # Before the hosts: their services ask it for credentials as soon as they boot.
    metadata_started = process.up()
    plan = reconciler.reconcile(settings)
    changed = started or metadata_started or plan.changed
    payload = {"changed": changed, "endpoint": settings.endpoint, **plan.as_dict()}
    emit(payload, as_json=args.json, text=f"lab AWS at {settings.endpoint}; {plan.summary()}")
    return 0


def _down(args: argparse.Namespace) -> int:
    from chainops.lab.aws import server
    from chainops.lab.hosts import reconciler
    from chainops.lab.hosts.imds import process

    settings = LabSettings.from_env()
    removed = reconciler.remove_all(settings)
    stopped = server.down(settings)
    # Shared by every lab on this machine: it stops with the last lab's hosts.
    metadata_stopped = process.down()
    payload = {"changed": stopped or metadata_stopped or bool(removed), "removed": removed}
    emit(payload, as_json=args.json, text=f"lab stopped; removed {len(removed)} host(s)")
    return 0


def _status(args: argparse.Namespace) -> int:
    from chainops.lab.hosts import status

    report = status.collect(LabSettings.from_env())
    emit(report.as_dict(), as_json=args.json, text=report.as_text())
    return 0 if report.running else 3


def _reconcile(args: argparse.Namespace) -> int:
    from chainops.lab.hosts import reconciler

    plan = reconciler.reconcile(LabSettings.from_env())
    emit({"changed": plan.changed, **plan.as_dict()}, as_json=args.json, text=plan.summary())
    return 0


def _image(args: argparse.Namespace) -> int:
    from chainops.lab.hosts import image

    print(image.ensure(rebuild=args.rebuild))
    return 0


def _launch(args: argparse.Namespace) -> int:
    from chainops.lab.hosts import fleet

    launched = fleet.launch(
        LabSettings.from_env(),
        count=args.count,
        role=args.role,
        instance_type=args.instance_type,
        placement_group=args.placement_group,
    )
    emit({"launched": launched}, as_json=args.json, text="\n".join(launched))
    return 0


def _interrupt(args: argparse.Namespace) -> int:
    if args.clear:
        print("cleared" if spot.clear(args.instance_id) else "no notice")
    else:
        print(spot.interrupt(args.instance_id, action=args.action))
    return 0


def _task_role(args: argparse.Namespace) -> int:
    from chainops.lab.hosts.imds import task_roles

    if args.clear:
        print("cleared" if task_roles.deregister(args.role_arn) else "no such task")
    else:
        print(task_roles.register(LabSettings.from_env(), args.role_arn))
    return 0
