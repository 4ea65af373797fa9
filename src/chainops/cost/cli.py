"""`chainops cost`: price Terraform plans or states per stack, environment and region."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from chainops import paths
from chainops.cost import prices, report, rules, terraform
from chainops.cost.usage import Usage
from chainops.errors import UsageError

COMMAND = "cost"
DEFAULT_REGION = "us-east-1"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `cost` subcommand to the project's CLI."""
    parser = commands.add_parser(
        COMMAND,
        help="the monthly On-Demand cost of Terraform plans or states (docs/cost.md)",
        description=__doc__,
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="[STACK=]FILE",
        help="`terraform show -json` of a saved plan or of a state; STACK defaults to the "
        "file's name without its suffix",
    )
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="[STACK=]FILE",
        help="a state (or plan) to compare with: prints what the change adds per month",
    )
    parser.add_argument(
        "--environment", "-e", default="lab", help="an inventory under inventories/ (lab)"
    )
    parser.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help=f"a region with a price snapshot ({DEFAULT_REGION})",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=_run)


def environments() -> list[str]:
    """The environments: one inventory directory each."""
    return sorted(p.name for p in (paths.REPO_ROOT / "inventories").iterdir() if p.is_dir())


def _run(args: argparse.Namespace) -> int:
    if args.environment not in environments():
        known = ", ".join(environments())
        raise UsageError(f"--environment {args.environment}: unknown (known: {known})")
    snapshot = prices.load(args.region)
    usage = Usage()
    stacks = tuple(_stack(a, snapshot, usage) for a in args.files)
    estimate = report.Estimate(
        environment=args.environment,
        region=args.region,
        snapshot=snapshot,
        usage=usage,
        stacks=stacks,
        baseline=tuple(_stack(a, snapshot, usage) for a in args.baseline)
        or _prior(stacks, snapshot, usage),
    )
    if args.json:
        json.dump(report.to_json(estimate), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.to_table(estimate))
    return 0


def _prior(
    stacks: tuple[report.StackCost, ...], snapshot: prices.Snapshot, usage: Usage
) -> tuple[report.StackCost, ...]:
    """Without --baseline, plans are compared with their own prior state (a state is not a
    change: then nothing is compared)."""
    if any(s.document.prior is None for s in stacks):
        return ()
    return tuple(_prior_stack(s, snapshot, usage) for s in stacks)


def _prior_stack(
    stack: report.StackCost, snapshot: prices.Snapshot, usage: Usage
) -> report.StackCost:
    resources = stack.document.prior or ()
    document = terraform.Document(stack.document.path, "prior state of the plan", resources)
    return _priced(stack.stack, document, snapshot, usage)


def _stack(argument: str, snapshot: prices.Snapshot, usage: Usage) -> report.StackCost:
    name, separator, file = argument.partition("=")
    path = Path(file if separator else argument)
    return _priced(name if separator else path.stem, terraform.read(path), snapshot, usage)


def _priced(
    name: str, document: terraform.Document, snapshot: prices.Snapshot, usage: Usage
) -> report.StackCost:
    costs = rules.price(document.resources, snapshot=snapshot, usage=usage)
    return report.StackCost(name, document, tuple(costs))
