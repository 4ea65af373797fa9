"""Role READMEs' variable tables, generated from meta/argument_specs.yml (never written twice)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from chainops.paths import COLLECTION_ROOT, REPO_ROOT

BEGIN = (
    "<!-- BEGIN VARIABLES (generated from meta/argument_specs.yml: python -m chainops.roledocs) -->"
)
END = "<!-- END VARIABLES -->"


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("|", "\\|").replace("\n", " ")


def table(spec_file: Path) -> str:
    """A Markdown table of every option of the role's main entry point."""
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))["argument_specs"]["main"]
    rows = ["| variable | type | default | description |", "|---|---|---|---|"]
    for name, option in spec.get("options", {}).items():
        kind = option.get("type", "str")
        if "elements" in option:
            kind = f"{kind} of {option['elements']}"
        if "choices" in option:
            kind = f"{kind}: {', '.join(map(str, option['choices']))}"
        default = (
            "required" if option.get("required") else _cell(option.get("default", "see defaults"))
        )
        description = option.get("description", "")
        if isinstance(description, list):
            description = " ".join(description)
        rows.append(f"| `{name}` | {_cell(kind)} | `{default}` | {_cell(description)} |")
    return "\n".join([BEGIN, *rows, END])


def render(readme: Path, spec_file: Path) -> str:
    """The README with its generated table replaced (or appended under `## Variables`)."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    generated = table(spec_file)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + generated + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n## Variables\n\n" + generated + "\n"


def roles(root: Path = COLLECTION_ROOT / "roles") -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "meta" / "argument_specs.yml").exists())


def main() -> int:
    for role in roles():
        readme = role / "README.md"
        readme.write_text(render(readme, role / "meta" / "argument_specs.yml"), encoding="utf-8")
        print(f"wrote {readme.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
