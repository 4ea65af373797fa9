"""The `chainops` command: argv is read here, the environment here and by the subcommands' own
CLI modules (a service's CHAINOPS_* settings, through chainops.settings)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from chainops import paths
from chainops.errors import LabError, RunError

T = TypeVar("T")

# Each service package brings its own subcommand through `register(commands)`.
SERVICE_COMMANDS = ("chainops.validator.cli", "chainops.listener.cli", "chainops.consumer.cli")


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("CONTAINERS_CONF", str(paths.containers_conf()))
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["tf"]:
        # Terraform's own flags (-chdir=DIR, -help) must reach it untouched by argparse.
        args = argparse.Namespace(handler=_tf, tf_args=argv[1:])
    else:
        args = _parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except ChainopsError as exc:
        print(f"chainops: {exc}", file=sys.stderr)
        return 1
    return result


class ChainopsError(Exception):
    """An expected failure, reported in one line without a traceback."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chainops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    lab = commands.add_parser("lab", help="the local AWS and its podman hosts")
    lab_commands = lab.add_subparsers(dest="lab_command", required=True)
    for name, handler, text in (
        ("up", _lab_up, "start the lab AWS (idempotent) and reconcile its hosts"),
        ("down", _lab_down, "remove the lab hosts and stop the lab AWS"),
        ("status", _lab_status, "endpoint, regions and every materialised node"),
        ("reconcile", _lab_reconcile, "make podman hosts match running lab instances"),
    ):
        sub = lab_commands.add_parser(name, help=text)
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.set_defaults(handler=handler)
    image = lab_commands.add_parser("image", help="build (or reuse) the lab hosts' base image")
    image.add_argument("--rebuild", action="store_true", help="ignore the cache")
    image.set_defaults(handler=_lab_image)
    launch = lab_commands.add_parser(
        "launch", help="launch managed RPC instances (as the blockchain stack's ASG would)"
    )
    launch.add_argument("--count", type=_positive, default=3)
    launch.add_argument("--role", default="rpc")
    launch.add_argument("--instance-type", default="i4i.8xlarge")
    launch.add_argument("--placement-group", default="rpc-a")
    launch.add_argument("--json", action="store_true", help="print JSON")
    launch.set_defaults(handler=_lab_launch)
    artifact = lab_commands.add_parser(
        "artifact", help="build (or reuse) a lab release tarball (the validator's by default)"
    )
    artifact.add_argument(
        "--component", choices=("validator", "pipeline"), default="validator", help="which release"
    )
    artifact.add_argument("--json", action="store_true", help="print JSON")
    artifact.set_defaults(handler=_lab_artifact)
    certificate = lab_commands.add_parser(
        "certificate", help="print the ARN of the lab's self-signed certificate (imported once)"
    )
    certificate.add_argument("--domain", default=None, help="the certificate's DNS name")
    certificate.set_defaults(handler=_lab_certificate)

    tf = commands.add_parser(
        "tf",
        help="run Terraform with the project's CLI config and the lab's endpoint",
        add_help=False,
    )
    tf.add_argument("tf_args", nargs=argparse.REMAINDER)
    tf.set_defaults(handler=_tf)
    run = commands.add_parser(
        "run",
        help="run site.yml, a phase or a runbook through ansible-runner (the CI entry)",
    )
    run.add_argument("playbook", help="site, a phase (fleet), a runbook name or a path")
    run.add_argument("--private-data-dir", type=Path, default=None, help="runner's data dir")
    run.add_argument(
        "-i", "--inventory", type=Path, default=None, help="inventory (default: ansible.cfg's)"
    )
    run.add_argument("-l", "--limit", default=None)
    run.add_argument("-t", "--tags", default=None)
    run.add_argument("-e", "--extra-vars", action="append", default=[], metavar="KEY=VALUE|@FILE")
    run.add_argument("--check", action="store_true", help="check mode with diffs")
    run.add_argument("--json-events", action="store_true", help="stream events as JSON lines")
    run.set_defaults(handler=_run)
    tf_env = commands.add_parser(
        "tf-env", help="write Terraform's CLI config; print the environment that uses it (JSON)"
    )
    tf_env.set_defaults(handler=_tf_env)
    for module in SERVICE_COMMANDS:
        try:
            service = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # A node's release ships only the services it runs (the RPC node: the validator).
            if exc.name is None or not module.startswith(exc.name):
                raise
            continue
        service.register(commands)
    return parser


def _settings() -> Any:
    from chainops.lab.settings import LabSettings

    return LabSettings.from_env()


def _emit(payload: dict[str, Any], *, as_json: bool, text: str) -> None:
    print(json.dumps(payload, indent=2, sort_keys=True) if as_json else text)


def _lab_up(args: argparse.Namespace) -> int:
    from chainops.lab import reconciler, server

    settings = _settings()
    started = _translate(lambda: server.up(settings))
    plan = _translate(lambda: reconciler.reconcile(settings))
    payload = {"changed": started or plan.changed, "endpoint": settings.endpoint, **plan.as_dict()}
    _emit(payload, as_json=args.json, text=f"lab AWS at {settings.endpoint}; {plan.summary()}")
    return 0


def _lab_down(args: argparse.Namespace) -> int:
    from chainops.lab import reconciler, server

    settings = _settings()
    removed = _translate(lambda: reconciler.remove_all(settings))
    stopped = _translate(lambda: server.down(settings))
    payload = {"changed": stopped or bool(removed), "removed": removed}
    _emit(payload, as_json=args.json, text=f"lab stopped; removed {len(removed)} host(s)")
    return 0


def _lab_status(args: argparse.Namespace) -> int:
    from chainops.lab import status

    report = _translate(lambda: status.collect(_settings()))
    _emit(report.as_dict(), as_json=args.json, text=report.as_text())
    return 0 if report.running else 3


def _lab_reconcile(args: argparse.Namespace) -> int:
    from chainops.lab import reconciler

    plan = _translate(lambda: reconciler.reconcile(_settings()))
    _emit({"changed": plan.changed, **plan.as_dict()}, as_json=args.json, text=plan.summary())
    return 0


def _lab_image(args: argparse.Namespace) -> int:
    from chainops.lab import image

    ref = _translate(lambda: image.ensure(rebuild=args.rebuild))
    print(ref)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _lab_launch(args: argparse.Namespace) -> int:
    from chainops.lab import fleet

    launched = _translate(
        lambda: fleet.launch(
            _settings(),
            count=args.count,
            role=args.role,
            instance_type=args.instance_type,
            placement_group=args.placement_group,
        )
    )
    _emit({"launched": launched}, as_json=args.json, text="\n".join(launched))
    return 0


def _lab_artifact(args: argparse.Namespace) -> int:
    from chainops.lab import artifact

    built = artifact.build(args.component)
    _emit(built.as_dict(), as_json=args.json, text=f"{built.path}\n{built.checksum}")
    return 0


def _lab_certificate(args: argparse.Namespace) -> int:
    from chainops.lab import certificate

    domain = args.domain or certificate.DOMAIN
    print(_translate(lambda: certificate.ensure(_settings(), domain)))
    return 0


def _run(args: argparse.Namespace) -> int:
    from chainops import runner

    def start() -> runner.RunResult:
        data_dir = args.private_data_dir or Path(tempfile.mkdtemp(prefix="chainops-run-"))
        request = runner.RunRequest(
            playbook=runner.resolve_playbook(args.playbook),
            private_data_dir=data_dir,
            inventory=args.inventory,
            limit=args.limit,
            tags=args.tags,
            check=args.check,
            extra_vars=runner.parse_extra_vars(args.extra_vars),
        )
        on_event = runner.print_event(sys.stdout, as_json=args.json_events)
        return runner.run(request, on_event=on_event)

    result = _translate(start)
    print(json.dumps(result.as_dict()), file=sys.stderr)
    return 0 if result.status == "successful" and result.rc == 0 else max(result.rc, 1)


def _tf_env(args: argparse.Namespace) -> int:
    from chainops import tf

    # Only the CLI config: credentials and endpoints come from the inventory (any world).
    print(json.dumps({"TF_CLI_CONFIG_FILE": str(tf.write_cli_config()), "TF_IN_AUTOMATION": "1"}))
    return 0


def _tf(args: argparse.Namespace) -> int:
    from chainops import tf

    return _translate(lambda: tf.run(args.tf_args, settings=_settings()))


def _translate(action: Callable[[], T]) -> T:
    """Run an action, turning the project's expected failures into ChainopsError."""
    try:
        return action()
    except (LabError, RunError) as exc:
        raise ChainopsError(str(exc)) from exc
