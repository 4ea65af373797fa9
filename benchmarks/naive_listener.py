"""The naive baseline listener: logsSubscribe (all), one synchronous put_record per notification.

Deliberately what a first attempt looks like: no getBlock, no batching, no concurrency, no
checkpoint. Each logs notification becomes one pipeline event (the transaction, its slot from
the notification's context; tx_index and block_time are unknown to it) and one blocking boto3
put_record call, made on the websocket's own loop, so the socket is not read meanwhile. A node
that drops it for being too far behind is reconnected (what it missed is lost; counted).

    .venv/bin/python benchmarks/naive_listener.py --ws ws://127.0.0.1:8900 --stream S \
        --endpoint-url http://127.0.0.1:4607 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

import boto3
import websockets
from websockets.asyncio.client import connect

from chainops.pipeline.events import Event


async def listen(ws_url: str, stream: str, kinesis: Any, *, commitment: str, until: float) -> None:
    puts = reconnects = 0
    while time.monotonic() < until:
        try:
            async with connect(ws_url, max_size=None) as ws:
                request = {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "logsSubscribe",
                    "params": ["all", {"commitment": commitment}],
                }
                await ws.send(json.dumps(request))
                await ws.recv()  # the subscription id
                while time.monotonic() < until:
                    try:
                        message = await asyncio.wait_for(ws.recv(), until - time.monotonic())
                    except TimeoutError:
                        break
                    note = json.loads(message)["params"]["result"]
                    event = Event(
                        type="transaction",
                        slot=note["context"]["slot"],
                        tx_index=0,
                        signature=note["value"]["signature"],
                        block_time=None,
                        data={"err": note["value"]["err"]},
                    )
                    kinesis.put_record(
                        StreamName=stream, Data=event.encode(), PartitionKey=event.partition_key
                    )
                    puts += 1
        except websockets.ConnectionClosed:
            reconnects += 1
    print(json.dumps({"msg": "naive listener stopped", "puts": puts, "reconnects": reconnects}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ws", required=True, help="PubSub URL of the node")
    parser.add_argument("--stream", required=True)
    parser.add_argument("--endpoint-url", default=None)
    parser.add_argument("--commitment", default="confirmed")
    parser.add_argument("--seconds", type=float, required=True, help="run this long, then exit")
    args = parser.parse_args()
    kinesis = boto3.client("kinesis", endpoint_url=args.endpoint_url)
    until = time.monotonic() + args.seconds
    asyncio.run(listen(args.ws, args.stream, kinesis, commitment=args.commitment, until=until))
    return 0


if __name__ == "__main__":
    sys.exit(main())
