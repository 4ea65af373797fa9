"""`chainops validator` argument validation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_bad_arguments_exit_with_a_clear_message(tmp_path: Path) -> None:
    """Invalid settings are refused before anything starts, naming the setting."""
    command = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]
    bad = subprocess.run(
        [*command, "validator", "--slot-ms", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "slot_ms" in bad.stderr
    missing = subprocess.run(
        [*command, "validator", "--replay", str(tmp_path / "none.jsonl")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    mix = subprocess.run(
        [*command, "validator", "--mix", "transfer=x"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert mix.returncode == 2
    assert "not a number" in mix.stderr
