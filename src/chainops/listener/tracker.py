"""Per-slot completeness: which slots are fully published, and the contiguous watermark. Pure.

Every slot passes through the tracker in order, skipped and empty ones included, so the
watermark (the checkpoint) never moves past a slot whose events are not all in Kinesis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

SlotState = Literal["published", "pending", "unseen"]


class SlotTracker:
    """Outstanding record counts per open slot; ``watermark`` = last slot with all <= it done."""

    def __init__(self, *, after: int) -> None:
        self.watermark = after
        self._next = after + 1
        self._outstanding: dict[int, int] = {}

    @property
    def next_slot(self) -> int:
        """The slot ``open`` expects next."""
        return self._next

    @property
    def pending_slots(self) -> int:
        return len(self._outstanding)

    def open(self, slot: int, records: int) -> None:
        """Slot ``slot`` carries ``records`` records (0 for a skipped or empty slot)."""
        if slot != self._next:
            raise ValueError(f"slot {slot} opened out of order; expected {self._next}")
        if records < 0:
            raise ValueError(f"slot {slot}: negative record count {records}")
        self._outstanding[slot] = records
        self._next += 1
        self._advance()

    def ack(self, slots: Iterable[int]) -> None:
        """One acknowledged record per item of ``slots``."""
        for slot in slots:
            remaining = self._outstanding.get(slot, 0) - 1
            if remaining < 0:
                raise ValueError(f"slot {slot}: more records acknowledged than opened")
            self._outstanding[slot] = remaining
        self._advance()

    def state(self, slot: int) -> SlotState:
        if slot <= self.watermark or self._outstanding.get(slot) == 0:
            return "published"
        return "pending" if slot in self._outstanding else "unseen"

    def _advance(self) -> None:
        outstanding = self._outstanding
        while outstanding.get(self.watermark + 1) == 0:
            del outstanding[self.watermark + 1]
            self.watermark += 1
