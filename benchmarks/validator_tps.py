"""Throughput of `chainops validator --tps N` and of replaying its recorded blocks.

For each rate: start the validator (400 ms slots) on ephemeral ports, let it run for
--seconds, then read /chainops/stats (produced slots, transactions, slot intervals and
per-block execution time). Then replay the recording of the last rate at full speed.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]


def _start(args: list[str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*CLI, "validator", "--rpc-port", "0", "--ws-port", "0", *args], stdout=out, stderr=out
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if '"validator listening"' in line:
                return process, json.loads(line)["rpc"]
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"validator did not start: {log.read_text()}")


def _stats(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "/chainops/stats", timeout=10) as response:  # noqa: S310
        result: dict[str, Any] = json.load(response)
    return result


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def measure(args: list[str], seconds: float, slot_ms: float, log: Path) -> dict[str, float]:
    process, url = _start(args, log)
    try:
        time.sleep(2.0)  # workers started, first slots out of the way
        before = _stats(url)
        started = time.monotonic()
        time.sleep(seconds)
        after = _stats(url)
        elapsed = time.monotonic() - started
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    produced = after["produced"] - before["produced"]
    txs = after["transactions"] - before["transactions"]
    intervals = after["intervals_ms"][len(before["intervals_ms"]) :]
    deviation = [abs(i - slot_ms) for i in intervals]
    execute = after["execute_ms"][len(before["execute_ms"]) :]
    return {
        "tx_per_s": txs / elapsed,
        "blocks": produced,
        "txs_per_block": txs / produced if produced else 0.0,
        "jitter_p50_ms": _pct(deviation, 0.5),
        "jitter_p99_ms": _pct(deviation, 0.99),
        "execute_p50_ms": statistics.median(execute) if execute else 0.0,
        "rejected": after["rejected"] - before["rejected"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--slot-ms", type=int, default=400)
    parser.add_argument("--signers", type=int, default=1)
    parser.add_argument("--replay-rate", type=float, default=20.0, help="replayed blocks/s")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="validator-bench-"))
    header = (
        f"{'run':>14} {'tx/s':>8} {'tx/block':>9} {'p50 jit ms':>10} {'p99 jit ms':>10}"
        f" {'exec p50 ms':>11}"
    )
    print(header)
    record = work / "blocks.jsonl"
    for rate in options.rates:
        record.unlink(missing_ok=True)
        args = [
            "--tps",
            str(rate),
            "--slot-ms",
            str(options.slot_ms),
            "--signers",
            str(options.signers),
            "--record",
            str(record),
        ]
        result = measure(args, options.seconds, options.slot_ms, work / f"tps{rate}.log")
        _row(f"--tps {rate}", result)
    interval = 1000 / options.replay_rate
    replay = ["--replay", str(record), "--replay-rate", str(options.replay_rate)]
    _row(
        f"replay {options.replay_rate:g}/s",
        measure(replay, options.seconds, interval, work / "replay.log"),
    )


def _row(name: str, r: dict[str, float]) -> None:
    print(
        f"{name:>14} {r['tx_per_s']:8.0f} {r['txs_per_block']:9.0f} {r['jitter_p50_ms']:10.1f}"
        f" {r['jitter_p99_ms']:10.1f} {r['execute_p50_ms']:11.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
