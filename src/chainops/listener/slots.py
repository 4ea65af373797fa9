"""slotSubscribe on the current node: the processed tip, gap detection and the stall watchdog.

Notifications only wake the block fetcher early; correctness never depends on them, since the
fetcher always covers every slot up to the commitment's tip. A notification whose parent was
never notified (missed notifications, a reconnect), or none within the watchdog, is a gap.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import orjson

from chainops.listener.clock import ChainClock
from chainops.listener.rpc import NodePool, NodeUnavailable, RpcError
from chainops.listener.stats import Counters

log = logging.getLogger(__name__)
RECEIVE_POLL_S = 0.25  # how often a silent socket checks the watchdog and for a failover
_SUBSCRIBE = orjson.dumps({"jsonrpc": "2.0", "id": 1, "method": "slotSubscribe"}).decode()


class ConnectionDropped(Exception):
    """The node closed the websocket."""


class SlotFollower:
    """Keeps a slot subscription to ``pool.current``; ``processed`` is the highest slot seen."""

    def __init__(
        self, pool: NodePool, *, clock: ChainClock, counters: Counters, wake: asyncio.Event
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.counters = counters
        self.wake = wake
        self.processed: int | None = None
        self._failures = 0  # connection failures since the last notification

    async def run(self) -> None:
        while True:
            generation = self.pool.generation
            node = self.pool.current
            try:
                await self._follow(node.ws_url, generation)
            except (aiohttp.ClientError, OSError, TimeoutError, ConnectionDropped) as error:
                reason = f"websocket {node.ws_url}: {type(error).__name__}: {error}"
                self.pool.failed(generation, reason)
                # Exponential from one slot time up to the watchdog: quick after a blip,
                # quiet while a node stays down.
                delay = self.clock.slot_time_s * 2 ** min(self._failures, 16)
                self._failures += 1
                await asyncio.sleep(min(delay, self.clock.watchdog_s))
            self.counters.reconnects += 1

    async def _follow(self, url: str, generation: int) -> None:
        loop = asyncio.get_running_loop()
        async with self.pool.session.ws_connect(url, autoping=True) as ws:
            await ws.send_str(_SUBSCRIBE)
            log.info("subscribed to slots", extra={"ws": url})
            heard = loop.time()
            while self.pool.generation == generation:
                try:
                    message = await ws.receive(timeout=RECEIVE_POLL_S)
                except TimeoutError:
                    if loop.time() - heard > self.clock.watchdog_s:
                        await self._stalled(generation, silent_s=loop.time() - heard)
                        return
                    continue
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise ConnectionDropped(f"message type {message.type.name}")
                payload = orjson.loads(message.data)
                if payload.get("method") == "slotNotification":
                    heard = loop.time()
                    self.pool.succeeded()
                    result = payload["params"]["result"]
                    self._on_slot(int(result["slot"]), int(result["parent"]), heard)

    def _on_slot(self, slot: int, parent: int, at: float) -> None:
        self._failures = 0
        previous = self.processed
        # A jump whose parent is the last slot seen only passed skipped slots; a parent past
        # it means notifications were missed.
        if previous is not None and parent > previous:
            self.counters.gaps_detected += 1
            log.info("slot notifications missed", extra={"after": previous, "to": slot})
        self.clock.observe_notification(slot, at)
        if previous is None or slot > previous:
            self.processed = slot
        self.wake.set()

    async def _stalled(self, generation: int, *, silent_s: float) -> None:
        """No notification within the watchdog: a silent socket or a stalled node?"""
        self.counters.stalls += 1
        self.counters.gaps_detected += 1
        try:
            tip = await self.pool.rpc.slot("processed")
        except (NodeUnavailable, RpcError) as error:
            self.pool.failed(generation, f"stalled and RPC failed: {error}")
            return
        moving = self.processed is None or tip > self.processed
        log.warning(
            "slot notifications stalled",
            extra={"silent_s": round(silent_s, 2), "tip": tip, "chain_moving": moving},
        )
        self.wake.set()  # the fetcher checks the commitment's tip now
        if not moving:
            self.pool.fail_over(generation, f"no new slot for {silent_s:.1f} s")
