"""`chainops validator` argument validation."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from solana.rpc.async_api import AsyncClient

from tests.validator.conftest import FAST, Validator

SLOT_MS = int(FAST[FAST.index("--slot-ms") + 1])


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


@pytest.mark.asyncio(loop_scope="function")
async def test_nodes_sharing_a_genesis_time_agree_on_the_slot(
    start_validator: Callable[..., Validator],
) -> None:
    """Two nodes started a second apart with one --genesis-time report the clock's slot."""
    genesis = time.time() - 1000
    first = start_validator("--genesis-time", str(genesis))
    await asyncio.sleep(1.0)
    second = start_validator("--genesis-time", str(genesis))
    slots = []
    for node in (first, second):
        async with AsyncClient(node.rpc_url) as client:
            slots.append((await client.get_slot()).value)
    expected = (time.time() - genesis) * 1000 / SLOT_MS
    # Each follows the clock (within half a second on a loaded machine); they agree closely.
    assert all(abs(slot - expected) <= 10 for slot in slots), (slots, expected)
    assert abs(slots[0] - slots[1]) <= 3, slots
