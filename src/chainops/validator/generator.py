"""The load generator: deterministic accounts and pre-signed transactions of a configured mix.

Signing dominates the cost of a generated transaction (about 110 us with solders, three
times the SVM's execution), so messages are built once as byte templates, only the
blockhash and an 8-byte counter field are patched, and signing runs in worker processes
one slot ahead of the slot loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import struct
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from solders.account import Account
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.token.state import Mint, TokenAccount, TokenAccountState

from chainops.validator.bank import VOTE_PROGRAM
from chainops.validator.config import TX_KINDS, TxKind

SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
TOKEN_PROGRAM = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
MEMO_PROGRAM = Pubkey.from_string("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo")
PAYERS = 32
PAYER_LAMPORTS = 10**16
_PLACEHOLDER = Hash(b"\xfe" * 32)


def _key(seed: int, label: str) -> Keypair:
    return Keypair.from_seed(hashlib.sha256(f"chainops-gen:{seed}:{label}".encode()).digest())


@dataclass(frozen=True, slots=True)
class Template:
    """A message with a blockhash hole at `hash_at` and a counter in its last 8 bytes."""

    kind: TxKind
    payer: int
    message: bytes
    hash_at: int


@dataclass(frozen=True, slots=True)
class Accounts:
    payers: tuple[Keypair, ...]
    receivers: tuple[Pubkey, ...]
    mint: Pubkey
    sources: tuple[Pubkey, ...]
    sinks: tuple[Pubkey, ...]
    voters: tuple[Pubkey, ...]


def accounts(seed: int) -> Accounts:
    payers = tuple(_key(seed, f"payer{i}") for i in range(PAYERS))
    return Accounts(
        payers=payers,
        receivers=tuple(_key(seed, f"receiver{i}").pubkey() for i in range(PAYERS)),
        mint=_key(seed, "mint").pubkey(),
        sources=tuple(_key(seed, f"source{i}").pubkey() for i in range(PAYERS)),
        sinks=tuple(_key(seed, f"sink{i}").pubkey() for i in range(PAYERS)),
        voters=tuple(_key(seed, f"vote{i}").pubkey() for i in range(PAYERS)),
    )


def genesis_accounts(seed: int) -> list[tuple[Pubkey, Account]]:
    """Funded payers, rent-exempt receivers, a mint and token accounts for the mix."""
    acc = accounts(seed)
    rent_exempt = 10_000_000
    token_rent = 2_039_280
    created: list[tuple[Pubkey, Account]] = []
    authority = acc.payers[0].pubkey()
    mint = Mint(authority, 10**18, 6, is_initialized=True)
    created.append((acc.mint, Account(1_461_600, bytes(mint), TOKEN_PROGRAM)))
    for i, payer in enumerate(acc.payers):
        owner = payer.pubkey()
        created.append((owner, Account(PAYER_LAMPORTS, b"", SYSTEM_PROGRAM)))
        created.append((acc.receivers[i], Account(rent_exempt, b"", SYSTEM_PROGRAM)))
        for address, amount in ((acc.sources[i], 10**15), (acc.sinks[i], 0)):
            state = TokenAccount(
                acc.mint,
                owner,
                amount,
                None,
                TokenAccountState.Initialized,
                None,
                0,
                None,
            )
            created.append((address, Account(token_rent, bytes(state), TOKEN_PROGRAM)))
    return created


def _instruction(kind: TxKind, acc: Accounts, i: int) -> Instruction:
    payer = acc.payers[i].pubkey()
    if kind == "transfer":
        return transfer(TransferParams(from_pubkey=payer, to_pubkey=acc.receivers[i], lamports=1))
    if kind == "token":
        data = b"\x03" + struct.pack("<Q", 1)
        metas = [
            AccountMeta(acc.sources[i], is_signer=False, is_writable=True),
            AccountMeta(acc.sinks[(i + 1) % PAYERS], is_signer=False, is_writable=True),
            AccountMeta(payer, is_signer=True, is_writable=False),
        ]
        return Instruction(TOKEN_PROGRAM, data, metas)
    if kind == "memo":
        metas = [AccountMeta(payer, is_signer=True, is_writable=False)]
        return Instruction(MEMO_PROGRAM, b"chainops load 00000000", metas)
    # A TowerSync-era node would send a real vote; this one has the shape (a Vote
    # instruction from a validator identity) against an account the SVM does not know.
    vote = struct.pack("<IQQ", 2, 1, 0) + bytes(32) + b"\x01" + struct.pack("<q", 0)
    metas = [
        AccountMeta(acc.voters[i], is_signer=False, is_writable=True),
        AccountMeta(payer, is_signer=True, is_writable=False),
    ]
    return Instruction(VOTE_PROGRAM, vote, metas)


def templates(seed: int) -> list[Template]:
    acc = accounts(seed)
    built: list[Template] = []
    for kind in TX_KINDS:
        for i, payer in enumerate(acc.payers):
            message = Message.new_with_blockhash(
                [_instruction(kind, acc, i)], payer.pubkey(), _PLACEHOLDER
            )
            raw = bytes(message)
            built.append(Template(kind, i, raw, raw.index(bytes(_PLACEHOLDER))))
    return built


_CACHE: dict[int, tuple[list[Template], tuple[Keypair, ...]]] = {}


def _counter_field(kind: TxKind, counter: int) -> bytes:
    if kind == "memo":
        return f"{counter % 10**8:08d}".encode()
    if kind == "transfer":
        return struct.pack("<Q", 1 + counter % 1_000_000)
    if kind == "token":
        return struct.pack("<Q", 1 + counter % 1_000)
    return struct.pack("<q", counter)


def sign_batch(seed: int, plan: bytes, counter: int, blockhash: bytes) -> list[bytes]:
    """Wire-format transactions for template ids in `plan` (runs in a worker process)."""
    cached = _CACHE.get(seed)
    if cached is None:
        cached = _CACHE[seed] = (templates(seed), accounts(seed).payers)
    built, payers = cached
    out: list[bytes] = []
    for offset, template_id in enumerate(_unpack(plan)):
        t = built[template_id]
        m = t.message
        message = (
            m[: t.hash_at]
            + blockhash
            + m[t.hash_at + 32 : -8]
            + _counter_field(t.kind, counter + offset)
        )
        signature = payers[t.payer].sign_message(message)
        out.append(b"\x01" + bytes(signature) + message)
    return out


def _unpack(plan: bytes) -> Sequence[int]:
    return memoryview(plan).cast("H")


class Signer(Protocol):
    """A signing worker: signer.SignerProcess, started by the node (signer imports this module)."""

    async def sign(self, seed: int, counter: int, blockhash: Hash, plan: bytes) -> list[bytes]: ...

    def close(self) -> None: ...


class LoadGenerator:
    """Plans each slot's transactions with a seeded RNG and keeps one batch signing ahead."""

    def __init__(
        self, *, seed: int, tps: int, slot_ms: int, mix: dict[TxKind, float], signers: int
    ) -> None:
        self.seed = seed
        self.per_slot = tps * slot_ms / 1000
        self._rng = random.Random(seed)  # noqa: S311 - reproducible load, not secrets
        self._owed = 0.0
        self._counter = 0
        self._kinds = [k for k in TX_KINDS if mix.get(k, 0) > 0]
        self._weights = [mix[k] for k in self._kinds]
        self._want_signers = signers if tps else 0
        self._signers: list[Signer] = []
        self._next: asyncio.Future[list[bytes]] | None = None

    def _plan(self) -> bytes:
        self._owed += self.per_slot
        count = int(self._owed)
        self._owed -= count
        kinds = self._rng.choices(self._kinds, self._weights, k=count)
        ids = [TX_KINDS.index(k) * PAYERS + self._rng.randrange(PAYERS) for k in kinds]
        return _pack(ids)

    async def _sign(self, blockhash: Hash) -> list[bytes]:
        plan = self._plan()
        counter = self._counter
        count = len(plan) // 2
        self._counter += count
        if not self._signers or count == 0:
            return sign_batch(self.seed, plan, counter, bytes(blockhash))
        step = -(-count // len(self._signers))
        parts = [
            signer.sign(self.seed, counter + start, blockhash, plan[2 * start : 2 * (start + step)])
            for signer, start in zip(self._signers, range(0, count, step), strict=False)
        ]
        batches = await asyncio.gather(*parts)
        return [raw for batch in batches for raw in batch]

    async def take(self, blockhash: Hash) -> list[bytes]:
        """This slot's transactions; starts signing the next slot's with `blockhash`."""
        if self.per_slot <= 0:
            return []
        current = self._next
        self._next = asyncio.ensure_future(self._sign(blockhash))
        if current is None:
            return []
        return await current

    async def warm_up(self, start_signer: Callable[[], Awaitable[Signer]]) -> None:
        """Start the signing workers and build their templates before slot 1."""
        self._signers = [await start_signer() for _ in range(self._want_signers)]
        await asyncio.gather(*(s.sign(self.seed, 0, Hash.default(), b"") for s in self._signers))

    def close(self) -> None:
        if self._next is not None:
            self._next.cancel()
        for signer in self._signers:
            signer.close()


def _pack(ids: list[int]) -> bytes:
    return struct.pack(f"<{len(ids)}H", *ids)
