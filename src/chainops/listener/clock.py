"""Slot time and finality depth as the chain reports them, and the timeouts derived from them.

The slot time comes from getRecentPerformanceSamples (seconds per slot over the last sample
period); until the node has a sample, from the spacing of slot notifications. The finality
depth is how far the chosen commitment trails the processed slot. Pure: callers feed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SMOOTHING = 0.2  # weight of a new spacing observation in the moving average
WATCHDOG_SLOTS = 20  # slots without a notification before the watchdog calls it a stall
MIN_WATCHDOG_S = 1.0  # below this, scheduling noise on a busy host looks like a stall
UNKNOWN_SLOT_S = 0.4  # only until the first sample or two notifications arrive


class ChainClock:
    """Seconds per slot, commitment depth in slots, and the waits they imply."""

    def __init__(self) -> None:
        self.slot_s: float | None = None
        self.sampled = False  # a performance sample, not spacing, set slot_s
        self.depth = 0
        self._last: tuple[int, float] | None = None

    def observe_samples(self, samples: Sequence[Mapping[str, Any]]) -> None:
        """getRecentPerformanceSamples' answer (newest first); empty until a period passed."""
        for sample in samples:
            slots, seconds = sample.get("numSlots", 0), sample.get("samplePeriodSecs", 0)
            if slots > 0 and seconds > 0:
                self.slot_s = seconds / slots
                self.sampled = True
                return

    def observe_notification(self, slot: int, at: float) -> None:
        """A slot notification at monotonic time ``at``; refines slot_s until samples exist."""
        last, self._last = self._last, (slot, at)
        if self.sampled or last is None or slot <= last[0]:
            return
        spacing = (at - last[1]) / (slot - last[0])
        if self.slot_s is not None:
            spacing = (1 - SMOOTHING) * self.slot_s + SMOOTHING * spacing
        self.slot_s = spacing

    def observe_depth(self, processed: int, committed: int) -> None:
        self.depth = max(processed - committed, 0)

    @property
    def slot_time_s(self) -> float:
        return UNKNOWN_SLOT_S if self.slot_s is None else self.slot_s

    @property
    def watchdog_s(self) -> float:
        """How long without a slot notification before the node counts as stalled."""
        return max(WATCHDOG_SLOTS * self.slot_time_s, MIN_WATCHDOG_S)

    @property
    def commitment_watchdog_s(self) -> float:
        """How long the commitment may stand still: the depth it trails by, plus the watchdog."""
        return self.depth * self.slot_time_s + self.watchdog_s
