"""chainops.settings: flags and CHAINOPS_* variables derived from a model, defaults left to it."""

from __future__ import annotations

import argparse
from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from chainops import settings


class Example(BaseModel):
    name: str = Field(description="a name")
    urls: tuple[str, ...] = ()
    tags: Annotated[frozenset[str], settings.Flag("--tag")] = frozenset({"default"})
    timeout_s: float = Field(20.0, gt=0)
    verbose: bool = False


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    settings.add_flags(parser, Example)
    return parser.parse_args(argv)


def _load(argv: list[str], environ: dict[str, str] | None = None) -> Example:
    return Example.model_validate(settings.values(Example, _parse(argv), environ or {}))


def test_flags_and_variables_are_derived_from_field_names():
    """`timeout_s` is --timeout-s and CHAINOPS_TIMEOUT_S; a Flag renames the flag only."""
    parser = argparse.ArgumentParser()
    settings.add_flags(parser, Example)
    flags = {action.dest: action.option_strings for action in parser._actions}
    assert flags["timeout_s"] == ["--timeout-s"]
    assert flags["tags"] == ["--tag"]
    assert settings.env_of("timeout_s") == "CHAINOPS_TIMEOUT_S"
    assert "[env CHAINOPS_TIMEOUT_S]" in parser.format_help()


def test_unset_settings_take_the_models_defaults():
    """No flag and no variable leaves the field to the model: the parser has no defaults."""
    assert _parse([]) == argparse.Namespace()
    assert _load(["--name", "n"]) == Example(name="n")


def test_flags_win_over_the_environment():
    """A variable sets a field; the same field's flag overrides it; empty counts as unset."""
    environ = {"CHAINOPS_NAME": "env", "CHAINOPS_TIMEOUT_S": "5", "CHAINOPS_VERBOSE": ""}
    loaded = _load(["--timeout-s", "7"], environ)
    assert (loaded.name, loaded.timeout_s, loaded.verbose) == ("env", 7.0, False)


def test_list_settings_repeat_as_flags_and_split_as_variables():
    """Repeated flags and a space- or comma-separated variable both give every value."""
    assert _load(["--name", "n", "--tag", "a", "--tag", "b"]).tags == {"a", "b"}
    loaded = _load([], {"CHAINOPS_NAME": "n", "CHAINOPS_URLS": "http://a, http://b  http://c"})
    assert loaded.urls == ("http://a", "http://b", "http://c")


def test_bad_values_are_reported_naming_flag_and_variable(capsys: pytest.CaptureFixture[str]):
    """Each problem is one line naming the field, its flag and its variable; exit code 2."""
    with pytest.raises(ValidationError) as caught:
        _load([], {"CHAINOPS_TIMEOUT_S": "soon"})
    assert settings.report("example", Example, caught.value) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "chainops example: name (--name, CHAINOPS_NAME): Field required",
        "chainops example: timeout_s (--timeout-s, CHAINOPS_TIMEOUT_S): Input should be a valid"
        " number, unable to parse string as a number; given 'soon'",
    ]
