"""Bounded polling helpers for the validator tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from solana.rpc.async_api import AsyncClient
from solana.rpc.jsonrpc import JsonRpcRequest, SolanaJsonRpcError
from solders.keypair import Keypair
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction, VersionedTransaction

T = TypeVar("T")


async def until(probe: Callable[[], Awaitable[T | None]], *, timeout: float = 15.0) -> T:
    """Poll `probe` until it returns a truthy value; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)


async def rpc_error(client: AsyncClient, method: str, params: list[object]) -> SolanaJsonRpcError:
    """The JSON-RPC error a raw request through the client answers with."""
    try:
        await client.send_rpc_request(JsonRpcRequest(method=method, params=params), object)
    except SolanaJsonRpcError as exc:
        return exc
    raise AssertionError(f"{method} {params} did not fail")


async def funded(client: AsyncClient, lamports: int = 10**9) -> Keypair:
    """A new keypair funded by requestAirdrop, finalized."""
    owner = Keypair()
    airdrop = await client.request_airdrop(owner.pubkey(), lamports)
    await client.confirm_transaction(airdrop.value, commitment="finalized", sleep_seconds=0.05)
    return owner


async def transfer_tx(
    client: AsyncClient, sender: Keypair, to: Pubkey, lamports: int, *, legacy: bool = False
) -> VersionedTransaction:
    """A signed transfer: a v0 message unless `legacy`."""
    blockhash = (await client.get_latest_blockhash(commitment="processed")).value.blockhash
    ix = transfer(TransferParams(from_pubkey=sender.pubkey(), to_pubkey=to, lamports=lamports))
    if legacy:
        message = Message.new_with_blockhash([ix], sender.pubkey(), blockhash)
        return VersionedTransaction.from_legacy(Transaction([sender], message, blockhash))
    compiled = MessageV0.try_compile(sender.pubkey(), [ix], [], blockhash)
    return VersionedTransaction(compiled, [sender])


async def landed(client: AsyncClient, signature: Signature) -> bool:
    statuses = await client.get_signature_statuses([signature])
    status = statuses.value[0]
    return (
        status is not None
        and str(status.confirmation_status) == "TransactionConfirmationStatus.Finalized"
    )
