import pytest

from chainops.listener.clock import MIN_WATCHDOG_S, WATCHDOG_SLOTS, ChainClock


def test_slot_time_from_the_newest_performance_sample_with_slots():
    """samplePeriodSecs / numSlots of the newest usable sample is the slot time."""
    clock = ChainClock()
    clock.observe_samples(
        [
            {"numSlots": 0, "samplePeriodSecs": 60},
            {"numSlots": 150, "samplePeriodSecs": 60},
            {"numSlots": 100, "samplePeriodSecs": 60},
        ]
    )
    assert clock.slot_s == 0.4
    assert clock.watchdog_s == WATCHDOG_SLOTS * 0.4


def test_notification_spacing_until_a_sample_exists_then_samples_win():
    """Without samples the spacing of notifications (per slot) sets the slot time."""
    clock = ChainClock()
    assert clock.slot_s is None
    clock.observe_notification(100, 10.0)
    clock.observe_notification(102, 10.1)
    assert clock.slot_s == pytest.approx(0.05)
    clock.observe_samples([{"numSlots": 20, "samplePeriodSecs": 1}])
    clock.observe_notification(110, 20.0)
    assert clock.slot_s == 0.05
    assert clock.watchdog_s == MIN_WATCHDOG_S


def test_commitment_watchdog_allows_for_the_finality_depth():
    """A finalized listener tolerates the depth it trails by before calling a stall."""
    clock = ChainClock()
    clock.observe_samples([{"numSlots": 100, "samplePeriodSecs": 40}])
    clock.observe_depth(processed=1032, committed=1000)
    assert clock.depth == 32
    assert clock.commitment_watchdog_s == 32 * 0.4 + clock.watchdog_s
