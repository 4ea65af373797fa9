# Copyright chainops contributors
# Apache License 2.0 (see the project's pyproject.toml)
"""Where the chainops controller package keeps what the playbooks call."""

from __future__ import annotations

DOCUMENTATION = r"""
name: paths
short_description: Paths of the chainops controller package (its CLI, its Terraform stacks)
description:
  - The collection drives the C(chainops) Python package installed beside Ansible on the
    controller. This lookup is the one place that says where its pieces are, so playbooks,
    inventories and molecule scenarios never spell a path themselves.
  - C(cli) is the C(chainops) command beside the controller's Python (the interpreter running
    Ansible, C(ansible_playbook_python)).
  - C(terraform_stacks) is the directory of the project's Terraform stacks.
  - Fails, naming what is missing, when the package is not installed.
author: chainops contributors (@chainops)
options:
  _terms:
    description: Which paths, C(cli) or C(terraform_stacks).
    required: true
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Start the lab AWS
  ansible.builtin.command:
    argv: ["{{ lookup('chainops.platform.paths', 'cli') }}", lab, up]
"""

RETURN = r"""
_raw:
  description: One path per term.
  type: list
  elements: path
"""

import sys
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase


def _cli() -> Path:
    path = Path(sys.executable).parent / "chainops"
    if not path.exists():
        raise AnsibleLookupError(
            f"no chainops CLI at {path}: install the chainops package into the Python that runs "
            "Ansible (the project's `make bootstrap` does)"
        )
    return path


def _terraform_stacks() -> Path:
    try:
        from chainops.paths import REPO_ROOT  # only this term needs the package
    except ImportError as error:
        raise AnsibleLookupError(f"the chainops package is not importable here: {error}") from error
    return REPO_ROOT / "terraform" / "stacks"


_PATHS = {"cli": _cli, "terraform_stacks": _terraform_stacks}


class LookupModule(LookupBase):
    def run(self, terms: list[Any], variables: Any = None, **kwargs: Any) -> list[str]:
        unknown = [term for term in terms if term not in _PATHS]
        if unknown:
            raise AnsibleLookupError(
                f"unknown chainops path(s) {unknown}: known are {sorted(_PATHS)}"
            )
        return [str(_PATHS[term]()) for term in terms]
