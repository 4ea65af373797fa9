"""Decode + batch rate of the listener per core, with a sink that drops the batches.

Blocks come from a short run of the lab validator (default mix, 400 ms slots), fetched once
with the listener's own getBlock options and cached as raw JSON under --cache. The timed part
is the listener's path for each block, single process: parse the JSON (orjson), block -> events
(transaction and filtered log events), events -> records (encode + partition key), records ->
PutRecords batches. Prints tx/s and the share of each stage.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import orjson

from chainops.listener.batcher import Batcher, record_of
from chainops.listener.decode import DEFAULT_PROGRAMS, block_events
from chainops.listener.service import relax_gc

CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]
BLOCK_OPTIONS = {
    "encoding": "json",
    "transactionDetails": "full",
    "maxSupportedTransactionVersion": 0,
    "rewards": False,
    "commitment": "confirmed",
}


def _rpc(url: str, method: str, params: list[object]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the local node
        return bytes(response.read())


def record_blocks(cache: Path, *, tps: int, seconds: float) -> None:
    """Run the validator for a while and keep each block's getBlock answer (the raw bytes)."""
    cache.mkdir(parents=True, exist_ok=True)
    log = cache / "validator.log"
    args = ["validator", "--rpc-port", "0", "--ws-port", "0", "--tps", str(tps)]
    with log.open("wb") as out:
        process = subprocess.Popen([*CLI, *args], stdout=out, stderr=out)
    try:
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            for line in log.read_text().splitlines():
                if '"validator listening"' in line:
                    url = json.loads(line)["rpc"]
            time.sleep(0.1)
        if not url:
            raise SystemExit(f"validator did not start:\n{log.read_text()}")
        time.sleep(seconds)
        confirmed = {"commitment": "confirmed"}
        tip = orjson.loads(_rpc(url, "getSlot", [confirmed]))["result"]
        for slot in orjson.loads(_rpc(url, "getBlocks", [0, tip, confirmed]))["result"]:
            (cache / f"{slot:08d}.json").write_bytes(_rpc(url, "getBlock", [slot, BLOCK_OPTIONS]))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def measure(blocks: list[bytes], *, rounds: int) -> dict[str, float]:
    """Seconds per stage over `rounds` passes, and the transactions and events seen."""
    stages = dict.fromkeys(("parse", "events", "records", "batches"), 0.0)
    transactions = events_total = batches = 0
    clock = time.process_time  # CPU seconds of this process: a rate per core, even on a busy host
    for _ in range(rounds):
        batcher = Batcher()
        for raw in blocks:
            started = clock()
            answer = orjson.loads(raw)["result"]
            parsed = clock()
            events = block_events(0, answer, DEFAULT_PROGRAMS)
            decoded = clock()
            records = [record_of(event) for event in events]
            encoded = clock()
            for record in records:
                if batcher.add(record):
                    batches += 1  # the null sink: the full batch is dropped
            batched = clock()
            stages["parse"] += parsed - started
            stages["events"] += decoded - parsed
            stages["records"] += encoded - decoded
            stages["batches"] += batched - encoded
            transactions += len(answer["transactions"])
            events_total += len(events)
    total = sum(stages.values())
    return {
        "tx_per_s": transactions / total,
        "events_per_s": events_total / total,
        "transactions": transactions,
        "events": events_total,
        "batches": batches,
        **{f"{name}_share": seconds / total for name, seconds in stages.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_cache = Path(tempfile.gettempdir()) / "chainops-listener-bench"
    parser.add_argument("--cache", type=Path, default=default_cache, help="recorded blocks")
    parser.add_argument("--tps", type=int, default=2000, help="validator load when recording")
    parser.add_argument("--record-seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the cached blocks")
    args = parser.parse_args()
    if not any(args.cache.glob("*.json")):
        record_blocks(args.cache, tps=args.tps, seconds=args.record_seconds)
    blocks = [path.read_bytes() for path in sorted(args.cache.glob("*.json"))]
    blocks = [raw for raw in blocks if orjson.loads(raw)["result"]["transactions"]]
    relax_gc()  # as the service runs
    result = measure(blocks, rounds=args.rounds)
    tx_per_block = result["transactions"] / (len(blocks) * args.rounds)
    print(f"blocks: {len(blocks)} cached in {args.cache}, {tx_per_block:.0f} tx/block")
    print(
        f"decode + batch: {result['tx_per_s']:,.0f} tx/s per core "
        f"({result['events_per_s']:,.0f} events/s, goal >= 20,000 tx/s)"
    )
    shares = ", ".join(
        f"{name} {result[f'{name}_share']:.0%}"
        for name in ("parse", "events", "records", "batches")
    )
    print(f"stages: {shares}")
    print("command: .venv/bin/python benchmarks/listener_decode.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
