"""The pipeline end to end on the lab at a replayed load: rate, lag and backlog.

For each rate, blocks are recorded once from `chainops validator --tps RATE` (400 ms slots,
default mix; long enough that the replay never loops, since a loop repeats signatures) and
replayed by a fresh validator, one block per 400 ms slot on a fixed
`--genesis-time G` with `--confirmed-depth 0`: block `s` is produced and confirmed at
`G + s * 0.4`, so that instant is the exact origin of every lag below. The listener (its
default flags) or the naive baseline (benchmarks/naive_listener.py) publishes to a fresh lab
stream, two `chainops consumer` processes land it in S3, and after a warm-up one window is
measured. Afterwards the stream is read back (GetRecords: ApproximateArrivalTimestamp per
record) and the lake too (LastModified per object: whole seconds in the lab, so lake figures
are +-0.5 s), giving:

- events/s reaching Kinesis and S3 in the window, and the offered tx/s (getTransactionCount);
- p50/p99 lag, slot start -> Kinesis arrival and slot start -> S3 object, in ms and slots;
- the backlog (records in Kinesis not yet in S3) every 5 s;
- CPU seconds used by each process in the window, and a bare PutRecords loop against the same
  lab, to show how much of the lag is the lab's single Python process.

    .venv/bin/python benchmarks/pipeline_e2e.py [--rates 1000,4000] [--seconds 60] \
        [--mode listener|naive|both] [--port 4607]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainops.lab.aws import server
from chainops.lab.settings import LabSettings
from chainops.paths import REPO_ROOT
from chainops.pipeline.events import decode

sys.path.insert(0, str(REPO_ROOT))
from tests import validator_node
from tests.pipeline.stack import Service, Stack
from tests.validator_node import Validator, start_validator_process

# A long recording is decoded before the node listens (about 10 s per 100,000 transactions).
validator_node.START_TIMEOUT_S = 180

SLOT_S = 0.4
BACKLOG_STEP_S = 5
VOTE = "Vote111111111111111111111111111111111111111"
NAIVE = REPO_ROOT / "benchmarks" / "naive_listener.py"


@dataclass
class Window:
    """One measured run: its genesis (slot 0), window, confirmed transactions and CPU use."""

    mode: str
    rate: int
    genesis: float
    start: float
    end: float
    transactions: int
    cpu_s: dict[str, float]


@dataclass
class Result:
    mode: str
    rate: int
    offered_tps: float
    kinesis_eps: float
    kinesis_tps: float  # non-vote transactions: what logsSubscribe "all" (the naive one) sees
    lake_eps: float
    kinesis_lag_ms: tuple[float, float]
    lake_lag_ms: tuple[float, float]
    landed_share: float
    backlog: list[tuple[int, int]]
    cpu_s: dict[str, float]
    repeats: int  # records in the stream whose id was already there


def _rpc(url: str, method: str, params: list[object]) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the local node
        return json.load(response)["result"]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (float("nan"), float("nan"))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


def record_blocks(cache: Path, rate: int, seconds: float) -> Path:
    """`chainops validator --tps RATE --record` for `seconds`, once per rate and length (cached).

    A replay loops over its recording with the recorded signatures, so a recording shorter
    than the run would re-publish the same event ids: the consumers would rightly drop them.
    """
    path = cache / f"blocks-{rate}-{seconds:.0f}s.jsonl"
    if path.exists():
        return path
    partial = cache / f"blocks-{rate}.partial"
    partial.unlink(missing_ok=True)
    node = start_validator_process(cache, ["--tps", str(rate), "--record", str(partial)])
    time.sleep(seconds)
    node.stop()
    partial.rename(path)
    return path


def bare_put_records(stack: Stack, *, calls: int = 20) -> tuple[float, float]:
    """ms per PutRecords of 500 ~600-byte records, and records/s, one call at a time."""
    kinesis = stack.client("kinesis")
    entries = [{"Data": b"x" * 600, "PartitionKey": f"k{n}"} for n in range(500)]
    started = time.perf_counter()
    for _ in range(calls):
        kinesis.put_records(StreamName=stack.stream, Records=entries)
    elapsed = time.perf_counter() - started
    return elapsed / calls * 1000, calls * len(entries) / elapsed


def _publisher(mode: str, stack: Stack, node: Validator, tmp: Path, seconds: float) -> Service:
    if mode == "listener":
        return stack.start_listener(tmp, node.rpc_url, node.ws_url, "--stats-interval-s", "5")
    command = [
        sys.executable, str(NAIVE), "--ws", node.ws_url, "--stream", stack.stream,
        "--endpoint-url", stack.lab.endpoint, "--seconds", str(seconds),
    ]  # fmt: skip
    log = tmp / "naive.log"
    with log.open("wb") as out:
        env = {**os.environ, **stack.lab.aws_env()}
        process = subprocess.Popen(command, stdout=out, stderr=out, env=env)
    service = Service(process, log)
    stack.services.append(service)
    return service


def run(
    settings: LabSettings, mode: str, rate: int, recording: Path, args: argparse.Namespace
) -> Result:
    server.reset(settings)  # frees the previous run's records in the lab's memory
    stack = Stack.create(settings, shards=args.shards)
    tmp = args.cache / f"{mode}-{rate}-{stack.run}"  # the processes' logs, kept
    tmp.mkdir()
    genesis = time.time()
    node = start_validator_process(
        tmp,
        [
            "--replay", str(recording), "--slot-ms", str(int(SLOT_S * 1000)),
            "--genesis-time", f"{genesis:.3f}", "--confirmed-depth", "0",
            "--sample-period-s", "1",
        ],
    )  # fmt: skip
    try:
        publisher = _publisher(mode, stack, node, tmp, args.warmup + args.seconds + 1)
        consumers = [
            stack.start_consumer(tmp, f"c{n}", "--lease-seconds", "10")
            for n in range(args.consumers)
        ]
        services = {
            "publisher": publisher,
            **{f"consumer {n}": c for n, c in enumerate(consumers)},
        }
        pids = {
            "validator": node.process.pid,
            **{k: s.process.pid for k, s in services.items()},
        }
        lab_pid = server.running_pid(settings)
        if lab_pid is not None:
            pids["lab (moto)"] = lab_pid
        time.sleep(args.warmup)
        count0 = _rpc(node.rpc_url, "getTransactionCount", [{"commitment": "confirmed"}])
        cpu0 = {name: _cpu_s(pid) for name, pid in pids.items()}
        start = time.time()
        time.sleep(args.seconds)
        end = time.time()
        cpu = {name: _cpu_s(pid) - cpu0[name] for name, pid in pids.items()}
        count1 = _rpc(node.rpc_url, "getTransactionCount", [{"commitment": "confirmed"}])
        if mode == "naive":
            publisher.process.wait(timeout=60)  # it stops itself, and says what it did
            print(" ", publisher.logged("naive listener stopped"))
        else:
            publisher.terminate(timeout=60)
            print(" ", publisher.logged("listener stopped"))
        # The consumers get a bounded while to land what the window published.
        deadline = time.monotonic() + args.drain
        landed, previous = len(stack.lake_events()), -1
        while time.monotonic() < deadline and landed != previous:
            time.sleep(5)
            landed, previous = len(stack.lake_events()), landed
        for consumer in consumers:
            consumer.terminate(timeout=60)
    finally:
        stack.stop_all()
        node.stop()
    return _measure(stack, Window(mode, rate, genesis, start, end, count1 - count0, cpu))


def _measure(stack: Stack, window: Window) -> Result:
    start, end, genesis = window.start, window.end, window.genesis
    seconds = end - start
    first_arrival: dict[str, float] = {}  # an id re-sent (a retried call) counts once, first
    events = {}
    records = stack.stream_records()
    for record in records:
        event = decode(record["Data"])
        arrival = record["ApproximateArrivalTimestamp"].timestamp()
        if arrival < first_arrival.get(event.id, float("inf")):
            first_arrival[event.id] = arrival
            events[event.id] = event
    kinesis_lags: list[float] = []
    kinesis_txs = 0
    for event_id, arrival in first_arrival.items():
        if start <= arrival < end:
            event = events[event_id]
            kinesis_lags.append((arrival - (genesis + event.slot * SLOT_S)) * 1000)
            kinesis_txs += event.type == "transaction" and VOTE not in event.data.get(
                "programs", ()
            )
    arrivals = list(first_arrival.values())
    landings: list[float] = []
    lake_lags: list[float] = []
    window_ids = {event_id for event_id, arrival in first_arrival.items() if start <= arrival < end}
    landed_window = 0
    for entry in stack.lake_objects().values():
        # The lab's LastModified is truncated to the second: take the second's midpoint.
        modified = entry["modified"].timestamp() + 0.5
        for event in entry["events"]:
            landings.append(modified)
            if event["id"] in window_ids:
                landed_window += 1
                lake_lags.append((modified - (genesis + event["slot"] * SLOT_S)) * 1000)
    backlog = [
        (
            int(t - start),
            sum(a <= t for a in arrivals) - sum(m <= t for m in landings),
        )
        for t in _steps(start, max([end, *landings, *arrivals]))
    ]
    return Result(
        mode=window.mode,
        rate=window.rate,
        offered_tps=window.transactions / seconds,
        kinesis_eps=len(kinesis_lags) / seconds,
        kinesis_tps=kinesis_txs / seconds,
        lake_eps=sum(start <= m < end for m in landings) / seconds,
        kinesis_lag_ms=_percentiles(kinesis_lags),
        lake_lag_ms=_percentiles(lake_lags),
        landed_share=landed_window / max(len(window_ids), 1),
        backlog=backlog,
        cpu_s=window.cpu_s,
        repeats=len(records) - len(first_arrival),
    )


def _steps(start: float, end: float) -> list[float]:
    steps = [start + BACKLOG_STEP_S * n for n in range(int((end - start) // BACKLOG_STEP_S) + 1)]
    return [*steps, end] if steps[-1] < end else steps


def report(result: Result) -> None:
    kinesis_p50, kinesis_p99 = result.kinesis_lag_ms
    lake_p50, lake_p99 = result.lake_lag_ms
    print(
        f"\n{result.mode} at {result.rate} tx/s (offered {result.offered_tps:,.0f} tx/s, "
        f"votes included)\n"
        f"  to Kinesis: {result.kinesis_eps:,.0f} events/s "
        f"({result.kinesis_tps:,.0f} non-vote tx/s), {result.repeats:,} repeated records; "
        f"lag p50 {kinesis_p50:,.0f} ms ({kinesis_p50 / 1000 / SLOT_S:.1f} slots), "
        f"p99 {kinesis_p99:,.0f} ms ({kinesis_p99 / 1000 / SLOT_S:.1f} slots)\n"
        f"  to S3:      {result.lake_eps:,.0f} events/s; "
        f"lag p50 {lake_p50:,.0f} ms ({lake_p50 / 1000 / SLOT_S:.1f} slots), "
        f"p99 {lake_p99:,.0f} ms ({lake_p99 / 1000 / SLOT_S:.1f} slots); "
        f"{result.landed_share:.0%} of the window's events landed by the end\n"
        f"  backlog (s: records in Kinesis not in S3): "
        + " ".join(f"{t}:{n}" for t, n in result.backlog)
        + "\n  CPU s in the window: "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in result.cpu_s.items())
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="1000,4000", help="tx/s to record and replay")
    parser.add_argument("--mode", choices=("listener", "naive", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=60, help="measured window")
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--drain", type=float, default=60, help="longest wait for the lake")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument(
        "--record-seconds", type=float, default=None, help="default: warm-up + window + 15"
    )
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pipeline-e2e")
    parser.add_argument("--port", type=int, default=4607)
    args = parser.parse_args()
    if args.record_seconds is None:
        args.record_seconds = args.warmup + args.seconds + 15
    print("command:", " ".join(sys.argv))
    print(f"settings: {vars(args)}; slot {SLOT_S * 1000:.0f} ms; load average {os.getloadavg()}")
    settings = LabSettings(host="127.0.0.1", port=args.port)  # its own lab, on loopback
    started = server.up(settings)
    args.cache.mkdir(parents=True, exist_ok=True)
    modes = ("listener", "naive") if args.mode == "both" else (args.mode,)
    try:
        probe = Stack.create(settings, shards=args.shards)
        per_call_ms, records_per_s = bare_put_records(probe)
        print(f"lab bare PutRecords (500 x 600 B, one at a time): {per_call_ms:.0f} ms a call, "
              f"{records_per_s:,.0f} records/s")  # fmt: skip
        rates: dict[tuple[str, int], Result] = {}
        for rate in (int(r) for r in args.rates.split(",")):
            recording = record_blocks(args.cache, rate, args.record_seconds)
            for mode in modes:
                rates[mode, rate] = run(settings, mode, rate, recording, args)
                report(rates[mode, rate])
        for rate in {rate for _, rate in rates}:
            if ("listener", rate) in rates and ("naive", rate) in rates:
                ratio = rates["listener", rate].kinesis_tps / rates["naive", rate].kinesis_tps
                print(f"\nlistener / naive at {rate} tx/s, non-vote tx/s to Kinesis: {ratio:.1f}x")
        print(f"load average at the end {os.getloadavg()}")
    finally:
        if started:
            server.down(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
