"""One consumer against the lab: every event lands once, re-publishes are dropped."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.consumer.helpers import (
    Pipeline,
    consume,
    make_events,
    start_consumer,
)


def test_every_event_lands_exactly_once(pipeline: Pipeline, tmp_path: Path) -> None:
    """300 events, 30 of them re-published later: the lake and the claims hold each id once."""
    events = make_events(300)
    republished = events[10:40]
    last = pipeline.put_events([*events, *republished])
    consume(pipeline, tmp_path, "solo", last, "--batch-limit", "50")
    landed = pipeline.landed_ids()
    assert Counter(landed) == Counter(event.id for event in events)
    assert sorted(pipeline.claimed_ids()) == sorted(event.id for event in events)
    assert set(pipeline.checkpoints()) == set(last)
    assert all(key.startswith("events/dt=2026-12-02/hour=0") for key in pipeline.object_keys())
    assert {key.split("/")[2] for key in pipeline.object_keys()} == {"hour=03", "hour=04"}


def test_duplicates_within_one_batch_are_dropped(pipeline: Pipeline, tmp_path: Path) -> None:
    """An id twice in one GetRecords batch lands once."""
    events = make_events(20)
    last = pipeline.put_events([*events, *events])
    consume(pipeline, tmp_path, "solo", last)
    assert Counter(pipeline.landed_ids()) == Counter(event.id for event in events)


def test_missing_resource_exits_2(pipeline: Pipeline, tmp_path: Path) -> None:
    """A stream that does not exist is named in one line and the exit code is 2."""
    consumer = start_consumer(pipeline, tmp_path, "solo", "--stream", "no-such-stream")
    assert consumer.process.wait(timeout=30) == 2
    error = consumer.log.read_text()
    assert "chainops consumer:" in error
    assert "no-such-stream" in error
    assert "Traceback" not in error
