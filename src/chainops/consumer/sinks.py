"""Where a batch's effects go: objects in the S3 data lake, poison records to the SQS DLQ."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from chainops.consumer.stream import Record


class Lake:
    def __init__(self, s3: Any, *, bucket: str) -> None:
        self._s3 = s3
        self._bucket = bucket

    def put(self, objects: Mapping[str, bytes]) -> None:
        """Write each object; a redo overwrites the same key with the same bytes."""
        for key, body in objects.items():
            self._s3.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType="application/x-ndjson",
                ContentEncoding="gzip",
            )


class DeadLetterQueue:
    def __init__(self, sqs: Any, *, queue_url: str, stream: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url
        self._stream = stream

    def send(self, shard_id: str, record: Record, *, error: str, attempts: int) -> None:
        """One message a record: where it was, why it failed, and its bytes (base64)."""
        body = {
            "stream": self._stream,
            "shard_id": shard_id,
            "sequence_number": record.sequence_number,
            "partition_key": record.partition_key,
            "arrival": record.arrival.isoformat(),
            "attempts": attempts,
            "error": error,
            "data_base64": base64.b64encode(record.data).decode(),
        }
        self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=json.dumps(body))
