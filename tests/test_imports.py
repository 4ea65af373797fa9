"""The import graph of src/chainops: every module imports on its own, no cycle, and the layers
(docs/lab.md) hold: a package never imports the CLI above it, the lab AWS never its hosts.

The graph is read from the source (every import statement, in functions and under
TYPE_CHECKING too: a cycle deferred to run time is still a cycle), plus the subcommand
modules `chainops.cli` loads by name.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from chainops import cli

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "chainops"

# (importers, what they must not import, why); a name covers its submodules.
FORBIDDEN = (
    ("chainops", "chainops.cli", "only `python -m chainops` enters the CLI: no arrow runs back up"),
    ("chainops.lab.aws", "chainops.lab.hosts", "the hosts sit on the lab AWS, not under it"),
    ("chainops.lab.aws", "chainops.lab.release", "the lab AWS builds no release"),
    ("chainops.lab.hosts", "chainops.lab.release", "releases are built apart from the hosts"),
    ("chainops.lab.release", "chainops.lab.aws", "a release runs on a host, without the lab AWS"),
    ("chainops.lab.release", "chainops.lab.hosts", "a release runs on a host, not on the hosts"),
    ("chainops.lab", "chainops.lab.cli", "the parts of the lab register into its command group"),
    ("chainops.lab.settings", "chainops", "the lab's settings are a leaf everything may read"),
    ("chainops.errors", "chainops", "the shared exceptions are a leaf"),
    ("chainops.paths", "chainops", "the project's paths are a leaf"),
    ("chainops.commandline", "chainops", "the CLI helpers are a leaf"),
    *(
        (service, "chainops.lab", "a service ships to hosts without the lab")
        for service in (
            "chainops.validator",
            "chainops.listener",
            "chainops.consumer",
            "chainops.rpcgateway",
        )
    ),
    ("chainops.pipeline", "chainops.lab", "the pipeline's events ship without the lab"),
)
ALLOWED = {
    ("chainops.__main__", "chainops.cli"),
    # A leaf may raise the shared exceptions, a leaf too: a bad setting is a UsageError.
    ("chainops.lab.settings", "chainops.errors"),
}


def _name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(module: str, path: Path) -> Iterator[str]:
    """The chainops modules `module` imports; `from package import name` counts the submodule
    `package.name` when there is one, else the package."""
    modules = _modules()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in modules else base


@cache
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {
        module: {
            target for target in _imported(module, path) if target in modules and target != module
        }
        for module, path in modules.items()
    }
    # `chainops.cli` loads the packages' subcommand modules by name.
    graph["chainops.cli"] |= {name for name in cli.COMMANDS if name in modules}
    return graph


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(f"{prefix}.")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return components


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """Each module under src/chainops imports on its own: in a fresh interpreter, with every
    chainops module unloaded before the next is imported, so none leans on one imported before
    it. (Third-party packages stay loaded: re-importing C extensions is unsafe. One interpreter
    per module finds nothing more today, 114 of them in 12 s, against 1 s here.)"""
    names = sorted(m for m in _modules() if m != "chainops.__main__")  # it runs the CLI
    script = (
        "import importlib, json, sys, traceback\n"
        "failed = {}\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    for loaded in [m for m in sys.modules if m.partition('.')[0] == 'chainops']:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        failed[name] = traceback.format_exc(limit=-3)\n"
        "print(json.dumps(failed))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(names)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {}


def test_the_graph_sees_the_lab_split() -> None:
    """The graph reads relative and `from package import module` imports as module edges."""
    graph = _graph()
    assert "chainops.lab.aws.clients" in graph["chainops.lab.hosts.nodes"]
    assert "chainops.lab.hosts.podman" in graph["chainops.lab.hosts.bridge"]
    assert "chainops.validator.cli" in graph["chainops.lab.release.agave"]
    assert "chainops.lab.cli" in graph["chainops.cli"]


def test_no_import_cycle_in_src() -> None:
    """No import cycle in src/: every module's imports form a DAG."""
    cycles = _cycles(_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_layers_hold() -> None:
    """No module imports what its layer forbids (the FORBIDDEN table says why)."""
    broken = [
        f"{module} imports {target}: {why}"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        for importer, forbidden, why in FORBIDDEN
        if _within(module, importer)
        and _within(target, forbidden)
        and (module, target) not in ALLOWED
    ]
    assert not broken, "\n".join(broken)
