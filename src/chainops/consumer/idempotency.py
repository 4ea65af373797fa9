"""The idempotency table: event-id claims by batch key, and attempt counts of poison records.

A claim item is `{idempotency_key: <event id>, batch_key, expires_at}`. Claims are made a
batch at a time (BatchGetItem, then BatchWriteItem) rather than one conditional write per
event: see docs/consumer.md for the measurement behind that. The writes are unconditional:
duplicates of an id share a shard and a shard's batches are claimed in order by one lease
holder at a time, so no other writer can claim an id between our read and our write.
Poison records are counted in `poison#<shard id>#<sequence number>` items.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

_GET_LIMIT = 100  # BatchGetItem keys a call
_WRITE_LIMIT = 25  # BatchWriteItem puts a call
# DynamoDB calls of one batch's claims in flight at once (the client's pool must be as big).
CONCURRENCY = 8
T = TypeVar("T")


class IdempotencyTable:
    def __init__(
        self, dynamodb: Any, *, table: str, ttl_seconds: int, clock: Callable[[], float]
    ) -> None:
        self._db = dynamodb
        self._table = table
        self._ttl_seconds = ttl_seconds
        self._clock = clock
        # Claim calls are latency-bound and touch distinct ids: run a batch's calls at once.
        self._pool = ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="claims")

    def claim(
        self, batch_key: str, event_ids: Sequence[str], *, also_ours: Collection[str] = ()
    ) -> set[str]:
        """Claim distinct ids for a batch; the ids another batch already holds (duplicates).

        Ids already held by this batch key are ours from a crashed attempt: kept, not rewritten;
        so are those held by `also_ours` (a crashed attempt under another key).
        """
        holders: dict[str, str] = {}
        for found in self._pool.map(self._holders, _chunks(event_ids, _GET_LIMIT)):
            holders.update(found)
        ours = {batch_key, *also_ours}
        duplicates = {i for i, holder in holders.items() if holder not in ours}
        new = [i for i in event_ids if i not in holders]
        expires = str(int(self._clock()) + self._ttl_seconds)
        put = functools.partial(self._put, batch_key, expires)
        for _ in self._pool.map(put, _chunks(new, _WRITE_LIMIT)):
            pass  # consumed so a failed write raises here
        return duplicates

    def _holders(self, event_ids: Sequence[str]) -> dict[str, str]:
        """Event id -> batch key, for those of (at most 100) ids already claimed."""
        holders: dict[str, str] = {}
        request: dict[str, Any] = {
            self._table: {
                "Keys": [{"idempotency_key": {"S": i}} for i in event_ids],
                "ConsistentRead": True,
                "ProjectionExpression": "idempotency_key, batch_key",
            }
        }
        while request:
            answer = self._db.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(self._table, []):
                holders[item["idempotency_key"]["S"]] = item["batch_key"]["S"]
            request = answer.get("UnprocessedKeys") or {}
        return holders

    def _put(self, batch_key: str, expires: str, event_ids: Sequence[str]) -> None:
        """Claim (at most 25) ids for a batch."""
        writes = [
            {
                "PutRequest": {
                    "Item": {
                        "idempotency_key": {"S": event_id},
                        "batch_key": {"S": batch_key},
                        "expires_at": {"N": expires},
                    }
                }
            }
            for event_id in event_ids
        ]
        request: dict[str, Any] = {self._table: writes}
        while request:
            request = self._db.batch_write_item(RequestItems=request).get("UnprocessedItems")

    def count_attempt(self, shard_id: str, sequence_number: str) -> tuple[int, bool]:
        """Count one more failed attempt at a record: (attempts so far, already dead-lettered)."""
        answer = self._db.update_item(
            TableName=self._table,
            Key=self._poison_key(shard_id, sequence_number),
            UpdateExpression="ADD attempts :one SET expires_at = :expires",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":expires": {"N": str(int(self._clock()) + self._ttl_seconds)},
            },
            ReturnValues="ALL_NEW",
        )
        item = answer["Attributes"]
        return int(item["attempts"]["N"]), "dead_lettered" in item

    def mark_dead_lettered(self, shard_id: str, sequence_number: str) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=self._poison_key(shard_id, sequence_number),
            UpdateExpression="SET dead_lettered = :yes",
            ExpressionAttributeValues={":yes": {"BOOL": True}},
        )

    @staticmethod
    def _poison_key(shard_id: str, sequence_number: str) -> dict[str, Any]:
        return {"idempotency_key": {"S": f"poison#{shard_id}#{sequence_number}"}}


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
