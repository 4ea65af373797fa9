"""Create the scenario's pipeline resources in its lab AWS (idempotent).

community.aws.dynamodb_table fails on the lab's DescribeTable answer (no TableId), so the
scenario makes what the blockchain stack would with boto3 directly (the lab's clients).
"""

import sys

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings

# The scenario's lab AWS: CHAINOPS_LAB_PORT from its molecule.yml, the lab's default host.
lab = LabSettings.from_env()
stream, *tables = sys.argv[1:]
dynamodb = clients.client(lab, "dynamodb")
for spec in tables:
    name, key = spec.split(":")
    if name not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
kinesis = clients.client(lab, "kinesis")
if stream not in kinesis.list_streams()["StreamNames"]:
    kinesis.create_stream(StreamName=stream, ShardCount=2)
clients.client(lab, "s3").create_bucket(Bucket="molecule-lake")
# The queue's URL is <endpoint>/123456789012/molecule-dlq, as converge.yml passes it.
clients.client(lab, "sqs").create_queue(QueueName="molecule-dlq")
