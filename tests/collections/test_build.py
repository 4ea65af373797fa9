"""chainops.platform as a real collection: `ansible-galaxy collection build`, installed into a
clean path, passes `ansible-test sanity` (every test it runs without containers) and runs a lab
phase from there, with the repository's own copy out of Ansible's sight."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chainops.lab.settings import LabSettings
from chainops.paths import COLLECTION_ROOT, REPO_ROOT
from tests.helpers import ansible_env, copy_lab_inventory

VENV_BIN = Path(sys.executable).parent
# ansible-test puts pip into each sanity virtualenv with a script it downloads from a host this
# machine cannot reach; it looks in its cache first (see get_pip.py).
GET_PIP_CACHE = Path.home() / ".ansible" / "test" / "cache"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built artifact installed under a fresh collections path; yields that path."""
    work = tmp_path_factory.mktemp("collection")
    built = subprocess.run(
        [str(VENV_BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(work)],
        cwd=COLLECTION_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (artifact,) = work.glob("chainops-platform-*.tar.gz")
    path = work / "installed"
    install = subprocess.run(
        [str(VENV_BIN / "ansible-galaxy"), "collection", "install", "--no-deps", "--force",
         "-p", str(path), str(artifact)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    return path


def test_artifact_holds_the_roles_and_playbooks_not_the_scenarios(installed: Path) -> None:
    root = installed / "ansible_collections" / "chainops" / "platform"
    roles = {p.name for p in (root / "roles").iterdir()}
    assert roles == {p.name for p in (COLLECTION_ROOT / "roles").iterdir()}
    assert {p.stem for p in (root / "playbooks").glob("*.yml")} >= {
        "site", "lab", "provision", "fleet", "listeners", "verify",
    }  # fmt: skip
    assert not list(root.glob("roles/*/molecule"))


@pytest.mark.minutes(2)
def test_sanity_passes_on_the_installed_collection(installed: Path) -> None:
    cached = GET_PIP_CACHE / "get_pip_24_2.py"
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).with_name("get_pip.py"), cached)
    result = subprocess.run(
        [str(VENV_BIN / "ansible-test"), "sanity", "--python", "3.11", "--color", "no"],
        cwd=installed / "ansible_collections" / "chainops" / "platform",
        env={**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "out of" not in result.stderr  # "The N sanity test(s) ... (out of 24) failed"


def test_lab_phase_runs_from_the_installed_collection(
    installed: Path, lab: LabSettings, tmp_path: Path
) -> None:
    """chainops.platform.lab from the install, outside the repository: it finds the test's lab
    AWS running (no change) through the collection's own lookup and the inventory's variables."""
    inventory = copy_lab_inventory(tmp_path, lab.endpoint)
    env = ansible_env(ANSIBLE_COLLECTIONS_PATH=str(installed))
    for args in (["--syntax-check"], []):
        result = subprocess.run(
            [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), "chainops.platform.lab",
             *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    assert "changed=0" in result.stdout
    assert "Run chainops lab up" in result.stdout
    assert str(REPO_ROOT / "collections") not in result.stdout


def test_the_changelog_records_the_collections_version() -> None:
    """galaxy.yml's version has its release in changelogs/changelog.yaml and CHANGELOG.md
    (0.2.0, the collection's roles and playbooks, shipped without one)."""
    version = yaml.safe_load((COLLECTION_ROOT / "galaxy.yml").read_text(encoding="utf-8"))[
        "version"
    ]
    changelog = yaml.safe_load(
        (COLLECTION_ROOT / "changelogs" / "changelog.yaml").read_text(encoding="utf-8")
    )
    assert version in changelog["releases"], f"changelogs/changelog.yaml has no {version}"
    assert f"## {version} " in (COLLECTION_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
