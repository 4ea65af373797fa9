"""The lab AWS's rates for the calls the pipeline makes most, this checkout beside a baseline.

Each lab (the baseline revision's `src/`, extracted with `git archive`, then this checkout's)
is started alone on loopback and given one pipeline's resources (tests/pipeline/stack.py: the
stream, tables and bucket, and the listener's and consumer's roles with the policies the
blockchain stack grants, so every call below is signed by a role session and IAM-evaluated as
the pipeline's are). Then, for `--seconds` each, `--threads` threads of one client each run:

- PutRecords: 500 records of 300 bytes (a full listener batch), as the listener;
- GetRecords: reading back what PutRecords wrote, Limit 1000, as a consumer;
- UpdateItem with a condition (the listener's checkpoint write), as the listener;
- BatchWriteItem of 25 items (the consumer's idempotency claims), as the consumer;
- PutObject of 256 KiB (a lake object), as the consumer.

It prints calls/s, items/s and p50/p99 latency per call kind for both labs side by side, and
the load average before and after. Run it on a quiet machine. With `--profile DIR`, py-spy
samples each lab process into DIR/<lab>.txt (folded stacks for a flame graph), only the thread
holding the GIL, so the samples are where the lab's one CPU goes rather than threads waiting
for it, and the benchmark prints each lab's heaviest frames.

    .venv/bin/python benchmarks/lab_aws.py [--baseline REV] [--seconds 10] [--threads 4] \
        [--profile DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainops.lab.aws import clients, server
from chainops.lab.settings import LabSettings
from chainops.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))
from tests.pipeline.stack import Stack

# The last commit before the lab's fast paths (issue 19).
DEFAULT_BASELINE = "02f4979"
RECORD = b"x" * 300
OBJECT = b"y" * 256 * 1024


@dataclass
class Figures:
    calls: int = 0
    items: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self) -> tuple[str, str, str, str]:
        if not self.latencies:
            return ("-", "-", "-", "-")
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (
            f"{self.calls / self.seconds:,.0f}",
            f"{self.items / self.seconds:,.0f}",
            f"{statistics.median(ordered) * 1000:,.1f}",
            f"{p99 * 1000:,.1f}",
        )


# A call kind: (the role that makes it, a factory of one thread's call) -> items per call.
Call = Callable[[], int]


def _workloads(stack: Stack) -> dict[str, tuple[str, Callable[[Any], Call]]]:
    def put_records(kinesis: Any) -> Call:
        def call() -> int:
            records = [{"Data": RECORD, "PartitionKey": uuid.uuid4().hex} for _ in range(500)]
            kinesis.put_records(StreamName=stack.stream, Records=records)
            return 500

        return call

    def get_records(kinesis: Any) -> Call:
        shards = kinesis.list_shards(StreamName=stack.stream)["Shards"]
        iterators = [
            kinesis.get_shard_iterator(
                StreamName=stack.stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            for shard in shards
        ]
        turn = iter(range(1 << 62))

        def call() -> int:
            index = next(turn) % len(iterators)
            answer = kinesis.get_records(ShardIterator=iterators[index], Limit=1000)
            iterators[index] = answer["NextShardIterator"]
            return len(answer["Records"])

        return call

    def checkpoint(dynamodb: Any) -> Call:
        listener_id, slot = uuid.uuid4().hex, iter(range(1, 1 << 62))

        def call() -> int:  # as chainops.listener.checkpoint saves
            dynamodb.update_item(
                TableName=stack.checkpoints,
                Key={"listener_id": {"S": listener_id}},
                UpdateExpression="SET #slot = :slot",
                ConditionExpression="attribute_not_exists(#slot) OR #slot < :slot",
                ExpressionAttributeNames={"#slot": "slot"},
                ExpressionAttributeValues={":slot": {"N": str(next(slot))}},
            )
            return 1

        return call

    def claims(dynamodb: Any) -> Call:
        def call() -> int:
            items = [
                {"PutRequest": {"Item": {"idempotency_key": {"S": uuid.uuid4().hex}}}}
                for _ in range(25)
            ]
            dynamodb.batch_write_item(RequestItems={stack.idempotency: items})
            return 25

        return call

    def put_object(s3: Any) -> Call:
        def call() -> int:
            s3.put_object(Bucket=stack.bucket, Key=f"events/{uuid.uuid4().hex}", Body=OBJECT)
            return 1

        return call

    return {
        "PutRecords (500 x 300 B)": ("listener", lambda c: put_records(c("kinesis"))),
        "GetRecords (Limit 1000)": ("consumer", lambda c: get_records(c("kinesis"))),
        "UpdateItem, conditional": ("listener", lambda c: checkpoint(c("dynamodb"))),
        "BatchWriteItem (25)": ("consumer", lambda c: claims(c("dynamodb"))),
        "PutObject (256 KiB)": ("consumer", lambda c: put_object(c("s3"))),
    }


def _measure(make: Callable[[], Call], threads: int, seconds: float) -> Figures:
    figures, lock = Figures(), threading.Lock()
    calls = [make() for _ in range(threads)]
    deadline = time.monotonic() + seconds

    def run(call: Call) -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                items = call()
            except Exception:  # counted and shown; the run goes on
                with lock:
                    figures.errors += 1
                continue
            elapsed = time.monotonic() - started
            with lock:
                figures.calls += 1
                figures.items += items
                figures.latencies.append(elapsed)

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(call,)) for call in calls]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    figures.seconds = time.monotonic() - started
    return figures


@contextmanager
def _profiled(pid: int, folded: Path | None) -> Iterator[None]:
    if folded is None:
        yield
        return
    spy = Path(sys.executable).parent / "py-spy"
    with subprocess.Popen(
        [str(spy), "record", "--pid", str(pid), "--format", "raw", "--output", str(folded),
         "--rate", "100", "--gil"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ) as recorder:  # fmt: skip
        try:
            yield
        finally:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=60)


def _heaviest(folded: Path, most: int = 15) -> list[tuple[str, float]]:
    """Frames by their share of samples, counting a frame once per stack (inclusive)."""
    shares: dict[str, int] = {}
    total = 0
    for line in folded.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        for frame in set(stack.split(";")):
            shares[frame] = shares.get(frame, 0) + int(count)
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    return [(frame, count / total) for frame, count in ranked[:most]]


@contextmanager
def _lab(
    settings: LabSettings, source: Path, log: Path, folded: Path | None = None
) -> Iterator[None]:
    """A lab AWS from the `chainops` package under `source`, alone on its port."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "chainops.lab.aws.serve", "--host", settings.host,
             "--port", str(settings.port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=log.parent,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not server.healthy(settings):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the lab from {source} did not start: see {log}")
            time.sleep(0.25)
        with _profiled(process.pid, folded):
            yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _run_lab(settings: LabSettings, threads: int, seconds: float) -> dict[str, Figures]:
    stack = Stack.create(settings, shards=4)
    results: dict[str, Figures] = {}
    for name, (role, workload) in _workloads(stack).items():
        session = stack.session(role)

        def make(
            workload: Callable[[Any], Call] = workload, session: clients.RoleSession = session
        ) -> Call:
            return workload(lambda service: clients.client(settings, service, session=session))

        results[name] = _measure(make, threads, seconds)
    return results


def _extract(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision to compare")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=4603)
    parser.add_argument("--profile", type=Path, help="write py-spy's folded stacks here")
    args = parser.parse_args()
    settings = LabSettings(host="127.0.0.1", port=args.port)  # its own lab, on loopback
    load_before = os.getloadavg()
    results: dict[str, dict[str, Figures]] = {}
    with tempfile.TemporaryDirectory(prefix="lab-aws-bench-") as tmp:
        sources = {
            f"baseline {args.baseline}": _extract(args.baseline, Path(tmp) / "baseline"),
            "this checkout": REPO_ROOT / "src",
        }
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
        for label, source in sources.items():
            folded = args.profile / f"{label.split()[0]}.txt" if args.profile else None
            with _lab(settings, source, Path(tmp) / f"{len(results)}.log", folded):
                results[label] = _run_lab(settings, args.threads, args.seconds)
    load_after = os.getloadavg()

    labels = list(results)
    print(f"lab AWS, {args.threads} threads x {args.seconds:g} s per call kind, role sessions")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    header = "| call | " + " | ".join(
        f"{label}: calls/s | items/s | p50 ms | p99 ms" for label in labels
    )
    print(header + " | speed-up (items/s) |")
    print("|---" * (1 + 4 * len(labels) + 1) + "|")
    for call in results[labels[0]]:
        cells = [cell for label in labels for cell in results[label][call].row()]
        before, after = (results[label][call] for label in labels[:2])
        ratio = (after.items / after.seconds) / (before.items / before.seconds or 1)
        errors = sum(results[label][call].errors for label in labels)
        note = f" ({errors} errors)" if errors else ""
        print(f"| {call} | " + " | ".join(cells) + f" | {ratio:.2f}x{note} |")
    for label in labels if args.profile else ():
        print(f"\n{label}: heaviest frames (share of samples, inclusive)")
        for frame, share in _heaviest(args.profile / f"{label.split()[0]}.txt"):
            print(f"  {share:6.1%}  {frame}")


if __name__ == "__main__":
    main()
