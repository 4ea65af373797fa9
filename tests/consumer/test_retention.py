"""A consumer outage longer than the stream's retention: the records that expired unread are
reported as data loss (an error log with the range, a metric, the stack's alarm), and
everything still in the stream lands once."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from chainops.consumer.metrics import LOST_RANGES
from chainops.lab.aws import alarms, faults
from chainops.lab.settings import LabSettings
from tests.consumer.helpers import (
    NAMESPACE,
    STREAM,
    Pipeline,
    consume,
    make_events,
    make_pipeline,
    start_consumer,
)
from tests.helpers import metric_statistics, put_stack_alarm

LOST = "records expired before they were landed: data lost"
ALARM = "chainops-lab-data-loss"


def _oldest(pipeline: Pipeline) -> dict[str, str]:
    """Each shard's oldest record left, by shard id."""
    kinesis = pipeline.client("kinesis")
    found = {}
    for shard in kinesis.list_shards(StreamName=STREAM)["Shards"]:
        iterator = kinesis.get_shard_iterator(
            StreamName=STREAM, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator, Limit=1)["Records"]
        if records:
            found[shard["ShardId"]] = records[0]["SequenceNumber"]
    return found


def _alarm_state(cloudwatch: Any) -> str:
    alarms_found = cloudwatch.describe_alarms(AlarmNames=[ALARM])["MetricAlarms"]
    return str(alarms_found[0]["StateValue"])


def test_outage_past_retention_is_reported_with_metric_and_alarm(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """Events published while no consumer ran, then expired: each shard's range after its
    checkpoint is logged as lost, LostRanges reaches CloudWatch, the data-loss alarm goes to
    ALARM; the events published after the trim land once."""
    events = make_events(120)
    consume(pipeline, tmp_path, "solo", pipeline.put_events(events[:40]))
    checkpoints = pipeline.checkpoints()
    pipeline.put_events(events[40:80])  # never read: the consumer is down
    assert set(checkpoints) <= set(faults.trim(pipeline.lab, STREAM))
    last = pipeline.put_events(events[80:])
    # A shard never checkpointed is read from its oldest record: nothing known was lost.
    oldest = {shard: seq for shard, seq in _oldest(pipeline).items() if shard in checkpoints}
    assert oldest
    cloudwatch = pipeline.client("cloudwatch")
    put_stack_alarm(cloudwatch, "data-loss", name=ALARM, stream=STREAM)
    alarms.evaluate(pipeline.lab)
    assert _alarm_state(cloudwatch) == "OK"  # no data is no loss

    consumer = consume(pipeline, tmp_path, "solo", last)

    reports = [line for line in consumer.log_lines() if line["msg"] == LOST]
    assert {line["level"] for line in reports} == {"error"}
    assert {
        line["shard"]: (line["after_sequence"], line["before_sequence"]) for line in reports
    } == {shard: (checkpoints[shard], oldest[shard]) for shard in oldest}
    assert not any(line["certain"] for line in reports)
    assert len(reports) == len(oldest)
    points = metric_statistics(
        cloudwatch, NAMESPACE, LOST_RANGES, {"Stream": STREAM}, Statistics=["Sum"]
    )
    assert [point["Sum"] for point in points] == [len(oldest)]
    alarms.evaluate(pipeline.lab)
    assert _alarm_state(cloudwatch) == "ALARM"
    assert Counter(pipeline.landed_ids()) == Counter(e.id for e in [*events[:40], *events[80:]])


def test_partly_expired_inflight_batch_is_reported_and_the_rest_lands(
    lab: LabSettings, tmp_path: Path
) -> None:
    """A consumer killed mid-batch (ids claimed, nothing written) stays down until the batch's
    first half expires: that half is reported lost for certain, the other half lands once."""
    pipeline = make_pipeline(lab, shards=1)
    events = make_events(10)
    pipeline.put_events(events[:5])
    time.sleep(0.3)
    between = time.time()
    time.sleep(1)  # the trim's horizon is taken from this, plus a request's latency
    last = pipeline.put_events(events[5:])
    crashed = start_consumer(pipeline, tmp_path, "solo", crash_at="after-claim")
    assert crashed.process.wait(timeout=30) == -9
    (lease,) = pipeline.leases().values()
    batch = lease["inflight"]["M"]["batch_key"]["S"]
    (shard,) = faults.trim(lab, STREAM, older_than_seconds=time.time() - between)
    oldest = _oldest(pipeline)[shard]

    consumer = consume(pipeline, tmp_path, "solo", last)

    (report,) = [line for line in consumer.log_lines() if line["msg"] == LOST]
    assert report["certain"] is True
    assert report["inflight_batch"] == batch
    assert (report["first_lost"], report["before_sequence"]) == (batch.rsplit("-", 1)[1], oldest)
    assert report["after_sequence"] is None
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events[5:])
