"""Terraform's JSON (`terraform show -json` of a saved plan or of a state) -> the resources it
would leave in place, with their attribute values."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainops.errors import UsageError


@dataclass(frozen=True)
class Resource:
    """A managed resource: its address, type, module path ("" at the root) and values.

    A value Terraform knows only after apply is absent from `values`.
    """

    address: str
    type: str
    module: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Document:
    """A plan's planned resources or a state's resources; `kind` is "plan" or "state".

    `prior` is a plan's prior state (the resources before it; none for a plan of an empty
    state), None for a state.
    """

    path: Path
    kind: str
    resources: tuple[Resource, ...]
    prior: tuple[Resource, ...] | None = None


def read(path: Path) -> Document:
    """The resources of the plan or state JSON at `path`; UsageError naming it if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}: not JSON ({exc.msg}, line {exc.lineno}); "
            "give the output of `terraform show -json PLANFILE` or of a state"
        ) from None
    if not isinstance(document, dict) or "format_version" not in document:
        raise UsageError(
            f"{path}: JSON, but not a Terraform plan or state "
            "(no format_version; give the output of `terraform show -json`)"
        )
    if "planned_values" in document:
        kind, values = "plan", document["planned_values"]
    elif "values" in document or "resource_changes" not in document:
        # An empty state's `terraform show -json` has no values at all.
        kind, values = "state", document.get("values") or {}
    else:
        raise UsageError(f"{path}: a plan without planned_values (an errored plan?)")
    if not isinstance(values, dict):
        raise UsageError(f"{path}: its {kind}'s values are not an object")
    root = values.get("root_module", {})
    prior = None
    if kind == "plan":
        before = (document.get("prior_state") or {}).get("values") or {}
        prior = tuple(_resources(before.get("root_module", {}), path))
    return Document(path, kind, tuple(_resources(root, path)), prior)


def _resources(module: Mapping[str, Any], path: Path) -> Iterator[Resource]:
    for entry in module.get("resources", []):
        if entry.get("mode") != "managed":
            continue  # data sources cost nothing themselves
        try:
            yield Resource(
                address=entry["address"],
                type=entry["type"],
                module=module.get("address", ""),
                values=entry.get("values") or {},
            )
        except (KeyError, TypeError):
            raise UsageError(f"{path}: a resource without an address or type") from None
    for child in module.get("child_modules", []):
        yield from _resources(child, path)
