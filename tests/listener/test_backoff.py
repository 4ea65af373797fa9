from chainops.listener.kinesis import BACKOFF_BASE_S, BACKOFF_CAP_S, backoff_s


def _upper(low: float, high: float) -> float:
    return high


def test_backoff_bound_doubles_up_to_the_cap():
    """The jitter's upper bound grows 2x per attempt from the base and stops at the cap."""
    bounds = [backoff_s(attempt, uniform=_upper) for attempt in range(10)]
    assert bounds[:3] == [BACKOFF_BASE_S, 2 * BACKOFF_BASE_S, 4 * BACKOFF_BASE_S]
    assert bounds[-1] == BACKOFF_CAP_S
    assert bounds == sorted(bounds)


def test_backoff_is_jittered_between_zero_and_the_bound():
    """Full jitter: retries of many batches spread out instead of hitting Kinesis together."""
    waits = {backoff_s(3) for _ in range(50)}
    assert len(waits) > 40
    assert all(0 <= wait <= 8 * BACKOFF_BASE_S for wait in waits)
