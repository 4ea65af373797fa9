"""The proxy: through `chainops rpc-gateway` the lab validator answers as it does directly
(JSON-RPC single and batch, /health, PubSub), and an absent node gets JSON-RPC errors."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from chainops.rpcgateway import disks
from chainops.rpcgateway.proxy import WHOLE_BODY
from tests.rpcgateway.conftest import GatewayProcess, Validator, post, request

Start = Callable[..., GatewayProcess]


@pytest.fixture
def gateway(validator: Validator, start_gateway: Start) -> GatewayProcess:
    return start_gateway(validator.rpc_url, validator.ws_url)


def _finalized_slot(validator: Validator) -> int:
    answer = post(validator.rpc_url, request("getSlot", [{"commitment": "finalized"}])).json()
    slot: int = answer["result"]
    return slot


def test_json_rpc_answers_equal_the_nodes(validator: Validator, gateway: GatewayProcess) -> None:
    """getBlock, getGenesisHash and a batch come back byte for byte as the node sends them
    (status and content type too); getSlot lies between two direct reads."""
    slot = _finalized_slot(validator)
    block = request("getBlock", [slot, {"commitment": "finalized", "rewards": False}])
    genesis = request("getGenesisHash", request_id=2)
    for payload in (block, genesis, [block, genesis], [block, request("nope", request_id=3)]):
        direct, proxied = post(validator.rpc_url, payload), post(gateway.rpc_url, payload)
        assert proxied == direct
        assert proxied.status == 200
        assert proxied.content_type == "application/json"
    assert post(gateway.rpc_url, block).json()["result"]["blockhash"]

    before = post(validator.rpc_url, request("getSlot")).json()["result"]
    through = post(gateway.rpc_url, request("getSlot")).json()["result"]
    after = post(validator.rpc_url, request("getSlot")).json()["result"]
    assert before <= through <= after


def test_errors_and_refusals_pass_unchanged(validator: Validator, gateway: GatewayProcess) -> None:
    """A body that is not JSON gets the node's parse error; the node's 429 (and Retry-After)
    reaches the client as the node sent it."""
    raw = urllib.request.Request(
        gateway.rpc_url, b"{not json", {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(raw, timeout=10) as response:
        assert json.load(response)["error"]["code"] == -32700
    validator.faults.set(http_429=True, retry_after_s=7)
    try:
        answer = post(gateway.rpc_url, request("getSlot"))
        assert (answer.status, answer.body) == (429, b"Too Many Requests")
        assert answer.headers["Retry-After"] == "7"
    finally:
        validator.faults.clear()


def test_health_is_the_nodes(validator: Validator, gateway: GatewayProcess) -> None:
    with urllib.request.urlopen(gateway.rpc_url + "/health", timeout=10) as response:
        assert (response.status, response.read()) == (200, b"ok")


def test_health_is_503_naming_a_full_or_missing_disk(
    validator: Validator, start_gateway: Start, tmp_path: Path
) -> None:
    """A watched filesystem used above --health-max-disk-used-percent (this test's own, with a
    limit just below its usage, rather than gigabytes written), or a watched path that is gone:
    /health answers 503 naming each path and its usage, so a load balancer takes the node out;
    JSON-RPC still goes through. At or under the limit /health is the node's."""
    used = disks.usage(str(tmp_path)).percent
    assert used is not None
    assert used > 1
    gone = tmp_path / "unmounted"
    full = start_gateway(
        validator.rpc_url, validator.ws_url, "--health-disk-paths", str(tmp_path),
        "--health-disk-paths", str(gone),
        "--health-max-disk-used-percent", str(used - 1),
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as health:
        urllib.request.urlopen(full.rpc_url + "/health", timeout=10)
    assert health.value.code == 503
    assert health.value.read().decode() == (
        f"disk full: {tmp_path} {used}% used, {gone} unreadable: No such file or directory"
        f" (limit {used - 1}%)"
    )
    assert post(full.rpc_url, request("getSlot")).status == 200
    fine = start_gateway(
        validator.rpc_url, validator.ws_url, "--health-disk-paths", str(tmp_path),
        "--health-max-disk-used-percent", str(used),
    )  # fmt: skip
    with urllib.request.urlopen(fine.rpc_url + "/health", timeout=10) as response:
        assert (response.status, response.read()) == (200, b"ok")


async def _slots(url: str, count: int) -> list[dict[str, Any]]:
    """`count` slotNotification results after a slotSubscribe on `url`."""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_json(request("slotSubscribe"))
        confirmation = await ws.receive_json(timeout=10)
        assert isinstance(confirmation["result"], int), confirmation
        results = []
        while len(results) < count:
            message = await ws.receive_json(timeout=10)
            assert message["method"] == "slotNotification", message
            results.append(message["params"]["result"])
        return results


def test_slot_subscribe_equals_the_nodes(validator: Validator, gateway: GatewayProcess) -> None:
    """The same slot notifications (slot, parent, root) through the gateway as directly."""

    async def both() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        proxied, direct = await asyncio.gather(
            _slots(gateway.ws_url, 20), _slots(validator.ws_url, 20)
        )
        return proxied, direct

    proxied, direct = asyncio.run(both())
    by_slot = {n["slot"]: n for n in direct}
    common = [n for n in proxied if n["slot"] in by_slot]
    assert len(common) >= 10, (proxied, direct)
    assert all(n == by_slot[n["slot"]] for n in common)
    slots = [n["slot"] for n in proxied]
    assert slots == sorted(slots)


def test_one_side_closing_closes_the_other(validator: Validator, gateway: GatewayProcess) -> None:
    """The node dropping its websockets closes the client's; a client leaving frees the node's
    connection (the gateway stays usable)."""

    async def dropped() -> aiohttp.WSMsgType:
        async with aiohttp.ClientSession() as session, session.ws_connect(gateway.ws_url) as ws:
            await ws.send_json(request("slotSubscribe"))
            await ws.receive_json(timeout=10)
            validator.faults.drop_websockets()
            while True:
                message = await ws.receive(timeout=10)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    return message.type

    assert asyncio.run(dropped()) in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert len(asyncio.run(_slots(gateway.ws_url, 2))) == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_absent_node_gets_json_rpc_errors(start_gateway: Start) -> None:
    """Nothing listens upstream: 502 with a JSON-RPC error per request id (a batch: one each),
    /health 502, a websocket refused with 502."""
    port = _free_port()
    gateway = start_gateway(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}")
    single = post(gateway.rpc_url, request("getSlot", request_id=41))
    assert (single.status, single.content_type) == (502, "application/json")
    body = single.json()
    assert (body["jsonrpc"], body["id"], body["error"]["code"]) == ("2.0", 41, -32603)
    assert "upstream RPC node unavailable" in body["error"]["message"]
    batch = post(
        gateway.rpc_url, [request("getSlot", request_id=1), request("getSlot", request_id=2)]
    )
    assert batch.status == 502
    assert [item["id"] for item in batch.json()] == [1, 2]
    with pytest.raises(urllib.error.HTTPError) as health:
        urllib.request.urlopen(gateway.rpc_url + "/health", timeout=10)
    assert health.value.code == 502

    async def refused() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                await session.ws_connect(gateway.ws_url)
            except aiohttp.WSServerHandshakeError as error:
                return error.status
        return 101

    assert asyncio.run(refused()) == 502


def test_a_large_answer_is_streamed_unchanged(
    validator: Validator, gateway: GatewayProcess
) -> None:
    """An answer over WHOLE_BODY (a batch of full blocks) is streamed, byte for byte."""
    slot = _finalized_slot(validator)
    options = {"commitment": "finalized", "transactionDetails": "full", "encoding": "json"}
    one = post(validator.rpc_url, request("getBlock", [slot, options])).body
    batch = [
        request("getBlock", [slot, options], request_id=i)
        for i in range(2 * WHOLE_BODY // len(one) + 1)
    ]
    direct = post(validator.rpc_url, batch, timeout=30)
    assert len(direct.body) > WHOLE_BODY
    assert post(gateway.rpc_url, batch, timeout=30) == direct
