"""`chainops run`, `tf` and `tf-env`: Ansible and Terraform with the project's configuration."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from chainops.commandline import Commands


def register(commands: Commands) -> None:
    """Add `tf`, `run` and `tf-env` to the project's CLI."""
    tf = commands.add_parser(
        "tf",
        help="run Terraform with the project's CLI config and the lab's endpoint",
        add_help=False,
    )
    tf.add_argument("tf_args", nargs=argparse.REMAINDER)
    tf.set_defaults(handler=_tf)
    run = commands.add_parser(
        "run",
        help="run site.yml or a phase through ansible-runner (the CI entry)",
    )
    run.add_argument("playbook", help="site, a phase (fleet) or a path")
    run.add_argument(
        "--private-data-dir",
        type=Path,
        default=None,
        help="runner's data dir, kept with the artifacts (default: a temporary one, removed)",
    )
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


def _run(args: argparse.Namespace) -> int:
    from chainops import runner

    request = runner.RunRequest(
        playbook=runner.resolve_playbook(args.playbook),
        private_data_dir=args.private_data_dir,
        inventory=args.inventory,
        limit=args.limit,
        tags=args.tags,
        check=args.check,
        extra_vars=runner.parse_extra_vars(args.extra_vars),
    )
    on_event = runner.print_event(sys.stdout, as_json=args.json_events)
    result = runner.run(request, on_event=on_event)
    print(json.dumps(result.as_dict()), file=sys.stderr)
    return 0 if result.status == "successful" and result.rc == 0 else max(result.rc, 1)


def _tf_env(args: argparse.Namespace) -> int:
    from chainops import tf

    # Only the CLI config: credentials and endpoints come from the inventory (any world).
    print(json.dumps({"TF_CLI_CONFIG_FILE": str(tf.write_cli_config()), "TF_IN_AUTOMATION": "1"}))
    return 0


def _tf(args: argparse.Namespace) -> int:
    from chainops import tf
    from chainops.lab.settings import LabSettings

    return tf.run(args.tf_args, settings=LabSettings.from_env())
