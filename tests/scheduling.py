"""How `make test` spreads tests over xdist workers: by group, longest first.

A group is a module (its tests share module-scoped hosts and resources), except that every
test reading the session's applied stacks (the `deployment` fixture) joins one group, so the
stacks are applied once, on one worker, and destroyed after their last reader. Groups start
longest first (`pytest.mark.minutes`), so the longest do not finish last on one worker while
the others idle.

Groups depend on fixtures, which only the workers see, so each worker writes the group of each
test to a file the controller's scheduler reads. (xdist's own `--dist loadgroup` renames test
ids to carry the group, which pytest 9's node ids no longer allow: with pytest 9.2 and xdist
3.8 it groups nothing.)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

STACKS_GROUP = "stacks"
GROUPS_KEY = "chainops_groups_file"
_GROUPS_FILE = pytest.StashKey[Path]()


def group_of(item: pytest.Item) -> str:
    if "deployment" in getattr(item, "fixturenames", ()):
        return STACKS_GROUP
    return item.nodeid.split("::")[0]


def _minutes(item: pytest.Item) -> float:
    marker = item.get_closest_marker("minutes")
    return float(marker.args[0]) if marker else 0.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "minutes(n): the module takes about n minutes on the quiet 2-core VM; the longest "
        "start first, so they do not finish last",
    )
    config.addinivalue_line(
        "markers", "destroys_stacks: destroys the session's applied stacks, so it runs last"
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    if _GROUPS_FILE in config.stash:
        shutil.rmtree(config.stash[_GROUPS_FILE].parent, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the groups longest first, keeping file order inside each and the stacks' destroy
    last; on a worker, tell the controller each test's group."""
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        groups.setdefault(group_of(item), []).append(item)
    ordered = sorted(groups.items(), key=lambda group: -max(map(_minutes, group[1])))
    items[:] = [
        item
        for _, group in ordered
        for item in sorted(group, key=lambda i: i.get_closest_marker("destroys_stacks") is not None)
    ]
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if workerinput is not None:
        path = Path(workerinput[GROUPS_KEY])
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({i.nodeid: name for name, group in ordered for i in group}))
        partial.replace(path)  # every worker collects the same tests: the last write is as good


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """On the controller, for each worker: where to write the groups (made for the first one,
    so a run without xdist makes no directory)."""
    stash = node.config.stash
    if _GROUPS_FILE not in stash:
        stash[_GROUPS_FILE] = Path(tempfile.mkdtemp(prefix="chainops-groups-")) / "groups.json"
    node.workerinput[GROUPS_KEY] = str(stash[_GROUPS_FILE])


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # before xdist's own, which knows no groups
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # the collection's order is already longest first

    class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """xdist's scope scheduling with the workers' groups as scopes, in collection order,
        whatever --dist says."""

        _groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                self._groups = json.loads(config.stash[_GROUPS_FILE].read_text())
            return self._groups.get(nodeid, nodeid)

    return GroupScheduling(config, log)
