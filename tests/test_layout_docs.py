"""The layout the docs describe is the layout of src/: a package added or a module moved fails
here until README.md's layout table and docs/lab.md's code-layout table say where it went.

Both tables drifted once: README's `src/chainops/` row never named `rpcgateway`, and the
`chainops.lab.aws` row missed `alarms.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainops.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "chainops"
LAB = PACKAGE / "lab"
CODE = re.compile(r"`([^`]+)`")


def _packages(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if (p / "__init__.py").is_file())


def _row(document: Path, first_cell: str) -> list[str]:
    """The cells of the table row whose first cell is `first_cell`."""
    for line in document.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"{document.relative_to(REPO_ROOT)} has no table row {first_cell}")


def test_readme_names_every_package_of_src() -> None:
    """README's layout row for src/chainops/ names each package (the lab's parts as lab.X)."""
    named = set(CODE.findall(_row(REPO_ROOT / "README.md", "`src/chainops/`")[1]))
    packages = {p.name for p in _packages(PACKAGE) if p != LAB}
    packages |= {f"lab.{p.name}" for p in _packages(LAB)}
    assert packages, "no package found under src/chainops"
    assert not packages - named, f"README.md's src/chainops/ row misses {sorted(packages - named)}"


def _lab_packages() -> list[Path]:
    return [LAB, *_packages(LAB)]


@pytest.mark.parametrize("package", _lab_packages(), ids=lambda p: p.name)
def test_lab_code_layout_lists_every_module(package: Path) -> None:
    """docs/lab.md's code-layout row of each lab package lists exactly its modules and data
    directories (a subpackage of chainops.lab has a row of its own)."""
    name = ".".join(package.relative_to(PACKAGE.parent).parts)
    listed = set(CODE.findall(_row(REPO_ROOT / "docs" / "lab.md", f"`{name}`")[1]))
    own_rows = set(_packages(LAB)) if package == LAB else set()
    present = {
        p.name if p.is_file() else f"{p.name}/"
        for p in package.iterdir()
        if p not in own_rows
        and p.name not in {"__init__.py", "__pycache__"}
        and (
            p.suffix == ".py" or (p.is_dir() and any(c.name != "__pycache__" for c in p.iterdir()))
        )
    }
    assert listed == present, (
        f"docs/lab.md's {name} row: missing {sorted(present - listed)}, "
        f"gone {sorted(listed - present)}"
    )
