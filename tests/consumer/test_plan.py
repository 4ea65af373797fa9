"""Which leases a consumer takes and sheds: its fair share, free shards, parents first."""

from __future__ import annotations

from chainops.consumer.leases import SHARD_END, Lease, Shard, plan

NOW = 1000.0
SHARDS = [Shard(f"shard-{i}") for i in range(4)]


def test_alone_takes_every_shard() -> None:
    """A single consumer takes all shards, none of which have leases yet."""
    decision = plan(SHARDS, {}, me="a", live_consumers=1, now=NOW)
    assert sorted(decision.take) == [s.shard_id for s in SHARDS]
    assert decision.shed == ()


def test_takes_at_most_a_fair_share() -> None:
    """With two live consumers each takes at most ceil(4 / 2) = 2."""
    decision = plan(SHARDS, {}, me="a", live_consumers=2, now=NOW)
    assert len(decision.take) == 2


def test_skips_live_leases_and_takes_expired_ones() -> None:
    """Another consumer's unexpired lease is left alone; an expired one is free."""
    leases = {
        "shard-0": Lease("shard-0", owner="b", expires=NOW + 5),
        "shard-1": Lease("shard-1", owner="b", expires=NOW - 1),
    }
    decision = plan(SHARDS, leases, me="a", live_consumers=1, now=NOW)
    assert sorted(decision.take) == ["shard-1", "shard-2", "shard-3"]


def test_sheds_beyond_fair_share() -> None:
    """Holding 4 while a second consumer is live: shed 2 for it to take."""
    leases = {s.shard_id: Lease(s.shard_id, owner="a", expires=NOW + 5) for s in SHARDS}
    decision = plan(SHARDS, leases, me="a", live_consumers=2, now=NOW)
    assert len(decision.shed) == 2
    assert decision.take == ()


def test_children_wait_for_their_parent() -> None:
    """A child shard is taken only when its parent is finished; finished shards never."""
    shards = [Shard("parent"), Shard("child", parents=("parent",))]
    working = {"parent": Lease("parent", checkpoint="49")}
    assert plan(shards, working, me="a", live_consumers=1, now=NOW).take == ("parent",)
    done = {"parent": Lease("parent", checkpoint=SHARD_END)}
    assert plan(shards, done, me="a", live_consumers=1, now=NOW).take == ("child",)


def test_child_of_a_trimmed_parent_is_free() -> None:
    """A parent no longer listed (past retention) does not block its child."""
    shards = [Shard("child", parents=("gone",))]
    assert plan(shards, {}, me="a", live_consumers=1, now=NOW).take == ("child",)
