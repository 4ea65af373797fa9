"""Print a listener's checkpoint as JSON: {"slot": N} or {"slot": null} when it has none.

Run by the role's health check on the host, with the release's lib/ on PYTHONPATH and the
services' AWS environment, so it sees the table exactly as the listener does.
"""

import json
import sys

import boto3

table, listener_id = sys.argv[1:3]
item = (
    boto3.client("dynamodb")
    .get_item(TableName=table, Key={"listener_id": {"S": listener_id}}, ConsistentRead=True)
    .get("Item")
)
print(json.dumps({"slot": int(item["slot"]["N"]) if item else None}))
