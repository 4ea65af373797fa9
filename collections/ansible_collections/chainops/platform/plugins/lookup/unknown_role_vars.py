# Copyright chainops contributors
# Apache License 2.0 (see the project's pyproject.toml)
"""The role's variables that are none of its options: misspellings Ansible would ignore."""

from __future__ import annotations

DOCUMENTATION = r"""
name: unknown_role_vars
short_description: The running role's variables that are not options of its argument spec
description:
  - >-
    Inside a role, every variable defined for the host whose name starts with the role's name
    and one underscore (C(solana_rpc_node_)) and is not an option of the role's
    C(meta/argument_specs.yml) (entry point C(main)). Such a variable is a misspelling, which
    Ansible would otherwise ignore while the default applies.
  - Internal facts and registers (C(<role>__name), two underscores) are not options and never
    listed.
  - One message per variable, naming it and the closest option when there is one.
  - The options are read from the role's own spec (C(role_path)), so that they have one
    home.
author: chainops contributors (@chainops)
options:
  _terms:
    description: >-
      The role's outputs, facts with its prefix that it sets for its callers
      (C(terraform_stack_outputs)); they are not options and are not listed.
    required: false
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Check that every solana_rpc_node_ variable is an option of the role
  ansible.builtin.assert:
    that: unknown | length == 0
    fail_msg: "{{ unknown | join('; ') }}"
  vars:
    unknown: "{{ query('chainops.platform.unknown_role_vars') }}"
"""

RETURN = r"""
_raw:
  description: One message per unknown variable, sorted by name.
  type: list
  elements: str
"""

import difflib
from pathlib import Path
from typing import Any

import yaml
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase


def unknown(names: list[str], role: str, options: list[str], outputs: list[str]) -> list[str]:
    """A message for each of `names` that has `role`'s prefix and is none of `options` and
    `outputs`."""
    prefix = f"{role}_"
    found = []
    for name in sorted(names):
        if not name.startswith(prefix) or name.startswith(f"{prefix}_"):
            continue
        if name in options or name in outputs:
            continue
        close = difflib.get_close_matches(name, options, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        found.append(f"{name} is not an option of the {role} role{hint}")
    return found


class LookupModule(LookupBase):
    def run(self, terms: list[Any], variables: Any = None, **kwargs: Any) -> list[str]:
        if not variables or "role_path" not in variables:
            raise AnsibleLookupError("unknown_role_vars runs inside a role (no role_path)")
        role_path = Path(str(variables["role_path"]))
        spec_path = role_path / "meta" / "argument_specs.yml"
        try:
            spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
            options = list(spec["argument_specs"]["main"]["options"])
        except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
            raise AnsibleLookupError(f"no options in {spec_path}: {error}") from error
        return unknown(list(variables), role_path.name, options, [str(t) for t in terms])
