"""Idempotency claims against the lab: powertools' per-record writes vs the consumer's batches.

For N events, fresh table each time: (1) aws-lambda-powertools' `idempotent_function` with
its DynamoDB persistence layer, one call per event (a conditional PutItem to claim, an
UpdateItem to complete); (2) the consumer's `IdempotencyTable.claim`, one BatchGetItem per
100 ids and one BatchWriteItem per 25, in batches of --batch events. Each is run twice: new
ids, then the same ids again (every one a duplicate, as on redelivery). Prints records/s.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from chainops.consumer.idempotency import IdempotencyTable
from chainops.lab.aws import clients, server
from chainops.lab.settings import LabSettings

TABLE = "bench-idempotency"
TTL_SECONDS = 7 * 86_400


def _fresh_table(settings: LabSettings) -> Any:
    dynamodb = clients.client(settings, "dynamodb")
    if TABLE in dynamodb.list_tables()["TableNames"]:
        dynamodb.delete_table(TableName=TABLE)
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "idempotency_key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "idempotency_key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return dynamodb


def powertools(dynamodb: Any, ids: list[str], _batch: int) -> None:
    persistence = DynamoDBPersistenceLayer(
        table_name=TABLE, key_attr="idempotency_key", expiry_attr="expires_at",
        boto3_client=dynamodb,
    )  # fmt: skip
    config = IdempotencyConfig(event_key_jmespath="id", expires_after_seconds=TTL_SECONDS)
    # Outside Lambda there is no context to register; powertools warns about it every call.
    warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")

    @idempotent_function(
        data_keyword_argument="event", persistence_store=persistence, config=config
    )
    def land(event: dict[str, str]) -> dict[str, str]:
        return {"landed": event["id"]}

    for event_id in ids:
        land(event={"id": event_id})


def batched(dynamodb: Any, ids: list[str], batch: int) -> None:
    table = IdempotencyTable(dynamodb, table=TABLE, ttl_seconds=TTL_SECONDS, clock=time.time)
    for start in range(0, len(ids), batch):
        table.claim(f"shardId-000000000000-{start}", ids[start : start + batch])


def measure(
    settings: LabSettings, claim: Callable[[Any, list[str], int], None], count: int, batch: int
) -> tuple[float, float]:
    """(records/s for new ids, records/s for the same ids again)."""
    dynamodb = _fresh_table(settings)
    ids = [f"sig{i:08d}" for i in range(count)]
    rates = []
    for _ in ("new", "duplicates"):
        started = time.perf_counter()
        claim(dynamodb, ids, batch)
        rates.append(count / (time.perf_counter() - started))
    return rates[0], rates[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="events per run")
    parser.add_argument("--batch", type=int, default=500, help="events per consumer batch")
    parser.add_argument("--port", type=int, default=4602)
    args = parser.parse_args()
    settings = LabSettings(host="127.0.0.1", port=args.port)  # its own lab, on loopback
    started = server.up(settings)
    try:
        print(f"{'claims':<28} {'new rec/s':>10} {'dup rec/s':>10}")
        for name, claim in (("powertools per record", powertools), ("batched (consumer)", batched)):
            new, again = measure(settings, claim, args.count, args.batch)
            print(f"{name:<28} {new:>10.0f} {again:>10.0f}")
    finally:
        if started:
            server.down(settings)


if __name__ == "__main__":
    main()
