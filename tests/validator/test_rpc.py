"""JSON-RPC conformance, through solana-py's AsyncClient only."""

from __future__ import annotations

import pytest
from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solana.rpc.models import TxOpts
from solders.keypair import Keypair
from solders.transaction_status import TransactionDetails

from tests.validator.conftest import Validator
from tests.validator.helpers import funded, rpc_error, transfer_tx, until

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_cluster_methods(validator: Validator) -> None:
    """Health, version, identity, genesis, slot, height, epoch and blockhash answer typed."""
    async with AsyncClient(validator.rpc_url) as client:
        assert await client.is_connected()
        assert (await client.get_version()).value.solana_core
        assert (await client.get_identity()).value.identity
        assert (await client.get_genesis_hash()).value
        processed = (await client.get_slot(commitment="processed")).value
        finalized = (await client.get_slot(commitment="finalized")).value
        assert processed >= finalized
        epoch = (await client.get_epoch_info()).value
        assert epoch.slots_in_epoch == 432_000
        assert (await client.get_block_height()).value <= epoch.block_height + 1
        latest = (await client.get_latest_blockhash()).value
        assert latest.last_valid_block_height >= 150
        assert (await client.get_first_available_block()).value == 0


async def test_transfer_is_confirmed_and_read_back(validator: Validator) -> None:
    """A transfer lands, and every read path returns it with real fee and balances."""
    async with AsyncClient(validator.rpc_url) as client:
        sender = await funded(client)
        receiver = Keypair().pubkey()
        tx = await transfer_tx(client, sender, receiver, 5_000_000)
        signature = (await client.send_transaction(tx)).value
        await client.confirm_transaction(signature, commitment="finalized", sleep_seconds=0.05)

        assert (await client.get_balance(receiver)).value == 5_000_000
        fetched = (
            await client.get_transaction(signature, max_supported_transaction_version=0)
        ).value
        assert fetched is not None
        meta = fetched.transaction.meta
        assert meta is not None
        assert meta.err is None
        assert meta.fee == 5000
        assert meta.pre_balances[0] - meta.post_balances[0] == 5_000_000 + 5000
        assert fetched.transaction.transaction.signatures[0] == signature
        as_b64 = (
            await client.get_transaction(signature, "base64", max_supported_transaction_version=0)
        ).value
        assert as_b64 is not None
        assert as_b64.slot == fetched.slot

        status = (await client.get_signature_statuses([signature])).value[0]
        assert status is not None
        assert status.slot == fetched.slot
        assert status.err is None
        history = (await client.get_signatures_for_address(receiver)).value
        assert [h.signature for h in history] == [signature]

        for encoding in ("json", "base64", "base58"):
            block = (
                await client.get_block(fetched.slot, encoding, max_supported_transaction_version=0)
            ).value
            signatures = [t.transaction.signatures[0] for t in block.transactions]
            assert signature in signatures, encoding
        sigs_only = (
            await client.get_block(
                fetched.slot,
                transaction_details=TransactionDetails.Signatures,
                max_supported_transaction_version=0,
            )
        ).value
        assert signature in (sigs_only.signatures or [])
        empty = await client.get_block(
            fetched.slot,
            transaction_details=TransactionDetails.None_,
            max_supported_transaction_version=0,
        )
        assert empty.value.blockhash == block.blockhash
        assert fetched.slot in (await client.get_blocks(fetched.slot - 1)).value
        assert (await client.get_block_time(fetched.slot)).value == block.block_time


async def test_account_info_and_simulation(validator: Validator) -> None:
    """getAccountInfo shows the system-owned account; simulateTransaction runs the SVM."""
    async with AsyncClient(validator.rpc_url) as client:
        owner = await funded(client, 2 * 10**9)
        info = (await client.get_account_info(owner.pubkey())).value
        assert info is not None
        assert info.lamports == 2 * 10**9
        assert not info.executable
        tx = await transfer_tx(client, owner, Keypair().pubkey(), 10**6, legacy=True)
        simulated = (await client.simulate_transaction(tx)).value
        assert simulated.err is None
        assert simulated.logs == [
            "Program 11111111111111111111111111111111 invoke [1]",
            "Program 11111111111111111111111111111111 success",
        ]


async def test_preflight_failure_answers_32002(validator: Validator) -> None:
    """A transfer from an unfunded account fails preflight with Agave's code and message."""
    async with AsyncClient(validator.rpc_url) as client:
        tx = await transfer_tx(client, Keypair(), Keypair().pubkey(), 1)
        with pytest.raises(RPCException):
            await client.send_transaction(tx)
        error = await rpc_error(client, "sendTransaction", [_b64(tx), {"encoding": "base64"}])
        assert error.code == -32002
        assert error.message.startswith(
            "Transaction simulation failed: Attempt to debit an account"
        )
        assert error.data["err"] == "AccountNotFound"


async def test_skip_preflight_still_drops_invalid(validator: Validator) -> None:
    """skipPreflight returns the signature; the invalid transaction never lands."""
    async with AsyncClient(validator.rpc_url) as client:
        tx = await transfer_tx(client, Keypair(), Keypair().pubkey(), 1)
        signature = (await client.send_transaction(tx, opts=TxOpts(skip_preflight=True))).value
        assert signature == tx.signatures[0]


async def test_unknown_method_and_bad_params(validator: Validator) -> None:
    """-32601 for unknown methods, -32602 for bad parameters and commitments."""
    async with AsyncClient(validator.rpc_url) as client:
        assert (await rpc_error(client, "getNothing", [])).code == -32601
        assert (await rpc_error(client, "getBalance", ["not-a-key"])).code == -32602
        assert (await rpc_error(client, "getBlock", ["ten"])).code == -32602
        processed = await rpc_error(client, "getBlock", [1, {"commitment": "processed"}])
        assert processed.code == -32602
        too_many = await rpc_error(client, "getSignatureStatuses", [["1" * 64] * 257])
        assert too_many.code == -32602


async def test_future_block_is_not_available(validator: Validator) -> None:
    """A slot beyond the finalized tip answers -32004 with Agave's message."""
    async with AsyncClient(validator.rpc_url) as client:
        error = await rpc_error(client, "getBlock", [10**9])
        assert error.code == -32004
        assert error.message == f"Block not available for slot {10**9}"


@pytest.mark.parametrize(
    "bound",
    [("--retain-blocks", "10"), ("--tps", "200", "--signers", "0", "--retain-txs", "100")],
    ids=["blocks", "transactions"],
)
async def test_pruned_block_is_cleaned_up(start_validator, bound: tuple[str, ...]) -> None:
    """With a bounded ledger, old blocks answer -32001 naming the first available block."""
    node = start_validator(*bound)
    async with AsyncClient(node.rpc_url) as client:
        first = await until(lambda: _first_available(client))
        error = await rpc_error(client, "getBlock", [0])
        assert error.code == -32001
        assert error.message.startswith("Block 0 cleaned up, does not exist on node.")
        named = int(error.message.rsplit("First available block: ", 1)[1])
        assert named >= first
        assert (await client.get_first_available_block()).value >= named


async def _first_available(client: AsyncClient) -> int | None:
    return (await client.get_first_available_block()).value or None


def _b64(tx: object) -> str:
    import base64

    return base64.b64encode(bytes(tx)).decode()  # type: ignore[call-overload]


async def test_generated_token_transfers_carry_token_balances(validator: Validator) -> None:
    """SPL token transfers from the load generator report pre/post token balances."""
    async with AsyncClient(validator.rpc_url) as client:
        token_tx = await until(lambda: _token_tx(client))
        meta = token_tx.meta
        pre = {b.account_index: int(b.ui_token_amount.amount) for b in meta.pre_token_balances}
        post = {b.account_index: int(b.ui_token_amount.amount) for b in meta.post_token_balances}
        assert sorted(pre) == sorted(post) == [1, 2]
        debit, credit = sorted(post[i] - pre[i] for i in pre)
        assert credit > 0
        assert debit == -credit
        assert meta.post_token_balances[0].ui_token_amount.decimals == 6


async def _token_tx(client: AsyncClient) -> object | None:
    slot = (await client.get_slot()).value
    block = (await client.get_block(slot, max_supported_transaction_version=0)).value
    for tx in block.transactions:
        if tx.meta is not None and tx.meta.pre_token_balances:
            return tx
    return None


async def test_get_block_accounts_details(validator: Validator) -> None:
    """transactionDetails=accounts lists each account with signer/writable flags."""
    async with AsyncClient(validator.rpc_url) as client:
        slot = await until(lambda: _busy_slot(client))
        block = (
            await client.get_block(
                slot,
                transaction_details=TransactionDetails.Accounts,
                max_supported_transaction_version=0,
            )
        ).value
        first = block.transactions[0].transaction
        accounts = first.account_keys
        assert accounts[0].signer
        assert accounts[0].writable


async def _busy_slot(client: AsyncClient) -> int | None:
    slot = (await client.get_slot()).value
    block = await client.get_block(
        slot, transaction_details=TransactionDetails.Signatures, max_supported_transaction_version=0
    )
    return slot if block.value.signatures else None


async def test_batch_requests(validator: Validator) -> None:
    """A batch answers each call in order; notifications (no id) get no answer.

    solana-py 0.41 has no batch API, so this posts with httpx2, its own transport.
    """
    import httpx2

    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "getHealth"},
        {"jsonrpc": "2.0", "method": "getSlot"},
        {"jsonrpc": "2.0", "id": 2, "method": "getNothing"},
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "getBlockHeight",
            "params": [{"commitment": "processed"}],
        },
    ]
    async with httpx2.AsyncClient() as http:
        answers = (await http.post(validator.rpc_url, json=batch)).json()
        assert [a["id"] for a in answers] == [1, 2, 3]
        assert answers[0]["result"] == "ok"
        assert answers[1]["error"]["code"] == -32601
        assert answers[2]["result"] >= 0
        assert (await http.post(validator.rpc_url, json=[])).json()["error"]["code"] == -32600
        garbage = await http.post(validator.rpc_url, content=b"{not json")
        assert garbage.json()["error"]["code"] == -32700


async def test_recent_performance_samples(start_validator) -> None:
    """Agave's sampler shape: newest first, slots and transactions per period, limit <= 720."""
    node = start_validator("--tps", "200", "--signers", "0", "--sample-period-s", "1")
    async with AsyncClient(node.rpc_url) as client:

        async def two_samples() -> list[object] | None:
            samples = (await client.get_recent_performance_samples(5)).value
            return samples if len(samples) >= 2 else None

        samples = await until(two_samples, timeout=20)
        newest, older = samples[0], samples[1]
        assert newest.slot > older.slot
        assert newest.sample_period_secs == 1
        # 50 ms slots: about 20 a second (the node may run a little late under load).
        assert 5 <= newest.num_slots <= 25
        assert newest.num_transactions > 0
        assert newest.num_non_vote_transactions <= newest.num_transactions
        assert len((await client.get_recent_performance_samples(1)).value) == 1
        error = await rpc_error(client, "getRecentPerformanceSamples", [721])
        assert error.code == -32602
        assert "max 720" in error.message
