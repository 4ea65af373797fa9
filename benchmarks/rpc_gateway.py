"""getSlot straight to the lab validator and through `chainops rpc-gateway`, side by side.

Starts a validator (400 ms slots, no generated load) and a gateway in front of it on ephemeral
loopback ports (its metrics: every request counted and timed as in production, published once
at exit to an endpoint that is not there, so no PutMetricData runs during the measurement).
Then, for each concurrency, alternates --rounds phases of --seconds against each target (direct,
gateway, direct, ...: a busy neighbour hits both alike) with one aiohttp client session of
keep-alive connections, and prints requests/s and client-side latency p50/p99 per target, the
CPU time the node and the gateway spent per request (from /proc: a per-request cost that holds
on a busy host), and what the gateway adds. On this 2-core VM the client, the node and the
gateway share the cores: through the gateway, three busy processes instead of two.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

CLI = [sys.executable, "-c", "import sys; from chainops.cli import main; sys.exit(main())"]
GET_SLOT = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).encode()
JSON = {"Content-Type": "application/json"}


def _start(
    args: list[str], log: Path, ready: str
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """A `chainops` process, returned with its ready line once it has logged it."""
    with log.open("wb") as out:
        process = subprocess.Popen([*CLI, *args], stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if f'"{ready}"' in line:
                entry: dict[str, str] = json.loads(line)
                return process, entry
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{args[0]} did not start:\n{log.read_text()}")


async def _phase(
    session: aiohttp.ClientSession, url: str, concurrency: int, seconds: float
) -> list[float]:
    """Latencies (ms) of getSlot calls made by `concurrency` workers for `seconds`."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            async with session.post(url, data=GET_SLOT, headers=JSON) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"{url}: HTTP {response.status}")
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def measure(
    targets: dict[str, str], pids: dict[str, int], concurrency: int, seconds: float, rounds: int
) -> dict[str, list[float]]:
    """target -> [requests/s, p50 ms, p99 ms, then CPU us per request of each of `pids`]."""
    connector = aiohttp.TCPConnector(limit=concurrency * len(targets))
    async with aiohttp.ClientSession(connector=connector) as session:
        for url in targets.values():  # connections open, first answers out of the way
            await _phase(session, url, concurrency, 0.5)
        latencies: dict[str, list[float]] = {name: [] for name in targets}
        cpu = {name: dict.fromkeys(pids, 0.0) for name in targets}
        for _ in range(rounds):
            for name, url in targets.items():
                before = {process: _cpu_seconds(pid) for process, pid in pids.items()}
                latencies[name] += await _phase(session, url, concurrency, seconds)
                for process, pid in pids.items():
                    cpu[name][process] += _cpu_seconds(pid) - before[process]
    return {
        name: [
            len(values) / (seconds * rounds),
            _pct(values, 0.5),
            _pct(values, 0.99),
            *(spent / len(values) * 1e6 for spent in cpu[name].values()),
        ]
        for name, values in latencies.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--seconds", type=float, default=5.0, help="per phase")
    parser.add_argument("--rounds", type=int, default=3, help="phases per target")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rpc-gateway-bench-"))
    validator, node = _start(
        ["validator", "--rpc-port", "0", "--ws-port", "0"],
        work / "validator.log",
        "validator listening",
    )
    gateway_args = [
        "rpc-gateway", "--host", "127.0.0.1", "--rpc-port", "0", "--ws-port", "0",
        "--upstream-rpc", node["rpc"], "--upstream-ws", node["ws"], "--group-name", "bench",
        "--metrics-interval-s", "3600", "--endpoint-url", "http://127.0.0.1:9",
        "--region", "us-east-1",
    ]  # fmt: skip
    try:
        gateway, proxy = _start(gateway_args, work / "gateway.log", "gateway listening")
    except SystemExit:
        validator.send_signal(signal.SIGTERM)
        raise
    targets = {"direct": node["rpc"], "gateway": proxy["rpc"]}
    pids = {"node": validator.pid, "gateway": gateway.pid}
    print(
        f"{'concurrency':>11} {'target':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'node CPU us/req':>15} {'gateway CPU us/req':>18}",
        flush=True,
    )
    try:
        for concurrency in options.concurrency:
            result = asyncio.run(
                measure(targets, pids, concurrency, options.seconds, options.rounds)
            )
            for name, (rate, p50, p99, node_cpu, gateway_cpu) in result.items():
                print(
                    f"{concurrency:>11} {name:>8} {rate:8.0f} {p50:7.2f} {p99:7.2f}"
                    f" {node_cpu:15.0f} {gateway_cpu:18.0f}",
                    flush=True,
                )
            direct, through = result["direct"], result["gateway"]
            print(
                f"{concurrency:>11} {'added':>8} {through[0] / direct[0] - 1:+8.0%}"
                f" {through[1] - direct[1]:+7.2f} {through[2] - direct[2]:+7.2f}",
                flush=True,
            )
    finally:
        for process in (gateway, validator):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
