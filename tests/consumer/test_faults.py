"""Faults against the lab: crashes mid-batch, a second consumer dying, poison, SIGTERM."""

from __future__ import annotations

import base64
import json
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.consumer.helpers import (
    NAMESPACE,
    STREAM,
    Pipeline,
    consume,
    make_events,
    start_consumer,
    wait_for,
)

LEASE = ("--lease-seconds", "3")


@pytest.mark.parametrize(
    ("crash_at", "restart_id", "restart_flags"),
    [
        # Pages of 2 records: the redo reads 25 pages to repeat the 50-record batch.
        ("after-claim", "successor", (*LEASE, "--batch-limit", "2")),
        # The same consumer id, with leases far longer than the wait: it frees its own stale
        # lease at start instead of waiting for it to expire.
        ("after-write", "doomed", ("--lease-seconds", "120", "--batch-limit", "200")),
    ],
)
def test_kill_9_mid_batch_then_restart_lands_exactly_once(
    pipeline: Pipeline,
    tmp_path: Path,
    crash_at: str,
    restart_id: str,
    restart_flags: tuple[str, ...],
) -> None:
    """SIGKILL between claim and S3 write, or between S3 write and checkpoint: the restarted
    consumer redoes the same batch (even with another --batch-limit) and lands each id once."""
    events = make_events(240)
    last = pipeline.put_events([*events, *events[:20]])
    crashed = start_consumer(pipeline, tmp_path, "doomed", *LEASE, "--batch-limit", "50",
                             crash_at=crash_at)  # fmt: skip
    assert crashed.process.wait(timeout=30) == -signal.SIGKILL
    inflight = [item for item in pipeline.leases().values() if "inflight" in item]
    # Shards are served in parallel: every shard's first batch may be in hand at the kill.
    assert 1 <= len(inflight) <= 4, "the killed batches left their extents in their leases"
    assert not pipeline.checkpoints(), "nothing was checkpointed before the kill"
    if crash_at == "after-write":
        assert pipeline.object_keys(), "a killed batch had written its objects"

    consume(pipeline, tmp_path, restart_id, last, *restart_flags)
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)
    assert sorted(pipeline.claimed_ids()) == sorted(event.id for event in events)
    assert not [item for item in pipeline.leases().values() if "inflight" in item]


def _owners(pipeline: Pipeline) -> Counter[str]:
    return Counter(item["owner"]["S"] for item in pipeline.leases().values() if "owner" in item)


def test_two_consumers_split_shards_and_survive_one_death(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """Two consumers share 4 shards 2 + 2 with nothing landed twice or lost; after one is
    killed, the other takes its shards once their leases expire and lands the rest."""
    first = start_consumer(pipeline, tmp_path, "first", *LEASE, "--batch-limit", "25")
    second = start_consumer(pipeline, tmp_path, "second", *LEASE, "--batch-limit", "25")
    try:
        wait_for(
            lambda: _owners(pipeline) == Counter({"first": 2, "second": 2}),
            timeout=30,
            what="leases split 2 + 2",
        )
        events = make_events(400)
        last = pipeline.put_events([*events, *events[100:150]])
        pipeline.wait_caught_up(last)
        assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)

        first.kill()
        more = make_events(200, prefix="late")
        last = pipeline.put_events(more)
        wait_for(lambda: _owners(pipeline) == Counter({"second": 4}), timeout=30,
                 what="the survivor holding every lease")  # fmt: skip
        pipeline.wait_caught_up(last)
    finally:
        first.kill()
        assert second.stop() == 0
    assert Counter(pipeline.landed_ids()) == Counter(e.id for e in [*events, *more])


def test_poison_records_are_dead_lettered_after_max_attempts(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """Garbage bytes and an event the lake cannot place go to the DLQ with their error after
    --max-attempts tries; every good event around them lands once."""
    events = make_events(60)
    unplaceable = make_events(1, prefix="far-future")[0].to_dict() | {"block_time": 10**15}
    poison = [b"\xff\x00 not an event", json.dumps(unplaceable).encode()]
    last = pipeline.put(
        [(e.encode(), e.partition_key) for e in events[:30]]
        + [(data, "poison") for data in poison]
        + [(e.encode(), e.partition_key) for e in events[30:]]
    )
    consumer = consume(pipeline, tmp_path, "solo", last, "--max-attempts", "3")
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)
    letters = sorted(pipeline.dead_letters(), key=lambda m: int(m["sequence_number"]))
    assert [base64.b64decode(m["data_base64"]) for m in letters] == poison
    assert [m["attempts"] for m in letters] == [3, 3]
    assert letters[0]["error"].startswith("EventError: not JSON")
    assert "year" in letters[1]["error"] or "range" in letters[1]["error"]
    assert {m["stream"] for m in letters} == {STREAM}
    failures = [line for line in consumer.log_lines() if line["msg"] == "record failed"]
    assert len(failures) == 6


def test_sigterm_checkpoints_releases_and_exits_0(pipeline: Pipeline, tmp_path: Path) -> None:
    """SIGTERM while busy: the batch in hand is checkpointed, every lease released, exit 0;
    a later consumer carries on from the checkpoints without repeats."""
    events = make_events(1500)
    last = pipeline.put_events(events)
    consumer = start_consumer(pipeline, tmp_path, "solo", "--batch-limit", "10")
    wait_for(lambda: bool(pipeline.checkpoints()), timeout=30, what="a first checkpoint")
    consumer.process.send_signal(signal.SIGTERM)
    assert consumer.process.wait(timeout=20) == 0
    leases = pipeline.leases()
    assert len(leases) == 4
    assert not [item for item in leases.values() if "owner" in item or "inflight" in item]
    assert not pipeline.caught_up(last), "stopped before the end, as intended"
    landed_early = pipeline.landed_ids()
    assert len(landed_early) == len(set(landed_early))

    consume(pipeline, tmp_path, "successor", last)
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)


def test_metrics_reach_cloudwatch(pipeline: Pipeline, tmp_path: Path) -> None:
    """Lag, backlog, batch size, landed, duplicates and dead-lettered are in CloudWatch."""
    events = make_events(50)
    last = pipeline.put_events([*events, *events[:5]])
    consume(pipeline, tmp_path, "solo", last)
    cloudwatch = pipeline.client("cloudwatch")
    listed = cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]
    assert {m["MetricName"] for m in listed} == {
        "BlockProcessingLag",
        "MillisBehindLatest",
        "RecordsPerBatch",
        "EventsLanded",
        "DuplicatesDropped",
        "DeadLettered",
    }
    now = datetime.now(UTC)
    dimensions = [{"Name": "Stream", "Value": STREAM}]
    queries = [
        {
            "Id": name.lower(),
            "MetricStat": {
                "Metric": {"Namespace": NAMESPACE, "MetricName": name, "Dimensions": dimensions},
                "Period": 3600,
                "Stat": stat,
            },
        }
        for name, stat in (
            ("EventsLanded", "Sum"),
            ("DuplicatesDropped", "Sum"),
            ("BlockProcessingLag", "Minimum"),
        )
    ]
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=queries,
        StartTime=now - timedelta(hours=1),
        EndTime=now + timedelta(minutes=5),
    )
    values = {r["Id"]: sum(r["Values"]) for r in answer["MetricDataResults"]}
    assert values["eventslanded"] == 50
    assert values["duplicatesdropped"] == 5
    # The events' block times are in the test's fixed past hour: lag is at least that old.
    assert values["blockprocessinglag"] >= now.timestamp() - 1_796_180_400 - 7200 - 60
