"""The AWS calls a package makes, read from its source: the boto3 clients it creates and every
call of one of their operations, as IAM actions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import botocore.session
from botocore import xform_name

# Functions that create a client from a service name: boto3.client, Session.client and the
# packages' own wrappers around them.
CLIENT_FACTORIES = frozenset({"client", "_new_client"})
# Client methods that name an operation in their first argument.
OPERATION_BY_NAME = frozenset({"get_paginator", "get_waiter"})
# Operations AWS authorises as another action (service authorization reference).
AUTHORISED_AS = {"s3:HeadBucket": "s3:ListBucket", "s3:HeadObject": "s3:GetObject"}


@dataclass(frozen=True, slots=True)
class Call:
    """One call of an AWS operation: the IAM action it needs and where it is made."""

    action: str
    where: str


def _modules(packages: tuple[Path, ...]) -> Iterator[tuple[str, ast.Module]]:
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            yield f"{package.name}/{path.name}", ast.parse(path.read_text(), filename=str(path))


def _name(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _strings(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set().union(*(_strings(element) for element in node.elts))
    return set()


def _literal_names(
    comprehension: ast.ListComp | ast.GeneratorExp | ast.SetComp,
) -> dict[str, set[str]]:
    """Names the comprehension binds to literal strings: `for s in ("kinesis", "sqs")`."""
    return {
        generator.target.id: _strings(generator.iter)
        for generator in comprehension.generators
        if isinstance(generator.target, ast.Name)
    }


def created_services(*packages: Path) -> set[str]:
    """Service names the packages create clients for: `client("s3")`, or a name bound by a
    comprehension over literal names (`client(s) for s in ("kinesis", "sqs")`)."""
    services: set[str] = set()
    for _, module in _modules(packages):
        bound: dict[str, set[str]] = {}
        for node in ast.walk(module):
            if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
                bound |= _literal_names(node)
        for node in ast.walk(module):
            if isinstance(node, ast.Call) and _name(node.func) in CLIENT_FACTORIES and node.args:
                argument = node.args[0]
                services |= _strings(argument)
                if isinstance(argument, ast.Name):
                    services |= bound.get(argument.id, set())
    return services


def _operations(services: set[str]) -> dict[str, set[str]]:
    """Client method name -> the `service:Operation` actions of that name."""
    session = botocore.session.get_session()
    methods: dict[str, set[str]] = {}
    for service in services:
        for operation in session.get_service_model(service).operation_names:
            action = f"{service}:{operation}"
            methods.setdefault(xform_name(operation), set()).add(AUTHORISED_AS.get(action, action))
    return methods


def aws_calls(*packages: Path) -> list[Call]:
    """Every attribute call in the packages named like an operation of a service they create a
    client for (whatever the receiver is called), and every paginator or waiter of one."""
    methods = _operations(created_services(*packages))
    calls: list[Call] = []
    for filename, module in _modules(packages):
        for node in ast.walk(module):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            names = {node.func.attr}
            if node.func.attr in OPERATION_BY_NAME and node.args:
                names = _strings(node.args[0])
            for name in names:
                for action in sorted(methods.get(name, ())):
                    calls.append(Call(action, f"{filename}:{node.lineno}"))
    return calls
