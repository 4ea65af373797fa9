"""End to end on the lab: a real Solana client's transactions land exactly once in the lake.

validator (subprocess) -> `chainops listener` -> lab Kinesis (2 shards) -> two
`chainops consumer` processes -> lab S3 + DynamoDB idempotency table. Transactions are sent
with solana-py; the lake and the claims are read back with boto3.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Processed
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_status import TransactionConfirmationStatus

from tests.pipeline.stack import Service, Stack, wait_for
from tests.validator.helpers import funded, transfer_tx
from tests.validator_node import Validator

LISTENER_FLAGS = ("--linger-ms", "50", "--checkpoint-interval-s", "0.2", "--stats-interval-s", "5")
CONSUMER_FLAGS = ("--lease-seconds", "6")
# Memo v2: it logs the memo's text (v1 logs only its invoke/success framing).
MEMO_PROGRAM = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
CONFIRMED = (TransactionConfirmationStatus.Confirmed, TransactionConfirmationStatus.Finalized)
CONFIRM_TIMEOUT_S = 30
LAND_TIMEOUT_S = 90


@dataclass
class Sent:
    """Signatures sent and confirmed, and each memo transaction's text."""

    transfers: list[str] = field(default_factory=list)
    memos: dict[str, str] = field(default_factory=dict)

    @property
    def signatures(self) -> set[str]:
        return {*self.transfers, *self.memos}

    def add(self, other: Sent) -> None:
        self.transfers.extend(other.transfers)
        self.memos.update(other.memos)


async def _memo_tx(client: AsyncClient, payer: Keypair, text: str) -> VersionedTransaction:
    blockhash = (await client.get_latest_blockhash(commitment=Processed)).value.blockhash
    memo = Instruction(MEMO_PROGRAM, text.encode(), [AccountMeta(payer.pubkey(), True, False)])
    return VersionedTransaction(
        MessageV0.try_compile(payer.pubkey(), [memo], [], blockhash), [payer]
    )


async def _confirmed(client: AsyncClient, signatures: list[Signature]) -> bool:
    statuses = (await client.get_signature_statuses(signatures)).value
    return all(
        status is not None and status.confirmation_status in CONFIRMED for status in statuses
    )


async def _send(rpc_url: str, *, transfers: int, memos: int, tag: str) -> Sent:
    """Send transfers to fresh accounts and memo transactions from a funded payer; confirm all."""
    sent = Sent()
    async with AsyncClient(rpc_url) as client:
        payer = await funded(client, 10**11)
        pending: list[Signature] = []
        for n in range(transfers):
            tx = await transfer_tx(client, payer, Keypair().pubkey(), 1_000_000 + n)
            pending.append((await client.send_transaction(tx)).value)
            sent.transfers.append(str(pending[-1]))
        for n in range(memos):
            text = f"chainops e2e {tag} {n}"
            pending.append(
                (await client.send_transaction(await _memo_tx(client, payer, text))).value
            )
            sent.memos[str(pending[-1])] = text
        deadline = asyncio.get_running_loop().time() + CONFIRM_TIMEOUT_S
        while not await _confirmed(client, pending):
            assert asyncio.get_running_loop().time() < deadline, "transactions not confirmed"
            await asyncio.sleep(0.1)
    return sent


def start_listener(tmp: Path, stack: Stack, validator: Validator) -> Service:
    """The listener, once it has chosen its first slot: what is sent after that is its."""
    listener = stack.start_listener(tmp, validator.rpc_url, validator.ws_url, *LISTENER_FLAGS)
    listener.wait_logged("listener starting")
    return listener


def start_consumer(tmp: Path, stack: Stack, consumer_id: str) -> Service:
    """A consumer, once it serves: a SIGTERM before its handlers are in place kills it (-15)
    instead of stopping it, which a loaded machine made happen (the restart's start-up outlasted
    the wait for the lake)."""
    consumer = stack.start_consumer(tmp, consumer_id, *CONSUMER_FLAGS)
    consumer.wait_logged("consumer started")
    return consumer


def send(validator: Validator, *, transfers: int, memos: int, tag: str) -> Sent:
    return asyncio.run(_send(validator.rpc_url, transfers=transfers, memos=memos, tag=tag))


def wait_landed(stack: Stack, sent: Sent) -> None:
    """Bounded: every sent signature has a transaction event in the lake."""
    missing = sent.signatures

    def all_landed() -> bool:
        nonlocal missing
        events = stack.lake_events()
        missing = sent.signatures - {e["signature"] for e in events if e["type"] == "transaction"}
        return not missing

    try:
        wait_for(all_landed, timeout=LAND_TIMEOUT_S, what="every signature in the lake")
    except AssertionError as error:
        raise AssertionError(f"{error}: {len(missing)} of {len(sent.signatures)} missing") from None


def stop_gracefully(*services: Service) -> None:
    for service in services:
        assert service.terminate() == 0, service.log.read_text()[-4000:]


def assert_exactly_once(stack: Stack, sent: Sent) -> None:
    """Each sent transaction (and memo log line) once in the lake and once in the claims."""
    events = stack.lake_events()
    ids = Counter(event["id"] for event in events)
    assert not [i for i, count in ids.items() if count > 1], "ids landed more than once"
    transactions = Counter(e["signature"] for e in events if e["type"] == "transaction")
    assert {sig: transactions[sig] for sig in sent.signatures} == dict.fromkeys(sent.signatures, 1)

    claims = Counter(stack.claimed_ids())
    assert {sig: claims[sig] for sig in sent.signatures} == dict.fromkeys(sent.signatures, 1)
    assert set(claims) == set(ids), "a claim without its event in the lake, or the reverse"

    for signature, text in sent.memos.items():
        logs = [
            e["data"]["log"] for e in events if e["type"] == "log" and e["signature"] == signature
        ]
        assert any(text in line for line in logs), f"memo {signature}: {logs}"
    assert stack.dead_letter_count() == 0


def test_transactions_land_exactly_once(tmp_path: Path, validator: Validator, stack: Stack) -> None:
    """40 transfers and 5 memos from solana-py: each once in S3 and in the idempotency table."""
    listener = start_listener(tmp_path, stack, validator)
    consumers = [start_consumer(tmp_path, stack, name) for name in ("a", "b")]

    sent = send(validator, transfers=40, memos=5, tag="calm")
    wait_landed(stack, sent)

    stop_gracefully(listener, *consumers)
    assert_exactly_once(stack, sent)


def test_exactly_once_through_listener_and_consumer_kill_9(
    tmp_path: Path, validator: Validator, stack: Stack
) -> None:
    """Listener SIGKILLed and restarted, a consumer SIGKILLed twice (once mid-batch): once each."""
    listener = start_listener(tmp_path, stack, validator)
    survivor = start_consumer(tmp_path, stack, "b")
    victim = start_consumer(tmp_path, stack, "a")
    sent = send(validator, transfers=15, memos=1, tag="before")
    wait_landed(stack, sent)

    # Sent while no listener runs: the restart backfills them from its checkpoint, and
    # re-publishes what it had sent past the checkpoint (duplicates for the consumers).
    listener.kill()
    sent.add(send(validator, transfers=10, memos=2, tag="listener down"))
    listener = start_listener(tmp_path, stack, validator)

    # The consumer dies idle, then its restart (same id) dies after claiming its first
    # batch's ids and before writing them to S3: the next life must land exactly those.
    victim.kill()
    victim = stack.start_consumer(tmp_path, "a", *CONSUMER_FLAGS, crash_at="after-claim")
    sent.add(send(validator, transfers=15, memos=2, tag="consumer down"))
    wait_for(lambda: victim.process.poll() is not None, timeout=60, what="the mid-batch crash")
    assert victim.process.returncode == -9, victim.log.read_text()[-4000:]
    victim = start_consumer(tmp_path, stack, "a")

    wait_landed(stack, sent)
    stop_gracefully(listener, survivor, victim)
    assert_exactly_once(stack, sent)


def test_a_consumer_short_of_a_permission_fails_and_loses_nothing(
    tmp_path: Path, validator: Validator, stack: Stack
) -> None:
    """Every process runs as its role: without s3:PutObject the consumer's batches fail with
    AccessDenied and nothing lands; with it back, every event lands exactly once."""
    stack.session("consumer")  # the role, so its policy can be cut short before it starts
    stack.grant("consumer", without="s3:PutObject")
    listener = start_listener(tmp_path, stack, validator)
    consumer = start_consumer(tmp_path, stack, "a")
    sent = send(validator, transfers=10, memos=1, tag="denied")

    def denied() -> bool:
        return any(
            "AccessDenied" in line.get("error", "") for line in consumer.logged("batch failed")
        )

    wait_for(denied, timeout=60, what="a batch refused with AccessDenied")
    assert not stack.lake_events(), "an object landed without s3:PutObject"

    stack.grant("consumer")
    wait_landed(stack, sent)
    stop_gracefully(listener, consumer)
    assert_exactly_once(stack, sent)
