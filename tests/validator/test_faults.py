"""Each fault, switched at run time, as a client sees it."""

from __future__ import annotations

import asyncio
import time

import httpx2
import pytest
from solana.exceptions import SolanaRpcException
from solana.rpc.async_api import AsyncClient
from solana.rpc.websocket_api import SolanaWsClient
from solders.rpc.responses import SlotNotification
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.validator.helpers import rpc_error, until

pytestmark = pytest.mark.asyncio(loop_scope="function")
WAIT_S = 10


async def test_drop_websockets(start_validator) -> None:
    """Dropping websockets cuts a live subscription without a close frame."""
    node = start_validator()
    async with SolanaWsClient(node.ws_url) as ws:
        await ws.slot_subscribe()
        assert isinstance(await asyncio.wait_for(ws.recv(), WAIT_S), SlotNotification)
        assert node.faults.drop_websockets() == 1
        with pytest.raises(ConnectionClosed):
            await _drain(ws)


async def _drain(ws: SolanaWsClient) -> None:
    while True:
        await asyncio.wait_for(ws.recv(), WAIT_S)


async def test_stall_slots(start_validator) -> None:
    """While stalled the slot stands still; after the switch it advances again."""
    node = start_validator()
    async with AsyncClient(node.rpc_url) as client:
        node.faults.set(stall_slots=True)
        stalled = (await client.get_slot(commitment="processed")).value
        await asyncio.sleep(0.3)  # six slot times: the stall is the absence of progress
        assert (await client.get_slot(commitment="processed")).value == stalled
        node.faults.set(stall_slots=False)
        await until(lambda: _past(client, stalled))


async def _past(client: AsyncClient, slot: int) -> bool:
    return (await client.get_slot(commitment="processed")).value > slot


async def test_skip_slots(start_validator) -> None:
    """Skipped slots leave gaps in getBlocks and answer -32007 with Agave's message."""
    node = start_validator()
    async with AsyncClient(node.rpc_url) as client:
        node.faults.set(skip_next=2)
        blocks = await until(lambda: _gap(client))
        skipped = next(s for s in range(blocks[0], blocks[-1]) if s not in blocks)
        error = await rpc_error(client, "getBlock", [skipped])
        assert error.code == -32007
        assert error.message == (
            f"Slot {skipped} was skipped, or missing due to ledger jump to recent snapshot"
        )


async def _gap(client: AsyncClient) -> list[int] | None:
    blocks = (await client.get_blocks(0)).value
    return blocks if blocks and blocks[-1] - blocks[0] + 1 > len(blocks) else None


async def test_skip_probability_is_seeded(start_validator) -> None:
    """--skip-probability with a seed skips the same slots on every run."""
    first = start_validator("--skip-probability", "0.3", "--seed", "7")
    second = start_validator("--skip-probability", "0.3", "--seed", "7")
    async with AsyncClient(first.rpc_url) as a, AsyncClient(second.rpc_url) as b:
        await until(lambda: _finalized_past(a, 25))
        await until(lambda: _finalized_past(b, 25))
        assert (await a.get_blocks(0, 20)).value == (await b.get_blocks(0, 20)).value
        assert len((await a.get_blocks(0, 20)).value) < 21


async def _finalized_past(client: AsyncClient, slot: int) -> bool:
    return (await client.get_slot()).value > slot


async def test_http_429_with_retry_after(start_validator) -> None:
    """The 429 fault answers Too Many Requests with Retry-After; clearing it restores service."""
    node = start_validator()
    node.faults.set(http_429=True, retry_after_s=3)
    async with AsyncClient(node.rpc_url) as client:
        with pytest.raises(SolanaRpcException) as raised:
            await client.get_slot()
        cause = raised.value.__cause__
        assert isinstance(cause, httpx2.HTTPStatusError)
        assert cause.response.status_code == 429
        assert cause.response.headers["Retry-After"] == "3"
        node.faults.clear()
        assert (await client.get_slot()).value >= 0


async def test_slow_responses(start_validator) -> None:
    """slow_ms delays every answer by at least that long."""
    node = start_validator()
    node.faults.set(slow_ms=300)
    async with AsyncClient(node.rpc_url) as client:
        began = time.monotonic()
        await client.get_slot()
        assert time.monotonic() - began >= 0.3


async def test_overload_answers_429(start_validator) -> None:
    """Past --max-inflight concurrent requests the node answers 429, like a loaded node."""
    node = start_validator("--max-inflight", "2")
    node.faults.set(slow_ms=300)
    async with AsyncClient(node.rpc_url, http2=False) as client:
        results = await asyncio.gather(
            *(client.get_slot() for _ in range(8)), return_exceptions=True
        )
    refused = [r for r in results if isinstance(r, SolanaRpcException)]
    assert 0 < len(refused) < 8
    assert all(r.__cause__.response.status_code == 429 for r in refused)  # type: ignore[union-attr]


async def test_websocket_connections_refused(start_validator) -> None:
    """ws_reject refuses new websocket upgrades with 429; existing ones keep working."""
    node = start_validator()
    node.faults.set(ws_reject=True)
    with pytest.raises(InvalidStatus) as refused:
        async with SolanaWsClient(node.ws_url):
            pass
    assert refused.value.response.status_code == 429
    node.faults.set(ws_reject=False)
    async with SolanaWsClient(node.ws_url) as ws:
        await ws.slot_subscribe()
        assert isinstance(await asyncio.wait_for(ws.recv(), WAIT_S), SlotNotification)


async def test_unknown_fault_is_refused(start_validator) -> None:
    """The admin endpoint rejects unknown faults and wrong types with a 400."""
    import urllib.error

    node = start_validator()
    with pytest.raises(urllib.error.HTTPError) as bad:
        node.faults.set(explode=True)
    assert bad.value.code == 400
    with pytest.raises(urllib.error.HTTPError):
        node.faults.set(slow_ms="fast")
    assert node.faults.get()["slow_ms"] == 0
