import pytest

from chainops.listener.tracker import SlotTracker


def test_watermark_waits_for_every_record_of_every_earlier_slot():
    """Slot 12 fully acknowledged does not move the watermark while slot 11 is pending."""
    tracker = SlotTracker(after=10)
    tracker.open(11, 2)
    tracker.open(12, 1)
    tracker.ack([12])
    assert tracker.watermark == 10
    assert (tracker.state(11), tracker.state(12)) == ("pending", "published")
    tracker.ack([11])
    assert tracker.watermark == 10
    tracker.ack([11])
    assert tracker.watermark == 12
    assert tracker.pending_slots == 0


def test_skipped_and_empty_slots_complete_on_open():
    """A slot with no records is published the moment it is opened, if earlier ones are."""
    tracker = SlotTracker(after=0)
    tracker.open(1, 0)
    tracker.open(2, 0)
    assert tracker.watermark == 2
    assert tracker.state(3) == "unseen"


def test_slots_must_be_opened_contiguously():
    """Opening slot 13 before 12 is a bug in the caller, refused rather than absorbed."""
    tracker = SlotTracker(after=10)
    tracker.open(11, 1)
    with pytest.raises(ValueError, match="expected 12"):
        tracker.open(13, 1)
    assert tracker.next_slot == 12


def test_more_acks_than_records_is_refused():
    """An acknowledgement for a record that was never opened is an error, not a silent skip."""
    tracker = SlotTracker(after=0)
    tracker.open(1, 1)
    tracker.ack([1])
    with pytest.raises(ValueError, match="more records acknowledged"):
        tracker.ack([1])
    with pytest.raises(ValueError, match="slot 7"):
        tracker.ack([7])
