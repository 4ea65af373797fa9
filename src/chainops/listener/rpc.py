"""Solana JSON-RPC over aiohttp (the few methods the listener needs), and node failover."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from chainops.listener.config import Commitment
from chainops.listener.stats import Counters

log = logging.getLogger(__name__)

BLOCK_CLEANED_UP = -32001
BLOCK_NOT_AVAILABLE = -32004
SLOT_SKIPPED = -32007
LONG_TERM_STORAGE_SLOT_SKIPPED = -32009
# Errors of a node that is behind or struggling, not of the request: retried, then failed over.
TRANSIENT_CODES = frozenset({-32005, -32016, -32603})  # unhealthy, min context slot, internal
FAILOVER_AFTER = 3  # consecutive failures of the current node before moving to the next


class RpcError(Exception):
    """A JSON-RPC error object from the node."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{message} ({code})")
        self.code = code


class NodeUnavailable(Exception):
    """The node did not answer usefully: connection failure, timeout, 429 or 5xx."""


class SolanaRpc:
    """JSON-RPC calls to one node."""

    def __init__(self, session: aiohttp.ClientSession, url: str, commitment: Commitment) -> None:
        self.session = session
        self.url = url
        self.commitment = commitment
        self._block_config = {
            "encoding": "json",
            "transactionDetails": "full",
            "maxSupportedTransactionVersion": 0,
            "rewards": False,
            "commitment": commitment,
        }

    async def call(self, method: str, params: list[Any]) -> Any:
        body = orjson.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        headers = {"Content-Type": "application/json"}
        try:
            async with self.session.post(self.url, data=body, headers=headers) as response:
                if response.status == 429 or response.status >= 500:
                    raise NodeUnavailable(f"{self.url} answered HTTP {response.status}")
                payload = orjson.loads(await response.read())
        except (aiohttp.ClientError, TimeoutError, orjson.JSONDecodeError) as error:
            raise NodeUnavailable(f"{self.url}: {type(error).__name__}: {error}") from error
        if "error" in payload:
            failure = payload["error"]
            refused = RpcError(int(failure.get("code", 0)), str(failure.get("message", "")))
            if refused.code in TRANSIENT_CODES:
                raise NodeUnavailable(f"{self.url}: {refused}") from refused
            raise refused
        return payload["result"]

    async def slot(self, commitment: str | None = None) -> int:
        return int(await self.call("getSlot", [{"commitment": commitment or self.commitment}]))

    async def blocks(self, start: int, end: int) -> list[int]:
        """Slots in [start, end] that have a block at the commitment (the rest were skipped)."""
        slots: list[int] = await self.call(
            "getBlocks", [start, end, {"commitment": self.commitment}]
        )
        return slots

    async def first_available_block(self) -> int:
        """The lowest slot the node (or its long-term storage) still serves."""
        return int(await self.call("getFirstAvailableBlock", []))

    async def block(self, slot: int) -> dict[str, Any] | None:
        """The block, or None when the slot was skipped; RpcError -32004 if not there yet."""
        try:
            block: dict[str, Any] | None = await self.call("getBlock", [slot, self._block_config])
        except RpcError as error:
            if error.code in (SLOT_SKIPPED, LONG_TERM_STORAGE_SLOT_SKIPPED):
                return None
            raise
        if block is None:
            raise RpcError(BLOCK_NOT_AVAILABLE, f"getBlock {slot} answered null")
        return block

    async def performance_samples(self, limit: int) -> list[dict[str, Any]]:
        samples: list[dict[str, Any]] = await self.call("getRecentPerformanceSamples", [limit])
        return samples


@dataclass(frozen=True)
class Node:
    rpc_url: str
    ws_url: str


class NodePool:
    """The configured nodes in failover order; every task talks to ``current``.

    ``generation`` changes on each failover, so a task that saw a failure on a node the pool
    has already left does not move it again.
    """

    def __init__(
        self,
        nodes: list[Node],
        *,
        session: aiohttp.ClientSession,
        commitment: Commitment,
        counters: Counters,
    ) -> None:
        self.nodes = nodes
        self.session = session
        self.commitment = commitment
        self.counters = counters
        self.generation = 0
        self._index = 0
        self._failures = 0
        self.rpc = SolanaRpc(session, nodes[0].rpc_url, commitment)

    @property
    def current(self) -> Node:
        return self.nodes[self._index]

    def succeeded(self) -> None:
        self._failures = 0

    def failed(self, generation: int, reason: str) -> None:
        """A failure seen on ``generation``'s node; fails over after a few in a row."""
        if generation != self.generation:
            return
        self._failures += 1
        log.warning(
            "node failure",
            extra={"node": self.current.rpc_url, "reason": reason, "in_a_row": self._failures},
        )
        if self._failures >= FAILOVER_AFTER:
            self.fail_over(generation, reason)

    def fail_over(self, generation: int, reason: str) -> None:
        """Move to the next node (with one node: reconnect to it), once per generation."""
        if generation != self.generation:
            return
        previous = self.current
        self._index = (self._index + 1) % len(self.nodes)
        self._failures = 0
        self.generation += 1
        self.rpc = SolanaRpc(self.session, self.current.rpc_url, self.commitment)
        if len(self.nodes) > 1:
            self.counters.failovers += 1
            log.warning(
                "failing over",
                extra={"from": previous.rpc_url, "to": self.current.rpc_url, "reason": reason},
            )
