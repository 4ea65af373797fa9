"""The listener against a real validator and the lab's Kinesis/DynamoDB, without faults."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from tests.listener.conftest import (
    RUN_SLOTS,
    Aws,
    ListenerProcess,
    Validator,
    advance,
    rpc,
    stop_and_check,
    wait_for,
)


@pytest.mark.parametrize("commitment", ["confirmed", "finalized"])
def test_every_transaction_published_exactly_once_and_checkpoint_advances(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
    commitment: str,
):
    """Each block's transactions land once each, skipped slots pass; SIGTERM checkpoints."""
    validator = start_validator("--skip-probability", "0.1")
    listener = start_listener(
        validator, args=("--commitment", commitment, "--metrics-interval-s", "1")
    )
    first = listener.wait_logged("listener starting")["from_slot"]
    advance(lab_aws, first)
    checkpoint = lab_aws.checkpoint()
    tip = rpc(validator.rpc_url, "getSlot", [{"commitment": commitment}])
    assert checkpoint is not None
    assert checkpoint <= tip, "only slots at the chosen commitment are published"
    events, last = stop_and_check(listener, validator, lab_aws, first)
    assert last >= first + RUN_SLOTS
    transactions = [event for event in events if event.type == "transaction"]
    assert len(transactions) > RUN_SLOTS  # the run carried real load
    ids = Counter(event.id for event in events)
    assert max(ids.values()) == 1, "no event published twice without faults"
    assert max(event.slot for event in events) <= last, "nothing published past the checkpoint"

    logs = [event for event in events if event.type == "log"]
    assert logs, "memo and token transactions yield log events under the default filter"
    assert {event.data["program"] for event in logs} <= {
        "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo",
        "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",
    }
    counters = listener.counters()
    assert counters["slots_skipped"] > 0, "getBlocks/-32007 told skipped slots apart"
    assert counters["gaps_detected"] == 0, "skipped slots are not gaps in the notifications"
    assert counters["events_published"] == len(events)
    assert counters["records_retried"] == 0

    # The listener's metrics, as the block-processing-lag alarm reads them.
    published = lab_aws.metric_sums("EventsPublished")
    assert sum(published) == counters["events_published"]
    assert lab_aws.metric_sums("SlotLag"), "slot lag sampled at least at exit"


def test_missing_stream_stops_the_listener_at_start_with_exit_1(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
):
    """A stream that does not exist is reported before anything is fetched."""
    listener = start_listener(start_validator(), args=("--stream", "no-such-stream"))
    assert listener.process.wait(timeout=30) == 1
    (failed,) = listener.logged("listener failed")
    assert "no-such-stream" in failed["error"]
    assert not listener.logged("listener starting")


def test_pruned_slots_are_not_taken_for_skipped_ones(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
):
    """Starting below the node's first available block stops with exit 1, nothing skipped."""
    validator = start_validator("--retain-blocks", "20")
    wait_for(
        lambda: rpc(validator.rpc_url, "getFirstAvailableBlock", []) > 5,
        timeout=20,
        what="the validator to prune its first blocks",
    )
    listener = start_listener(validator, args=("--start-slot", "1"))
    assert listener.process.wait(timeout=30) == 1
    (failed,) = listener.logged("listener failed")
    assert "cleaned up on every node" in failed["error"]
    assert failed["counters"]["slots_skipped"] == 0
