"""PubSub conformance through solana-py's SolanaWsClient."""

from __future__ import annotations

import asyncio
import json

import pytest
from solana.rpc.async_api import AsyncClient
from solana.rpc.jsonrpc import SolanaJsonRpcError
from solana.rpc.websocket_api import SolanaWsClient
from solders.keypair import Keypair
from solders.rpc.config import RpcBlockSubscribeFilterMentions, RpcTransactionLogsFilterMentions
from solders.rpc.responses import (
    AccountNotification,
    BlockNotification,
    LogsNotification,
    SignatureNotification,
    SlotNotification,
)
from websockets.asyncio.client import connect

from tests.validator.conftest import Validator
from tests.validator.helpers import funded, transfer_tx

pytestmark = pytest.mark.asyncio(loop_scope="function")
WAIT_S = 10


async def test_slot_notifications_arrive_in_order(validator: Validator) -> None:
    """slotSubscribe delivers increasing slots, each with its parent and root."""
    async with SolanaWsClient(validator.ws_url) as ws:
        await ws.slot_subscribe()
        slots = []
        for _ in range(5):
            note = await asyncio.wait_for(ws.recv(), WAIT_S)
            assert isinstance(note, SlotNotification)
            assert note.result.parent < note.result.slot
            assert note.result.root <= note.result.slot
            slots.append(note.result.slot)
        assert slots == sorted(slots)
        assert len(set(slots)) == 5


async def test_transfer_notifications(validator: Validator) -> None:
    """A transfer lands with logs, account, block and (last, at finalized) signature notes."""
    async with AsyncClient(validator.rpc_url) as client, SolanaWsClient(validator.ws_url) as ws:
        sender = await funded(client)
        receiver = Keypair().pubkey()
        tx = await transfer_tx(client, sender, receiver, 3_000_000)
        signature = tx.signatures[0]
        logs = await ws.logs_subscribe(
            filter_=RpcTransactionLogsFilterMentions(sender.pubkey()), commitment="confirmed"
        )
        blocks = await ws.block_subscribe(
            filter_=RpcBlockSubscribeFilterMentions(receiver),
            commitment="confirmed",
            max_supported_transaction_version=0,
        )
        sig = await ws.signature_subscribe(signature=signature, commitment="finalized")
        account = await ws.account_subscribe(
            pubkey=receiver, commitment="confirmed", encoding="base64"
        )
        await client.send_transaction(tx)

        seen: dict[type, object] = {}
        order: list[type] = []
        while SignatureNotification not in seen or len(seen) < 4:
            note = await asyncio.wait_for(ws.recv(), WAIT_S)
            seen.setdefault(type(note), note)
            order.append(type(note))
        log_note = seen[LogsNotification]
        assert log_note.subscription == logs.subscription_id  # type: ignore[attr-defined]
        assert log_note.result.value.signature == signature  # type: ignore[attr-defined]
        block_note = seen[BlockNotification]
        assert block_note.subscription == blocks.subscription_id  # type: ignore[attr-defined]
        block = block_note.result.value.block  # type: ignore[attr-defined]
        assert [t.transaction.signatures[0] for t in block.transactions] == [signature]
        account_note = seen[AccountNotification]
        assert account_note.subscription == account.subscription_id  # type: ignore[attr-defined]
        assert account_note.result.value.lamports == 3_000_000  # type: ignore[attr-defined]
        sig_note = seen[SignatureNotification]
        assert sig_note.subscription == sig.subscription_id  # type: ignore[attr-defined]
        assert sig_note.result.value.err is None  # type: ignore[attr-defined]
        # Finalized comes after confirmed: the one-shot signature note is the last one.
        assert order[-1] is SignatureNotification


async def test_block_subscribe_all_full_block(validator: Validator) -> None:
    """blockSubscribe `all` carries the generated load, base64-encoded, at finalized."""
    async with SolanaWsClient(validator.ws_url) as ws:
        await ws.block_subscribe(encoding="base64", max_supported_transaction_version=0)
        previous = None
        for _ in range(3):
            note = await asyncio.wait_for(ws.recv(), WAIT_S)
            assert isinstance(note, BlockNotification)
            slot = note.result.value.slot
            assert previous is None or slot > previous
            previous = slot
            assert note.result.value.block is not None


async def test_unsubscribe_and_bad_subscriptions(validator: Validator) -> None:
    """Unsubscribe answers true; bad filters and unknown ids answer -32602."""
    async with SolanaWsClient(validator.ws_url) as ws:
        slot = await ws.slot_subscribe()
        await ws.unsubscribe(slot)
        with pytest.raises(SolanaJsonRpcError) as bad:
            await ws.block_subscribe(commitment="processed")
        assert bad.value.code == -32602


async def test_received_signature_notification(validator: Validator) -> None:
    """enableReceivedNotification sends Agave's "receivedSignature", then the landed status.

    solders cannot parse the string value Agave sends here (SolanaWsClient would drop the
    connection), so this one test reads frames with `websockets`, solana-py's transport.
    """
    async with AsyncClient(validator.rpc_url) as client, connect(validator.ws_url) as ws:
        sender = await funded(client)
        tx = await transfer_tx(client, sender, Keypair().pubkey(), 1_000_000)
        signature = str(tx.signatures[0])
        config = {"commitment": "confirmed", "enableReceivedNotification": True}
        request = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "signatureSubscribe",
            "params": [signature, config],
        }
        await ws.send(json.dumps(request))
        sub_id = json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))["result"]
        await client.send_transaction(tx)
        received = json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))
        landed = json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))
        assert received["method"] == "signatureNotification"
        assert received["params"]["subscription"] == sub_id
        assert received["params"]["result"]["value"] == "receivedSignature"
        assert landed["params"]["result"]["value"] == {"err": None}
        assert landed["params"]["result"]["context"]["slot"] > 0


async def test_logs_all_excludes_votes(validator: Validator) -> None:
    """logsSubscribe `all` never carries vote transactions; `allWithVotes` does."""
    from solders.rpc.config import RpcTransactionLogsFilter

    vote_log = "Program Vote111111111111111111111111111111111111111 invoke [1]"
    async with SolanaWsClient(validator.ws_url) as ws:
        plain = await ws.logs_subscribe(commitment="processed")
        votes = await ws.logs_subscribe(
            filter_=RpcTransactionLogsFilter.AllWithVotes, commitment="processed"
        )
        seen_vote_in_all = False
        while not seen_vote_in_all:
            note = await asyncio.wait_for(ws.recv(), WAIT_S)
            assert isinstance(note, LogsNotification)
            is_vote = vote_log in note.result.value.logs
            if note.subscription == plain.subscription_id:
                assert not is_vote
            elif is_vote:
                seen_vote_in_all = note.subscription == votes.subscription_id


async def test_program_subscribe_sees_token_accounts(validator: Validator) -> None:
    """programSubscribe on the token program reports the generator's token accounts."""
    from solders.pubkey import Pubkey
    from solders.rpc.responses import ProgramNotification

    token = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
    async with SolanaWsClient(validator.ws_url) as ws:
        await ws.program_subscribe(program_id=token, commitment="confirmed", encoding="base64")
        note = await asyncio.wait_for(ws.recv(), WAIT_S)
        assert isinstance(note, ProgramNotification)
        assert note.result.value.account.owner == token
        assert len(note.result.value.account.data) == 165
