"""S3 and DynamoDB unavailable to a consumer for a while: it retries, and nothing is lost or
landed twice once they answer again."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from chainops.lab.aws import faults
from chainops.lab.settings import LabSettings
from tests.consumer.helpers import (
    Pipeline,
    make_events,
    make_pipeline,
    start_consumer,
    wait_for,
)


def test_s3_outage_holds_checkpoints_then_lands_everything_once(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """While every PutObject fails (SlowDown, 503) no shard checkpoints; once S3 answers again
    each event is in the lake once and every shard is checkpointed."""
    events = make_events(200)
    last = pipeline.put_events(events)
    outage = faults.inject(pipeline.lab, faults.ServiceFault("s3", "PutObject"))
    consumer = start_consumer(pipeline, tmp_path, "solo", "--batch-limit", "40")
    try:
        wait_for(
            lambda: any(f["triggered"] >= 8 for f in faults.active(pipeline.lab)),
            timeout=30,
            what="PutObject calls refused",
        )
        assert pipeline.checkpoints() == {}
        assert pipeline.object_keys() == []
        assert faults.clear(pipeline.lab, outage) == 1
        pipeline.wait_caught_up(last)
    finally:
        assert consumer.stop() == 0
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)
    assert sorted(pipeline.claimed_ids()) == sorted(event.id for event in events)
    assert not any("inflight" in lease for lease in pipeline.leases().values())


def test_failed_batches_back_off_with_jitter(lab: LabSettings, tmp_path: Path) -> None:
    """Failed batches in a row wait longer each time, within the jittered bounds."""
    pipeline = make_pipeline(lab, shards=1)
    events = make_events(30)
    last = pipeline.put_events(events)
    # botocore tries each call 3 times: 6 refusals fail the batch twice.
    faults.inject(lab, faults.ServiceFault("s3", "PutObject", count=6))
    consumer = start_consumer(pipeline, tmp_path, "solo")
    try:
        pipeline.wait_caught_up(last)
    finally:
        assert consumer.stop() == 0
    pauses = [line["retry_in_s"] for line in consumer.log_lines() if line["msg"] == "batch failed"]
    assert len(pauses) == 2
    for pause, (low, high) in zip(pauses, [(0.25, 0.5), (0.5, 1.0)], strict=True):
        assert low <= pause <= high
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)


def test_dynamodb_outage_longer_than_a_lease_loses_and_repeats_nothing(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """Every DynamoDB call fails for longer than a lease lasts while events (and re-publishes
    of landed ones) arrive; after it each event is in the lake once."""
    first, second = make_events(200)[:100], make_events(200)[100:]
    consumer = start_consumer(pipeline, tmp_path, "solo", "--lease-seconds", "3")

    def failed() -> bool:
        return any(line["msg"] == "batch failed" for line in consumer.log_lines())

    try:
        pipeline.wait_caught_up(pipeline.put_events(first))
        outage = faults.inject(pipeline.lab, faults.ServiceFault("dynamodb"))
        began = time.monotonic()
        last = pipeline.put_events([*second, *first[:20]])
        wait_for(failed, timeout=30, what="a batch failing on DynamoDB")
        time.sleep(max(0.0, began + 4 - time.monotonic()))  # past the 3 s leases
        assert faults.clear(pipeline.lab, outage) == 1
        pipeline.wait_caught_up(last)
    finally:
        assert consumer.stop() == 0
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in [*first, *second])
