"""Shard leases and checkpoints in DynamoDB, and the plan of which leases to take or shed.

The lease table holds one item per shard, `<stream>#<shard id>`, with `owner`,
`lease_expires` (epoch seconds), `checkpoint` (the last sequence number durably landed, or
SHARD_END) and, while a batch is in hand, `inflight` (its key and last sequence number). Each
consumer also heartbeats a `consumer#<stream>#<id>` item so the others know how many share
the stream. Expiry times are wall-clock epochs because other hosts compare them. Every
write a lease holder makes is conditional on still owning the lease: when one fails,
LostLease tells the caller to stop work on that shard at once.
"""

from __future__ import annotations

import contextlib
import math
import random
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

SHARD_END = "SHARD_END"
_CONDITION_FAILED = "ConditionalCheckFailedException"


class LostLease(Exception):
    """Another consumer owns the shard now; the caller must drop it without checkpointing."""


@dataclass(frozen=True, slots=True)
class Shard:
    shard_id: str
    parents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InFlight:
    """The extent of the batch in hand, so a redo after a crash reads exactly the same records."""

    batch_key: str
    last_sequence: str


@dataclass(frozen=True, slots=True)
class Lease:
    shard_id: str
    owner: str | None = None
    expires: float = 0.0
    checkpoint: str | None = None
    inflight: InFlight | None = None

    def free(self, now: float) -> bool:
        return self.owner is None or self.expires <= now

    @property
    def finished(self) -> bool:
        return self.checkpoint == SHARD_END


@dataclass(frozen=True, slots=True)
class Plan:
    take: tuple[str, ...]
    shed: tuple[str, ...]


def plan(
    shards: Iterable[Shard],
    leases: Mapping[str, Lease],
    *,
    me: str,
    live_consumers: int,
    now: float,
) -> Plan:
    """Leases to take and to shed so each live consumer holds at most ceil(shards / consumers).

    Only shards with work count: finished ones are skipped, and a child waits until its
    parents (when still listed) are finished, so records of a key stay in order.
    """
    listed = {shard.shard_id: shard for shard in shards}

    def finished(shard_id: str) -> bool:
        lease = leases.get(shard_id)
        return lease is not None and lease.finished

    workable = [
        shard_id
        for shard_id, shard in listed.items()
        if not finished(shard_id)
        and all(parent not in listed or finished(parent) for parent in shard.parents)
    ]
    target = math.ceil(len(workable) / max(live_consumers, 1))
    mine = sorted(s for s in workable if s in leases and leases[s].owner == me)
    free = [s for s in workable if s not in mine and (s not in leases or leases[s].free(now))]
    # Consumers starting together would otherwise all race for the same first shards.
    random.shuffle(free)
    room = max(target - len(mine), 0)
    return Plan(take=tuple(free[:room]), shed=tuple(mine[target:]))


class LeaseTable:
    """One consumer's view of the lease table of one stream."""

    def __init__(
        self,
        dynamodb: Any,
        *,
        table: str,
        stream: str,
        owner: str,
        lease_seconds: int,
    ) -> None:
        self._db = dynamodb
        self._table = table
        self._stream = stream
        self._owner = owner
        self._lease_seconds = lease_seconds

    def _key(self, shard_id: str) -> dict[str, Any]:
        return {"lease_key": {"S": f"{self._stream}#{shard_id}"}}

    def _consumer_key(self) -> dict[str, Any]:
        return {"lease_key": {"S": f"consumer#{self._stream}#{self._owner}"}}

    def _expiry(self) -> dict[str, str]:
        return {"N": f"{time.time() + self._lease_seconds:.3f}"}

    def scan(self) -> tuple[dict[str, Lease], int]:
        """Every lease of the stream by shard id, and the number of live consumers (us too)."""
        leases: dict[str, Lease] = {}
        consumers = {self._owner}
        now = time.time()
        for page in self._db.get_paginator("scan").paginate(
            TableName=self._table, ConsistentRead=True
        ):
            for item in page["Items"]:
                kind, _, rest = item["lease_key"]["S"].partition("#")
                if kind == "consumer":
                    stream, _, consumer = rest.partition("#")
                    if stream == self._stream and float(item["expires"]["N"]) > now:
                        consumers.add(consumer)
                elif kind == self._stream:
                    leases[rest] = _lease(rest, item)
        return leases, len(consumers)

    def heartbeat(self) -> None:
        """Tell the other consumers we are alive, for as long as a lease lasts."""
        self._db.put_item(
            TableName=self._table,
            Item={**self._consumer_key(), "expires": self._expiry()},
        )

    def leave(self) -> None:
        self._db.delete_item(TableName=self._table, Key=self._consumer_key())

    def take(self, shard_id: str) -> Lease:
        """Own a free or expired lease (made for a new shard); LostLease if another won."""
        answer = self._update(
            shard_id,
            "SET #owner = :me, lease_expires = :expires",
            condition=(
                "attribute_not_exists(lease_key) OR attribute_not_exists(#owner)"
                " OR lease_expires <= :now OR #owner = :me"
            ),
            values={":now": {"N": f"{time.time():.3f}"}},
        )
        return _lease(shard_id, answer["Attributes"])

    def renew(self, shard_id: str) -> None:
        self._update(shard_id, "SET lease_expires = :expires", condition="#owner = :me")

    def begin(self, shard_id: str, inflight: InFlight) -> None:
        """Record the batch in hand (and renew) before any of its effects."""
        self._update(
            shard_id,
            "SET lease_expires = :expires, inflight = :inflight",
            condition="#owner = :me",
            values={
                ":inflight": {
                    "M": {
                        "batch_key": {"S": inflight.batch_key},
                        "last_sequence": {"S": inflight.last_sequence},
                    }
                }
            },
        )

    def checkpoint(self, shard_id: str, sequence: str) -> None:
        """The batch up to `sequence` is landed: move the checkpoint (and renew)."""
        self._update(
            shard_id,
            "SET lease_expires = :expires, checkpoint = :checkpoint REMOVE inflight",
            condition="#owner = :me",
            values={":checkpoint": {"S": sequence}},
        )

    def release(self, shard_id: str) -> None:
        """Hand the lease back at once (checkpoint already written); lost leases are ignored."""
        with contextlib.suppress(LostLease):
            self._update(
                shard_id,
                "SET lease_expires = :zero REMOVE #owner",
                condition="#owner = :me",
                values={":zero": {"N": "0"}},
            )

    def _update(
        self,
        shard_id: str,
        expression: str,
        *,
        condition: str,
        values: dict[str, Any] | None = None,
    ) -> Any:
        names = {"#owner": "owner"}
        all_values = {":me": {"S": self._owner}, ":expires": self._expiry(), **(values or {})}
        used = {k: v for k, v in all_values.items() if k in expression or k in condition}
        try:
            return self._db.update_item(
                TableName=self._table,
                Key=self._key(shard_id),
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=used,
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == _CONDITION_FAILED:
                raise LostLease(f"lease of {shard_id} is no longer {self._owner}'s") from error
            raise


def _lease(shard_id: str, item: Mapping[str, Any]) -> Lease:
    inflight = item.get("inflight", {}).get("M")
    return Lease(
        shard_id=shard_id,
        owner=item.get("owner", {}).get("S"),
        expires=float(item.get("lease_expires", {}).get("N", "0")),
        checkpoint=item.get("checkpoint", {}).get("S"),
        inflight=(
            InFlight(inflight["batch_key"]["S"], inflight["last_sequence"]["S"])
            if inflight
            else None
        ),
    )
