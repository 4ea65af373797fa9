"""The pause of a shard after failed steps in a row: doubling, jittered, bounded."""

from __future__ import annotations

from chainops.consumer.worker import BACKOFF_CAP_SECONDS, backoff


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    """Half of each pause is random; the ceiling doubles per failure and stops at the cap."""
    lowest = [backoff(n, draw=lambda low, high: low) for n in range(1, 9)]
    highest = [backoff(n, draw=lambda low, high: high) for n in range(1, 9)]
    assert highest[:4] == [0.5, 1.0, 2.0, 4.0]
    assert lowest[:4] == [0.25, 0.5, 1.0, 2.0]
    assert max(highest) == BACKOFF_CAP_SECONDS == backoff(50, draw=lambda low, high: high)
    assert min(backoff(3) for _ in range(100)) >= 1.0
