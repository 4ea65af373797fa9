"""The SVM side: executes transactions in `solders.litesvm` and turns results into records."""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from typing import Any

import orjson
from solders.account import Account
from solders.hash import Hash
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction, VersionedTransaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata

from chainops.validator.ledger import TxRecord

VOTE_PROGRAM = Pubkey.from_string("Vote111111111111111111111111111111111111111")
TOKEN_PROGRAMS = frozenset(
    {
        Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"),
        Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"),
    }
)
TOKEN_ACCOUNT_LEN = 165
MEMO_PROGRAMS = frozenset(
    {
        Pubkey.from_string("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"),
        Pubkey.from_string("MemoSq4gqABAXKb96qnMdJYDRr5dBz14Zb6Y4k4RyQ5"),
    }
)
MAX_RECENT_BLOCKHASHES = 150
FAUCET_LAMPORTS = 10**18
_NO_SIGNATURE = Signature.default()


@dataclass(frozen=True, slots=True)
class Rejected:
    """A transaction that never reaches a block; `err` is Agave's JSON form."""

    err: Any
    logs: tuple[str, ...] = ()
    compute_units: int = 0


@dataclass(frozen=True, slots=True)
class Simulated:
    err: Any
    logs: tuple[str, ...]
    compute_units: int


def _seeded_keypair(seed: int, label: str) -> Keypair:
    return Keypair.from_seed(hashlib.sha256(f"chainops:{seed}:{label}".encode()).digest())


@dataclass(frozen=True, slots=True)
class StaticFacts:
    """What a transaction's message says without executing it, read from one copy of it."""

    recent_blockhash: Hash
    keys: tuple[Pubkey, ...]
    writable: tuple[Pubkey, ...]
    is_vote: bool
    memo: str | None


def static_facts(tx: VersionedTransaction) -> StaticFacts:
    message = tx.message  # each access copies the message out of Rust: read it once
    keys = tuple(message.account_keys)
    instructions = message.instructions
    # Agave's simple-vote rule: one instruction, to the vote program, at most two signatures.
    is_vote = (
        len(instructions) == 1
        and len(tx.signatures) <= 2
        and not isinstance(message, MessageV0)
        and keys[instructions[0].program_id_index] == VOTE_PROGRAM
    )
    # getSignaturesForAddress's `memo`: "[len] text" per memo instruction.
    memos = [
        f"[{len(ix.data)}] {bytes(ix.data).decode('utf-8', 'replace')}"
        for ix in instructions
        if keys[ix.program_id_index] in MEMO_PROGRAMS
    ]
    header = message.header
    signed = header.num_required_signatures
    signed_writable = signed - header.num_readonly_signed_accounts
    unsigned_writable = len(keys) - header.num_readonly_unsigned_accounts
    writable = tuple(
        k for i, k in enumerate(keys) if i < signed_writable or signed <= i < unsigned_writable
    )
    return StaticFacts(
        message.recent_blockhash, keys, writable, is_vote, "; ".join(memos) if memos else None
    )


def ui_amount_string(amount: int, decimals: int) -> str:
    """Agave's `real_number_string_trimmed`: 1500000 with 6 decimals -> "1.5"."""
    if decimals == 0:
        return str(amount)
    digits = str(amount).rjust(decimals + 1, "0")
    text = f"{digits[:-decimals]}.{digits[-decimals:]}".rstrip("0")
    return text.rstrip(".")


class Bank:
    """State, recent blockhashes and the status cache of one node."""

    def __init__(self, *, seed: int) -> None:
        # Like Agave, signatures are verified once at intake (sendTransaction) or known good
        # (the generator signs its own), not again in the bank: SVM sigverify is ~75% of
        # its per-transaction cost. Blockhash age and duplicates are checked here, over
        # this node's own block hashes, instead of litesvm's single latest hash.
        self.svm = (
            LiteSVM().with_transaction_history(0).with_blockhash_check(False).with_sigverify(False)
        )
        self.identity = _seeded_keypair(seed, "identity")
        self.faucet = _seeded_keypair(seed, "faucet")
        self.svm.set_account(
            self.faucet.pubkey(),
            Account(FAUCET_LAMPORTS, b"", Pubkey.from_string("11111111111111111111111111111111")),
        )
        self.genesis_hash = Hash(hashlib.sha256(f"chainops-genesis:{seed}".encode()).digest())
        self._recent: deque[Hash] = deque([self.genesis_hash], maxlen=MAX_RECENT_BLOCKHASHES)
        self._recent_set: set[Hash] = {self.genesis_hash}
        self._decimals: dict[Pubkey, int] = {}

    @property
    def latest_blockhash(self) -> Hash:
        return self._recent[-1]

    def next_blockhash(self, slot: int, signatures: int) -> Hash:
        """Derive and register the blockhash of a new block."""
        seed = (
            bytes(self._recent[-1]) + slot.to_bytes(8, "little") + signatures.to_bytes(8, "little")
        )
        blockhash = Hash(hashlib.sha256(seed).digest())
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(blockhash)
        self._recent_set.add(blockhash)
        return blockhash

    def blockhash_valid(self, blockhash: Hash) -> bool:
        return blockhash in self._recent_set

    def execute(self, tx: VersionedTransaction, raw: bytes) -> TxRecord | Rejected:
        """Run one transaction; fee-paying failures land in the block like on a real node."""
        facts = static_facts(tx)
        if facts.recent_blockhash not in self._recent_set:
            return Rejected("BlockhashNotFound")
        keys = facts.keys
        get_balance = self.svm.get_balance
        pre = tuple(get_balance(k) or 0 for k in keys)
        tokens = not TOKEN_PROGRAMS.isdisjoint(keys)
        pre_tokens = self.token_balances(keys) if tokens else ()
        result = self.svm.send_transaction(tx)
        if isinstance(result, FailedTransactionMetadata):
            meta = result.meta()
            err = orjson.loads(result.to_json())["err"]
            if meta.signature() == _NO_SIGNATURE:
                return Rejected(err)
        else:
            meta = result
            err = None
        post = tuple(get_balance(k) or 0 for k in keys)
        return TxRecord(
            signature=str(tx.signatures[0]),
            tx=tx,
            raw=raw,
            keys=keys,
            err=err,
            fee=meta.fee(),
            logs=tuple(meta.logs()),
            compute_units=meta.compute_units_consumed(),
            pre_balances=pre,
            post_balances=post,
            is_vote=facts.is_vote,
            memo=facts.memo,
            writable=facts.writable,
            pre_token_balances=pre_tokens,
            post_token_balances=self.token_balances(keys) if tokens else (),
        )

    def token_balances(self, keys: tuple[Pubkey, ...]) -> tuple[dict[str, Any], ...]:
        """pre/postTokenBalances entries for the SPL token accounts among `keys`."""
        out: list[dict[str, Any]] = []
        for index, key in enumerate(keys):
            account = self.svm.get_account(key)
            if account is None or account.owner not in TOKEN_PROGRAMS:
                continue
            data = bytes(account.data)
            if len(data) < TOKEN_ACCOUNT_LEN:
                continue
            mint = Pubkey.from_bytes(data[:32])
            amount = int.from_bytes(data[64:72], "little")
            decimals = self._mint_decimals(mint)
            out.append(
                {
                    "accountIndex": index,
                    "mint": str(mint),
                    "owner": str(Pubkey.from_bytes(data[32:64])),
                    "programId": str(account.owner),
                    "uiTokenAmount": {
                        "amount": str(amount),
                        "decimals": decimals,
                        "uiAmount": amount / 10**decimals,
                        "uiAmountString": ui_amount_string(amount, decimals),
                    },
                }
            )
        return tuple(out)

    def _mint_decimals(self, mint: Pubkey) -> int:
        decimals = self._decimals.get(mint)
        if decimals is None:
            account = self.svm.get_account(mint)
            decimals = bytes(account.data)[44] if account is not None else 0
            self._decimals[mint] = decimals
        return decimals

    def simulate(self, tx: VersionedTransaction) -> Simulated:
        if tx.message.recent_blockhash not in self._recent_set:
            return Simulated("BlockhashNotFound", (), 0)
        result = self.svm.simulate_transaction(tx)
        if isinstance(result, FailedTransactionMetadata):
            meta: TransactionMetadata = result.meta()
            return Simulated(
                orjson.loads(result.to_json())["err"],
                tuple(meta.logs()),
                meta.compute_units_consumed(),
            )
        meta = result.meta()
        return Simulated(None, tuple(meta.logs()), meta.compute_units_consumed())

    def airdrop_tx(self, to: Pubkey, lamports: int) -> VersionedTransaction:
        """A faucet transfer signed now, as solana-test-validator's faucet does."""
        blockhash = self.latest_blockhash
        ix = transfer(
            TransferParams(from_pubkey=self.faucet.pubkey(), to_pubkey=to, lamports=lamports)
        )
        message = Message.new_with_blockhash([ix], self.faucet.pubkey(), blockhash)
        return VersionedTransaction.from_legacy(Transaction([self.faucet], message, blockhash))

    def account(self, address: Pubkey) -> Account | None:
        return self.svm.get_account(address)
