"""Recording generated blocks and replaying them, seen through getBlock."""

from __future__ import annotations

from pathlib import Path

import pytest
from solana.rpc.async_api import AsyncClient
from solders.transaction_status import TransactionDetails

from tests.validator.helpers import until

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def _signatures(client: AsyncClient, slots: list[int]) -> list[str]:
    out: list[str] = []
    for slot in slots:
        block = await client.get_block(
            slot,
            transaction_details=TransactionDetails.Signatures,
            max_supported_transaction_version=0,
        )
        out.extend(str(s) for s in block.value.signatures or [])
    return out


async def _enough(client: AsyncClient, count: int) -> list[int] | None:
    blocks = (await client.get_blocks(1)).value
    return blocks if len(blocks) >= count else None


async def test_replay_serves_recorded_transactions(start_validator, tmp_path: Path) -> None:
    """Blocks recorded under load come back, in order, from a replaying node."""
    record = tmp_path / "blocks.jsonl"
    recorder = start_validator("--tps", "200", "--signers", "0", "--record", str(record))
    async with AsyncClient(recorder.rpc_url) as client:
        slots = await until(lambda: _enough(client, 6))
        recorded = await _signatures(client, slots[:4])
    assert recorder.stop() == 0
    assert recorded

    player = start_validator("--replay", str(record), "--replay-rate", "40")
    async with AsyncClient(player.rpc_url) as client:
        slots = await until(lambda: _enough(client, 6))
        replayed = await _signatures(client, slots)
    assert replayed[: len(recorded)] == recorded
