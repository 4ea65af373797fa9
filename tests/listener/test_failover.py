"""NodePool: when to move to the next node, and only once per failure."""

from __future__ import annotations

import aiohttp
import pytest

from chainops.listener.rpc import FAILOVER_AFTER, Node, NodePool
from chainops.listener.stats import Counters

NODES = [Node("http://a:8899", "ws://a:8900"), Node("http://b:8899", "ws://b:8900")]


@pytest.mark.asyncio
async def test_fails_over_after_failures_in_a_row_and_wraps_around():
    """Three failures in a row move every task to the next node; a success resets the count."""
    async with aiohttp.ClientSession() as session:
        counters = Counters()
        pool = NodePool(NODES, session=session, commitment="confirmed", counters=counters)
        for _ in range(FAILOVER_AFTER - 1):
            pool.failed(pool.generation, "refused")
        pool.succeeded()
        pool.failed(pool.generation, "refused")
        assert pool.current == NODES[0]
        for _ in range(FAILOVER_AFTER - 1):
            pool.failed(pool.generation, "refused")
        assert pool.current == NODES[1]
        assert pool.rpc.url == "http://b:8899"
        pool.fail_over(pool.generation, "stalled")
        assert pool.current == NODES[0]
        assert counters.failovers == 2


@pytest.mark.asyncio
async def test_a_failure_seen_on_a_node_already_left_does_not_move_again():
    """Tasks that noticed the same outage fail over once, not once each."""
    async with aiohttp.ClientSession() as session:
        pool = NodePool(NODES, session=session, commitment="confirmed", counters=Counters())
        seen = pool.generation
        pool.fail_over(seen, "websocket dropped")
        pool.fail_over(seen, "getSlot refused")
        for _ in range(FAILOVER_AFTER):
            pool.failed(seen, "refused")
        assert pool.current == NODES[1]
        assert pool.generation == seen + 1


@pytest.mark.asyncio
async def test_one_node_reconnects_without_counting_a_failover():
    """With a single node "failing over" means starting again on it, not a failover."""
    async with aiohttp.ClientSession() as session:
        counters = Counters()
        pool = NodePool(NODES[:1], session=session, commitment="finalized", counters=counters)
        pool.fail_over(pool.generation, "stalled")
        assert pool.current == NODES[0]
        assert pool.generation == 1
        assert counters.failovers == 0
