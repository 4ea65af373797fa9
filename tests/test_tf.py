"""`chainops tf`: the generated CLI config and real Terraform installing from the local mirror."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from chainops import paths, tf
from chainops.errors import LabError
from chainops.lab.settings import LabSettings

CHAINOPS = paths.REPO_ROOT / ".venv" / "bin" / "chainops"
AWS = "registry.terraform.io/hashicorp/aws"
AWS_VERSION = "5.100.0"
# Nothing listens on the discard port: any registry request through this proxy fails at once.
DEAD_PROXY = "http://127.0.0.1:9"

VERSIONS_TF = f"""\
terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "{AWS_VERSION}"
    }}
  }}
}}
"""


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test writes its CLI config and plugin cache into its own CHAINOPS_CACHE."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CHAINOPS_CACHE", str(cache))
    monkeypatch.delenv("CHAINOPS_TF_BINARY", raising=False)
    monkeypatch.delenv("CI", raising=False)
    return cache


def _fake_mirror(root: Path, *providers: str) -> Path:
    """A filesystem mirror in unpacked registry layout holding empty provider packages."""
    for address in providers:
        (root / address / "1.0.0" / "linux_amd64").mkdir(parents=True)
    return root


def _chainops_tf(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHAINOPS), "tf", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _mirror_with_aws() -> Path | None:
    for mirror in tf.find_provider_mirrors():
        if (mirror / AWS / AWS_VERSION).is_dir():
            return mirror
    return None


def test_render_without_mirrors_installs_direct(tmp_path: Path) -> None:
    """No mirror: Terraform's default installation (the registry) and the plugin cache."""
    config = tf.render_cli_config([], tmp_path / "plugin-cache")
    assert f'plugin_cache_dir = "{tmp_path}/plugin-cache"' in config
    assert "  direct {}" in config
    assert "filesystem_mirror" not in config
    assert "exclude" not in config


def test_render_with_mirrors_includes_exactly_their_providers(tmp_path: Path) -> None:
    """Each mirror serves exactly its providers; those and only those are excluded from direct."""
    first = _fake_mirror(tmp_path / "one", "registry.terraform.io/hashicorp/aws")
    second = _fake_mirror(
        tmp_path / "two",
        "registry.terraform.io/hashicorp/aws",  # already served by the first mirror
        "registry.terraform.io/hashicorp/random",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    config = tf.render_cli_config([first, second, empty], tmp_path / "cache")

    assert config.count("filesystem_mirror {") == 2
    assert f'path    = "{first}"\n    include = ["registry.terraform.io/hashicorp/aws"]' in config
    assert (
        f'path    = "{second}"\n    include = ["registry.terraform.io/hashicorp/random"]' in config
    )
    assert str(empty) not in config
    both = '"registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/random"'
    assert f"direct {{\n    exclude = [{both}]\n  }}" in config


def test_rendered_config_is_accepted_by_terraform(tmp_path: Path) -> None:
    """The rendered HCL parses: Terraform reports no problem with the CLI configuration."""
    mirror = _fake_mirror(tmp_path / 'mirror "dir" ä', "registry.terraform.io/hashicorp/aws")
    cache = tmp_path / "plugin cache"
    cache.mkdir()
    rc = tmp_path / "terraformrc"
    rc.write_text(tf.render_cli_config([mirror], cache), encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc)}
    result = subprocess.run(
        [tf.binary(), "version"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "problems with the CLI configuration" not in result.stderr, result.stderr


def test_dollar_in_a_path_is_refused(tmp_path: Path) -> None:
    """Terraform would expand `$x` in a CLI config path, so such a path is an error."""
    mirror = _fake_mirror(tmp_path / "mirror$HOME", "registry.terraform.io/hashicorp/aws")
    with pytest.raises(LabError, match="containing '\\$'"):
        tf.render_cli_config([mirror], tmp_path / "cache")


def test_find_provider_mirrors_honours_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$CHAINOPS_TF_PROVIDER_MIRROR dirs come first; missing or empty ones are skipped."""
    mirror = _fake_mirror(tmp_path / "mirror", "example.com/acme/thing")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(
        "CHAINOPS_TF_PROVIDER_MIRROR",
        os.pathsep.join([str(tmp_path / "missing"), str(empty), str(mirror)]),
    )
    found = tf.find_provider_mirrors()
    assert found[0] == mirror
    assert empty not in found
    assert tmp_path / "missing" not in found


def test_write_cli_config_rewrites_only_on_change(isolated_cache: Path) -> None:
    """The config lands in the cache with its plugin cache, and is not rewritten when unchanged."""
    path = tf.write_cli_config()
    assert path == isolated_cache / "terraform" / "terraformrc"
    assert (isolated_cache / "terraform" / "plugin-cache").is_dir()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert tf.write_cli_config() == path
    assert path.stat().st_mtime_ns == 1_000_000_000
    path.write_text("stale\n", encoding="utf-8")
    tf.write_cli_config()
    assert path.read_text(encoding="utf-8").startswith("# Generated by chainops")


def test_terraform_env_points_at_config_and_lab(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment carries the generated CLI config, the lab's AWS and, on CI, automation."""
    monkeypatch.setenv("CI", "true")
    settings = LabSettings(host="127.0.0.1", port=4599, regions=("eu-west-1",))
    env = tf.terraform_env(settings)
    assert Path(env["TF_CLI_CONFIG_FILE"]) == tf.write_cli_config()
    assert env["TF_IN_AUTOMATION"] == "1"
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
    assert env["AWS_REGION"] == "eu-west-1"
    assert env["PATH"] == os.environ["PATH"]
    assert tf.terraform_env(None).get("AWS_ENDPOINT_URL") == os.environ.get("AWS_ENDPOINT_URL")


def test_missing_binary_is_a_one_line_error(tmp_path: Path) -> None:
    """A missing Terraform CLI is reported in one line by `chainops tf`, exit code 1."""
    env = {**os.environ, "CHAINOPS_TF_BINARY": str(tmp_path / "no-terraform")}
    result = _chainops_tf("version", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("chainops: Terraform CLI"), result.stderr
    assert "Traceback" not in result.stderr


def test_exit_code_and_chdir_pass_through(tmp_path: Path) -> None:
    """Terraform's exit code is returned and its own -chdir flag reaches it."""
    ok = _chainops_tf(f"-chdir={tmp_path}", "version", cwd=paths.REPO_ROOT)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(("Terraform v", "OpenTofu v"))
    failed = _chainops_tf(f"-chdir={tmp_path / 'missing'}", "version", cwd=paths.REPO_ROOT)
    assert failed.returncode == 1


def _root_with_variables(root: Path) -> Path:
    """A root module declaring vpc_cidr (quoted label), zones (bare label) and tags (JSON)."""
    root.mkdir()
    (root / "variables.tf").write_text(
        'variable "vpc_cidr" {\n  type = string\n}\n\nvariable zones {\n  type = list(string)\n}\n'
    )
    (root / "more.tf.json").write_text(json.dumps({"variable": {"tags": {"default": {}}}}))
    return root


def test_declared_variables_read_hcl_and_json_roots(tmp_path: Path) -> None:
    """Variables are found in .tf files, quoted or bare, and in .tf.json files."""
    root = _root_with_variables(tmp_path / "stack")
    assert tf.declared_variables(root) == {"vpc_cidr", "zones", "tags"}


def test_var_file_names_are_the_top_level_attributes(tmp_path: Path) -> None:
    """A .tfvars file's names are its top-level attributes only: not nested keys, nor text in
    comments, strings or heredocs."""
    var_file = tmp_path / "x.tfvars"
    var_file.write_text(
        "# commented = 1\n"
        'vpc_cidr = "10.0.0.0/16" // trailing\n'
        'subnets = {\n  public = ["a"]\n  inner = { deep = 1 }\n}\n'
        "description = <<-EOT\n  in_heredoc = 1\n  EOT\n"
        'tags={a="}"\nb = 2}\n'
        "/* block\nhidden = 1 */\nlast=3\n"
    )
    assert tf.var_file_names(var_file) == ["vpc_cidr", "subnets", "description", "tags", "last"]


def test_undeclared_variable_stops_the_run_naming_it_and_the_stack(tmp_path: Path) -> None:
    """A var file (explicit, either flag form, or auto-loaded) setting a variable the root does
    not declare fails before Terraform runs (the binary is missing here and never looked for),
    naming the variable, its file, the stack and the likely intended name."""
    root = _root_with_variables(tmp_path / "foundation")
    (root / "good.tfvars.json").write_text(json.dumps({"vpc_cidr": "10.0.0.0/16", "tags": {}}))
    (root / "bad.tfvars.json").write_text(json.dumps({"vpc_cdir": "10.0.0.0/16"}))
    env = {**os.environ, "CHAINOPS_TF_BINARY": str(tmp_path / "no-terraform")}
    for args in (
        ["plan", "-var-file=bad.tfvars.json"],
        ["apply", "-var-file", "good.tfvars.json", "-var-file", str(root / "bad.tfvars.json")],
    ):
        result = _chainops_tf(f"-chdir={root}", *args, cwd=tmp_path, env=env)
        assert result.returncode == 1
        assert result.stderr.startswith(
            f"chainops: stack foundation ({root}) declares no variable vpc_cdir, set in "
        ), result.stderr
        assert "(did you mean vpc_cidr?)" in result.stderr
    (root / "bad.tfvars.json").rename(root / "typo.auto.tfvars.json")
    auto = _chainops_tf("plan", cwd=root, env=env)
    assert "declares no variable vpc_cdir, set in" in auto.stderr, auto.stderr
    (root / "typo.auto.tfvars.json").unlink()
    clean = _chainops_tf("plan", "-var-file=good.tfvars.json", cwd=root, env=env)
    assert clean.stderr.startswith("chainops: Terraform CLI"), clean.stderr


def test_init_and_schema_offline_from_the_mirror(tmp_path: Path) -> None:
    """`chainops tf init` installs hashicorp/aws 5.100.0 (from the mirror, with the registry
    made unreachable, where a mirror holds it; from the registry on a connected machine
    without one), and `providers schema -json` then lists aws_placement_group."""
    if shutil.which(tf.binary()) is None:
        pytest.fail(f"{tf.binary()} is not installed")
    (tmp_path / "versions.tf").write_text(VERSIONS_TF, encoding="utf-8")
    env = dict(os.environ)
    if _mirror_with_aws() is not None:
        env |= {"HTTPS_PROXY": DEAD_PROXY, "HTTP_PROXY": DEAD_PROXY, "NO_PROXY": ""}

    init = _chainops_tf("init", "-input=false", "-no-color", cwd=tmp_path, env=env)
    assert init.returncode == 0, init.stdout + init.stderr
    # From the mirror, through the plugin cache it was linked into (or, without one, installed).
    installed = (f"Installed hashicorp/aws v{AWS_VERSION}", f"Using hashicorp/aws v{AWS_VERSION}")
    assert any(line in init.stdout for line in installed), init.stdout
    lock = (tmp_path / ".terraform.lock.hcl").read_text(encoding="utf-8")
    assert f'provider "{AWS}"' in lock
    assert f'version     = "{AWS_VERSION}"' in lock

    schema = _chainops_tf("providers", "schema", "-json", cwd=tmp_path, env=env)
    assert schema.returncode == 0, schema.stderr
    provider = json.loads(schema.stdout)["provider_schemas"][AWS]
    assert "aws_placement_group" in provider["resource_schemas"]
    placement_group = provider["resource_schemas"]["aws_placement_group"]["block"]["attributes"]
    assert {"name", "strategy", "partition_count", "spread_level", "arn"} <= set(placement_group)


def test_seeded_cache_links_unpacked_packages_once(tmp_path: Path) -> None:
    """Each unpacked mirror package is linked into the cache; a present entry is kept, a dangling
    one replaced, and packed (zip) providers are left to Terraform."""
    mirror = _fake_mirror(tmp_path / "mirror", AWS, "registry.terraform.io/hashicorp/random")
    (mirror / "example.com/acme/thing").mkdir(parents=True)
    (mirror / "example.com/acme/thing/terraform-provider-thing_1.0.0_linux_amd64.zip").touch()
    cache = tmp_path / "cache"
    kept = cache / "registry.terraform.io/hashicorp/random/1.0.0/linux_amd64"
    kept.mkdir(parents=True)
    dangling = cache / AWS / "1.0.0" / "linux_amd64"
    dangling.parent.mkdir(parents=True)
    dangling.symlink_to(tmp_path / "gone")

    tf.seed_plugin_cache([mirror], cache)

    assert dangling.resolve() == mirror / AWS / "1.0.0" / "linux_amd64"
    assert kept.is_dir()
    assert not kept.is_symlink()
    assert not (cache / "example.com").exists()
    assert not [p for p in cache.rglob(".*")]


def test_a_lockless_init_leaves_the_shared_cache_entry_in_place(tmp_path: Path) -> None:
    """A root without a lock file (a new root, a module's example) installs from the cache
    instead of replacing the cache entry under concurrent runs (CI failed once on that race:
    `fork/exec .terraform/providers/...: no such file or directory`)."""
    mirror = _mirror_with_aws()
    if mirror is None:
        pytest.fail(f"no local mirror holds {AWS} {AWS_VERSION}")
    config = tf.write_cli_config()
    entry = config.parent / "plugin-cache" / AWS / AWS_VERSION / "linux_amd64"
    before = entry.lstat()
    assert entry.resolve() == (mirror / AWS / AWS_VERSION / "linux_amd64").resolve()

    (tmp_path / "versions.tf").write_text(VERSIONS_TF, encoding="utf-8")
    init = _chainops_tf("init", "-input=false", "-no-color", cwd=tmp_path)
    assert init.returncode == 0, init.stdout + init.stderr
    assert "from the shared cache directory" in init.stdout, init.stdout

    after = entry.lstat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
