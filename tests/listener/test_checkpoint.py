"""The DynamoDB checkpoint against the lab: written only forward."""

from __future__ import annotations

from chainops.listener.checkpoint import CheckpointStore
from tests.listener.conftest import TABLE, Aws


def test_checkpoint_only_moves_forward(lab_aws: Aws):
    """A stale writer (lower or equal slot) is refused; the stored slot never goes back."""
    store = CheckpointStore(lab_aws.dynamodb, table=TABLE, listener_id="forward-only")
    stale = CheckpointStore(lab_aws.dynamodb, table=TABLE, listener_id="forward-only")
    assert store.load() is None
    assert store.save(100)
    assert not stale.save(90)
    assert not stale.save(100)
    assert store.save(101)
    assert stale.load() == 101
    item = lab_aws.dynamodb.get_item(TableName=TABLE, Key={"listener_id": {"S": "forward-only"}})[
        "Item"
    ]
    assert item["slot"] == {"N": "101"}
    assert item["updated_at"]["S"].endswith("+00:00")


def test_listeners_keep_separate_checkpoints(lab_aws: Aws):
    """Each listener id is its own item: one advancing does not touch another."""
    first = CheckpointStore(lab_aws.dynamodb, table=TABLE, listener_id="a")
    second = CheckpointStore(lab_aws.dynamodb, table=TABLE, listener_id="b")
    assert first.save(500)
    assert second.save(7)
    assert (first.load(), second.load()) == (500, 7)
