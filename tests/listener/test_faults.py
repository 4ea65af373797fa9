"""Faults: crash, dropped and stalled websockets, Kinesis throttling, failover. Nothing lost."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from chainops.lab.aws import faults
from chainops.lab.aws.faults import KinesisFault
from tests.listener.conftest import (
    Aws,
    ListenerProcess,
    Validator,
    advance,
    assert_same_blocks,
    chain_signatures,
    distinct,
    published_signatures,
    rpc,
    stop_and_check,
    wait_for,
)


def test_kill_9_resumes_from_the_checkpoint_with_no_slot_missing(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
):
    """A crashed listener restarts after its checkpoint; repeats only past the checkpoint."""
    validator = start_validator()
    crashed = start_listener(validator)
    first = crashed.wait_logged("listener starting")["from_slot"]
    advance(lab_aws, first, slots=20)
    crashed.process.kill()
    crashed.process.wait()
    at_crash = lab_aws.checkpoint()
    assert at_crash is not None
    time.sleep(0.5)  # slots go by while it is down

    restarted = start_listener(validator)
    assert restarted.wait_logged("listener starting")["from_slot"] == at_crash + 1
    advance(lab_aws, at_crash)
    events, _ = stop_and_check(restarted, validator, lab_aws, first)
    repeated = {e.slot for e in events if Counter(x.id for x in events)[e.id] > 1}
    assert all(slot > at_crash for slot in repeated), "slots up to the checkpoint sent once"


def test_dropped_websockets_stalls_and_429s_are_survived_and_backfilled(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
):
    """Websockets refused ~20 slots, a stalled node, RPC 429s: gaps filled, exactly once."""
    validator = start_validator()
    listener = start_listener(validator)
    first = listener.wait_logged("listener starting")["from_slot"]
    listener.wait_logged("subscribed to slots")
    advance(lab_aws, first, slots=10)

    validator.faults.set(ws_reject=True)
    assert validator.faults.drop_websockets() >= 1
    time.sleep(1.0)
    validator.faults.set(ws_reject=False)
    resumed = advance(lab_aws, first, slots=10)

    validator.faults.set(stall_slots=True)
    listener.wait_logged("slot notifications stalled")
    validator.faults.set(stall_slots=False)
    unstalled = advance(lab_aws, resumed, slots=10)

    validator.faults.set(http_429=True)
    listener.wait_logged("node failure")
    time.sleep(0.5)
    validator.faults.set(http_429=False)
    advance(lab_aws, unstalled)

    events, _ = stop_and_check(listener, validator, lab_aws, first)
    assert max(Counter(e.id for e in events).values()) == 1
    assert any("HTTP 429" in f["reason"] for f in listener.logged("node failure"))
    counters = listener.counters()
    assert counters["gaps_detected"] >= 2
    assert counters["stalls"] >= 1
    assert counters["reconnects"] >= 2
    backfills = listener.logged("backfilling")
    assert any(b["to"] - b["from"] >= 10 for b in backfills), backfills


def test_kinesis_throttling_retries_only_the_failed_entries(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
):
    """Partial failures re-send just the failed 30%; refused calls are re-sent whole; no dups."""
    validator = start_validator()
    settings = lab_aws.settings
    faults.inject(settings, KinesisFault("PutRecords", mode="partial", fraction=0.3, count=5))
    listener = start_listener(validator)
    first = listener.wait_logged("listener starting")["from_slot"]
    wait_for(lambda: not faults.active(settings), timeout=20, what="the partial fault to fire")
    faults.inject(settings, KinesisFault("PutRecords", mode="fail", count=3))
    wait_for(lambda: not faults.active(settings), timeout=20, what="the failing fault to fire")
    advance(lab_aws, first)

    events, _ = stop_and_check(listener, validator, lab_aws, first)
    assert max(Counter(e.id for e in events).values()) == 1, "a retry duplicated an entry"
    counters = listener.counters()
    assert counters["records_retried"] >= 5
    assert counters["calls_retried"] >= 3
    assert counters["events_published"] == len(events)


def test_sigterm_flushes_the_partial_batch_and_checkpoints(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
):
    """With a long linger a partial batch waits; SIGTERM sends it, checkpoints it, exits 0."""
    validator = start_validator()
    listener = start_listener(validator, args=("--linger-ms", "60000"))
    first = listener.wait_logged("listener starting")["from_slot"]
    advance(lab_aws, first, slots=20)
    time.sleep(0.3)
    before = lab_aws.checkpoint()
    assert before is not None
    events, last = stop_and_check(listener, validator, lab_aws, first)
    assert last > before, "the flushed batch moved the checkpoint"
    assert max(Counter(e.id for e in events).values()) == 1


def test_failover_to_the_second_node_when_the_first_dies(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
):
    """Two nodes on one slot clock: killing the first, the listener carries on from the second."""
    genesis = f"{time.time():.3f}"
    first_node = start_validator("--genesis-time", genesis)
    second_node = start_validator("--genesis-time", genesis, "--seed", "1")
    listener = start_listener(first_node, second_node, args=("--queue-blocks", "4"))
    first = listener.wait_logged("listener starting")["from_slot"]
    advance(lab_aws, first, slots=20)
    first_node.process.kill()
    first_node.process.wait()
    killed_at = rpc(second_node.rpc_url, "getSlot", [{"commitment": "confirmed"}])
    listener.wait_logged("failing over")
    advance(lab_aws, killed_at)

    assert listener.terminate() == 0, listener.log.read_text()
    last = lab_aws.checkpoint()
    assert last is not None
    # Blocks fetched from the first node before it died may still be published; after a
    # margin (queue + one fetch window) every slot comes from the second node.
    after = killed_at + 20
    expected = chain_signatures(second_node, after, last)
    published = published_signatures(lab_aws.events(), after, last)
    assert_same_blocks(distinct(published), expected)
    assert listener.counters()["failovers"] >= 1


def test_sigterm_while_kinesis_refuses_everything_stops_within_the_timeout(
    start_validator: Callable[..., Validator],
    start_listener: Callable[..., ListenerProcess],
    lab_aws: Aws,
):
    """Kinesis down at SIGTERM: exit 0 after --shutdown-timeout-s, checkpoint not past acks."""
    validator = start_validator()
    listener = start_listener(validator, args=("--shutdown-timeout-s", "2"))
    first = listener.wait_logged("listener starting")["from_slot"]
    advance(lab_aws, first, slots=10)
    faults.inject(lab_aws.settings, KinesisFault("PutRecords", mode="fail", count=None))
    time.sleep(1.0)
    stuck = lab_aws.checkpoint()
    assert stuck is not None
    asked = time.monotonic()
    assert listener.terminate() == 0, listener.log.read_text()
    assert time.monotonic() - asked < 10
    assert listener.logged("shutdown timed out; unpublished slots stay after the checkpoint")
    assert lab_aws.checkpoint() == stuck

    faults.clear(lab_aws.settings)
    restarted = start_listener(validator)
    assert restarted.wait_logged("listener starting")["from_slot"] == stuck + 1
    advance(lab_aws, stuck)
    stop_and_check(restarted, validator, lab_aws, first)
