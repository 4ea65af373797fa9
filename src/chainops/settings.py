"""A service's settings from its pydantic model: the model is the schema and holds every default.

From each field this module derives a `chainops <service>` flag (`shutdown_timeout_s` ->
`--shutdown-timeout-s`) and an environment variable (`CHAINOPS_SHUTDOWN_TIMEOUT_S`), so a unit
can hand the service an `EnvironmentFile=` and no flags. Flags win over the environment; an
empty variable counts as unset; a list setting's variable holds its values separated by spaces
or commas. Neither argparse nor the environment carries a default: what is not given is left
to the model, so each default exists once. Bad values are reported one line each, naming the
field, its flag and its variable.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_origin
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from chainops.errors import UsageError

Model = TypeVar("Model", bound=BaseModel)
ENV_PREFIX = "CHAINOPS_"
DESCRIPTION = "Every flag may instead be set by its CHAINOPS_* variable; flags win."
_MANY = (list, tuple, set, frozenset)
_SEPARATORS = re.compile(r"[\s,]+")


# Settings several services have, each service's model giving the default (its one home).
AwsEndpoint = Annotated[
    str | None, Field(description="AWS endpoint (the lab); AWS_ENDPOINT_URL works too")
]
AwsRegion = Annotated[str | None, Field(description="AWS region (default: boto3's)")]
MetricsNamespace = Annotated[
    str, Field(min_length=1, max_length=255, description="CloudWatch namespace")
]
MetricsInterval = Annotated[
    float, Field(gt=0, le=3600, description="seconds between metric publications")
]


@dataclass(frozen=True)
class Flag:
    """Field metadata: the flag's name when it is not the field's (a repeatable `--program`
    fills `programs`)."""

    name: str


def flag_of(name: str, field: FieldInfo) -> str:
    """The field's flag: its `Flag`, else `--` and the name in kebab case."""
    for meta in field.metadata:
        if isinstance(meta, Flag):
            return meta.name
    return "--" + name.replace("_", "-")


def env_of(name: str) -> str:
    """The field's environment variable: `CHAINOPS_` and the name in upper case."""
    return ENV_PREFIX + name.upper()


def _is_many(field: FieldInfo) -> bool:
    return get_origin(field.annotation) in _MANY or field.annotation in _MANY


def _help(name: str, field: FieldInfo) -> str:
    text = field.description or name.replace("_", " ")
    if field.is_required():
        text += " (required)"
    elif isinstance(field.default, bool | int | float | str):
        text += f" (default: {field.default})"
    if _is_many(field):
        text += "; repeatable"
    return f"{text} [env {env_of(name)}]"


def add_flags(parser: argparse.ArgumentParser, model: type[BaseModel]) -> None:
    """One flag per field of `model`, without defaults: an absent flag leaves the field unset."""
    for name, field in model.model_fields.items():
        flag = flag_of(name, field)
        kwargs: dict[str, Any] = {
            "dest": name,
            "default": argparse.SUPPRESS,
            "help": _help(name, field),
        }
        if _is_many(field):
            kwargs["action"] = "append"
        if field.annotation is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        else:
            kwargs["metavar"] = flag.lstrip("-").replace("-", "_").upper()
        parser.add_argument(flag, **kwargs)


def add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    model: type[BaseModel],
    *,
    help: str,
) -> argparse.ArgumentParser:
    """A service's subcommand `name`, with one flag per field of `model`."""
    parser = commands.add_parser(name, help=help, description=DESCRIPTION)
    add_flags(parser, model)
    return parser


def build(model: type[Model], args: argparse.Namespace, environ: Mapping[str, str]) -> Model:
    """`model` from `args` and `environ` (flags win); ValidationError if a value is bad."""
    return model.model_validate(values(model, args, environ))


def serve(
    command: str,
    model: type[Model],
    args: argparse.Namespace,
    environ: Mapping[str, str],
    run: Callable[[Model], int],
) -> int:
    """`run` with the settings, or each bad one reported and the exit code for bad settings."""
    try:
        config = build(model, args, environ)
    except ValidationError as exc:
        return report(command, model, exc)
    return run(config)


def check_url(url: str, schemes: tuple[str, ...]) -> str:
    """`url` if it has one of `schemes`, a host and a valid port; else ValueError, named."""
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"{url!r} is not a {'/'.join(schemes)} URL")
    if parts.port == 0:  # a port out of range raises ValueError here too
        raise ValueError(f"{url!r}: port 0")
    return url


def values(
    model: type[BaseModel], args: argparse.Namespace, environ: Mapping[str, str]
) -> dict[str, Any]:
    """The fields given by `environ` (`CHAINOPS_*`) or by the flags in `args` (which win), as
    unvalidated input for `model`; fields given by neither are absent."""
    given: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        text = environ.get(env_of(name), "").strip()
        if text:
            given[name] = [v for v in _SEPARATORS.split(text) if v] if _is_many(field) else text
        if name in vars(args):
            given[name] = getattr(args, name)
    return given


def report(command: str, model: type[BaseModel], error: ValidationError) -> int:
    """Print each invalid setting on one line, `chainops COMMAND: field (--flag, CHAINOPS_FIELD):
    why`, and return the exit code for bad configuration."""
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else ""
        field = model.model_fields.get(name)
        if field is None:  # a rule between fields
            print(f"chainops {command}: {problem['msg']}", file=sys.stderr)
            continue
        where = f"{name} ({flag_of(name, field)}, {env_of(name)})"
        given = "" if problem["type"] == "missing" else f"; given {problem['input']!r}"
        print(f"chainops {command}: {where}: {problem['msg']}{given}", file=sys.stderr)
    return UsageError.exit_code
