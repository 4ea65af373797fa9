"""Create the scenario's pipeline resources in its lab AWS (idempotent).

community.aws.dynamodb_table fails on the lab's DescribeTable answer (no TableId), so the
scenario makes what the blockchain stack would with boto3 directly.
"""

import sys

import boto3

endpoint, stream, *tables = sys.argv[1:]
aws = {"endpoint_url": endpoint, "region_name": "us-east-1",
       "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # fmt: skip
dynamodb = boto3.client("dynamodb", **aws)
for spec in tables:
    name, key = spec.split(":")
    if name not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
kinesis = boto3.client("kinesis", **aws)
if stream not in kinesis.list_streams()["StreamNames"]:
    kinesis.create_stream(StreamName=stream, ShardCount=2)
boto3.client("s3", **aws).create_bucket(Bucket="molecule-lake")
# The queue's URL is <endpoint>/123456789012/molecule-dlq, as converge.yml passes it.
boto3.client("sqs", **aws).create_queue(QueueName="molecule-dlq")
