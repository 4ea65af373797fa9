"""The last fully published slot in DynamoDB: ``{listener_id, slot, updated_at}``.

Written only forward: the update is conditional on the stored slot being lower, so a stale
listener (an old process still draining, a second instance) cannot move it back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError


class CheckpointStore:
    """One listener's checkpoint item (synchronous boto3; callers use a thread)."""

    def __init__(self, client: Any, *, table: str, listener_id: str) -> None:
        self.client = client
        self.table = table
        self.listener_id = listener_id

    def load(self) -> int | None:
        item = self.client.get_item(
            TableName=self.table,
            Key={"listener_id": {"S": self.listener_id}},
            ConsistentRead=True,
        ).get("Item")
        return None if item is None or "slot" not in item else int(item["slot"]["N"])

    def save(self, slot: int) -> bool:
        """Advance to ``slot``; False if the stored checkpoint is already at or past it."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key={"listener_id": {"S": self.listener_id}},
                UpdateExpression="SET #slot = :slot, updated_at = :now",
                ConditionExpression="attribute_not_exists(#slot) OR #slot < :slot",
                ExpressionAttributeNames={"#slot": "slot"},
                ExpressionAttributeValues={
                    ":slot": {"N": str(slot)},
                    ":now": {"S": datetime.now(UTC).isoformat(timespec="milliseconds")},
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True
