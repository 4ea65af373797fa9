"""The stack scaffold: what every stack shares lives once in terraform/scaffold/, linked.

Static checks of the files, no Terraform and no lab (terraform/scaffold/README.md). Terraform's
`validate` already rejects a variable, provider or pin declared twice in one stack; these tests
catch what it cannot: a shared file copied into a stack, a link that only works on this machine,
and a stack's own input put into the shared file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from chainops import paths

TERRAFORM = paths.REPO_ROOT / "terraform"
SCAFFOLD = TERRAFORM / "scaffold"
STACKS = sorted(d for d in (TERRAFORM / "stacks").iterdir() if any(d.glob("*.tf")))
# Backends differ between stacks: a stack links at most one, or declares its own.
BACKEND_PREFIX = "backend_"

VARIABLE = re.compile(r'^variable "([^"]+)"', re.MULTILINE)
BACKEND = re.compile(r'^\s*backend "', re.MULTILINE)


def _scaffold_files() -> list[Path]:
    return sorted(SCAFFOLD.glob("*.tf"))


def _shared_by_every_stack() -> list[str]:
    return [f.name for f in _scaffold_files() if not f.name.startswith(BACKEND_PREFIX)]


def _own_files(stack: Path) -> list[Path]:
    """The stack's own .tf files: everything but its links."""
    return sorted(f for f in stack.glob("*.tf") if not f.is_symlink())


def _links(stack: Path) -> list[Path]:
    return sorted(f for f in stack.iterdir() if f.is_symlink())


def _stack_ids(stack: Path) -> str:
    return stack.name


def test_the_scaffold_and_the_stacks_exist() -> None:
    """The paths this module checks are real (a rename must not leave it checking nothing)."""
    assert {s.name for s in STACKS} >= {"state_bootstrap", "foundation", "blockchain", "core"}
    assert {"versions.tf", "providers.tf", "common_variables.tf"} <= set(_shared_by_every_stack())


@pytest.mark.parametrize("stack", STACKS, ids=_stack_ids)
def test_stack_links_every_shared_file(stack: Path) -> None:
    """Each file every stack shares is a link in the stack, not a copy (the same name)."""
    for name in _shared_by_every_stack():
        path = stack / name
        assert path.is_symlink(), (
            f"{path.relative_to(TERRAFORM)} must be a link to the scaffold's file "
            f"(cd {stack.relative_to(paths.REPO_ROOT)} && ln -sf ../../scaffold/{name} .); "
            "change the scaffold's file, or put what only this stack needs in a file of its own"
        )


@pytest.mark.parametrize("stack", STACKS, ids=_stack_ids)
def test_stack_links_are_relative_and_resolve_into_the_scaffold(stack: Path) -> None:
    """A link is relative (it works in any clone or copy of terraform/), named like its target."""
    for link in _links(stack):
        target = os.readlink(link)
        where = link.relative_to(TERRAFORM)
        assert not os.path.isabs(target), f"{where} -> {target}: make the link relative"
        resolved = link.resolve()
        assert resolved.is_file(), f"{where} -> {target} does not resolve to a file"
        assert resolved.parent == SCAFFOLD, f"{where} -> {target} points outside the scaffold"
        assert resolved.name == link.name, f"{where} -> {target}: name the link like its target"


@pytest.mark.parametrize("stack", STACKS, ids=_stack_ids)
def test_stack_holds_no_copy_of_a_scaffold_file(stack: Path) -> None:
    """No file of the stack's own is named like a scaffold file or has a scaffold file's bytes."""
    scaffold = {f.name: f.read_bytes() for f in _scaffold_files()}
    for own in _own_files(stack):
        where = own.relative_to(TERRAFORM)
        assert own.name not in scaffold, f"{where} is a copy of scaffold/{own.name}: link it"
        copied = [name for name, content in scaffold.items() if content == own.read_bytes()]
        assert not copied, f"{where} has the bytes of scaffold/{copied[0]}: link that instead"


def test_no_two_stacks_hold_the_same_file() -> None:
    """No two stacks hold byte-identical files of their own: shared text belongs in the scaffold."""
    seen: dict[bytes, Path] = {}
    for stack in STACKS:
        for own in _own_files(stack):
            content = own.read_bytes()
            first = seen.setdefault(content, own)
            assert first == own, (
                f"{own.relative_to(TERRAFORM)} and {first.relative_to(TERRAFORM)} are the same "
                "bytes: move the file into terraform/scaffold/ and link it from both"
            )


def test_every_scaffold_file_is_shared() -> None:
    """A scaffold file is linked by two stacks or more; one stack's file belongs in that stack."""
    for scaffold_file in _scaffold_files():
        users = [s.name for s in STACKS if (s / scaffold_file.name).is_symlink()]
        assert len(users) >= 2, (
            f"scaffold/{scaffold_file.name} is linked by {users or 'no stack'}: "
            "move it into the stack that uses it, or delete it"
        )


@pytest.mark.parametrize("stack", STACKS, ids=_stack_ids)
def test_stack_declares_one_backend(stack: Path) -> None:
    """Exactly one backend per stack, whether linked from the scaffold or the stack's own."""
    declaring = [f.name for f in sorted(stack.glob("*.tf")) if BACKEND.search(f.read_text())]
    assert len(declaring) == 1, f"{stack.name}: backend declared in {declaring or 'no file'}"


def test_common_inputs_are_used_by_every_stack() -> None:
    """Every input in the scaffold's common_variables.tf is read by the scaffold or every stack.

    A variable only some stacks read is a stack's own input: it goes in their variables.tf.
    """
    common = VARIABLE.findall((SCAFFOLD / "common_variables.tf").read_text())
    assert common
    scaffold_text = "".join(f.read_text() for f in _scaffold_files())
    for name in common:
        used = re.compile(rf"\bvar\.{re.escape(name)}\b")
        if used.search(scaffold_text):
            continue
        unused_in = [
            s.name for s in STACKS if not any(used.search(f.read_text()) for f in _own_files(s))
        ]
        assert not unused_in, (
            f"common input {name!r} is not read by {unused_in}: "
            "move it into the variables.tf of the stacks that read it"
        )


@pytest.mark.parametrize("stack", STACKS, ids=_stack_ids)
def test_stack_does_not_redeclare_a_common_input(stack: Path) -> None:
    """A stack's own files declare none of the common inputs (the scaffold's are its own)."""
    common = set(VARIABLE.findall((SCAFFOLD / "common_variables.tf").read_text()))
    for own in _own_files(stack):
        twice = common & set(VARIABLE.findall(own.read_text()))
        assert not twice, f"{own.relative_to(TERRAFORM)} redeclares common input(s) {twice}"
