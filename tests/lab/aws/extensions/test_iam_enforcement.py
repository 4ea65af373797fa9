"""IAM enforced by the lab AWS on the credentials it issues, where moto alone allows all."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.aws.clients import RoleSession
from chainops.lab.settings import LabSettings
from tests.helpers import EC2_TRUST

ACCOUNT = "123456789012"
REGION = "us-east-1"
# A key policy as the kms_key module writes it: the account administers it through IAM.
DELEGATING_KEY_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
)


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def make_role(lab: LabSettings, name: str, *statements: dict[str, Any], trust: Any = None) -> str:
    iam = clients.client(lab, "iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust or EC2_TRUST))
    if statements:
        iam.put_role_policy(
            RoleName=name, PolicyName="inline", PolicyDocument=document(*statements)
        )
    return str(arn["Role"]["Arn"])


def session(lab: LabSettings, role_arn: str) -> RoleSession:
    return clients.assume_role(lab, role_arn, "i-0123456789abcdef0")


def error_code(call: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)
    return str(raised.value.response["Error"]["Code"])


@pytest.fixture
def lake(lab: LabSettings) -> str:
    clients.client(lab, "s3").create_bucket(Bucket="lake-iam")
    return "lake-iam"


def test_a_write_outside_the_granted_prefix_is_denied(lab: LabSettings, lake: str) -> None:
    """moto alone stores both objects; the lab refuses the one outside events/ as AWS does."""
    role = make_role(
        lab,
        "consumer",
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{lake}/events/*"},
    )
    s3 = clients.client(lab, "s3", session=session(lab, role))
    s3.put_object(Bucket=lake, Key="events/a.gz", Body=b"1")
    assert (
        error_code(lambda: s3.put_object(Bucket=lake, Key="raw/a.gz", Body=b"1")) == "AccessDenied"
    )
    assert error_code(lambda: s3.get_object(Bucket=lake, Key="events/a.gz")) == "AccessDenied"
    listed = clients.client(lab, "s3").list_objects_v2(Bucket=lake)["Contents"]
    assert [entry["Key"] for entry in listed] == ["events/a.gz"]


def test_each_service_is_authorised_on_its_resource_arn(lab: LabSettings) -> None:
    """DynamoDB (batch calls too), Kinesis (GetRecords through its iterator) and SQS by ARN."""
    admin = {service: clients.client(lab, service) for service in ("dynamodb", "kinesis", "sqs")}
    for table in ("leases", "other"):
        admin["dynamodb"].create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    admin["kinesis"].create_stream(StreamName="events", ShardCount=1)
    queue = admin["sqs"].create_queue(QueueName="dlq")["QueueUrl"]
    table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/leases"
    stream_arn = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/events"
    role = make_role(
        lab,
        "pipeline",
        {
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem", "dynamodb:BatchWriteItem"],
            "Resource": table_arn,
        },
        {
            "Effect": "Allow",
            "Action": ["kinesis:GetShardIterator", "kinesis:GetRecords"],
            "Resource": stream_arn,
        },
        {
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": f"arn:aws:sqs:{REGION}:{ACCOUNT}:dlq",
        },
    )
    as_role = session(lab, role)
    dynamodb = clients.client(lab, "dynamodb", session=as_role)
    dynamodb.put_item(TableName="leases", Item={"k": {"S": "a"}})
    put = {"PutRequest": {"Item": {"k": {"S": "b"}}}}
    dynamodb.batch_write_item(RequestItems={"leases": [put]})
    assert (
        error_code(lambda: dynamodb.put_item(TableName="other", Item={"k": {"S": "a"}}))
        == "AccessDeniedException"
    )
    assert (
        error_code(
            lambda: dynamodb.batch_write_item(RequestItems={"leases": [put], "other": [put]})
        )
        == "AccessDeniedException"
    )
    kinesis = clients.client(lab, "kinesis", session=as_role)
    iterator = kinesis.get_shard_iterator(
        StreamName="events", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )
    kinesis.get_records(ShardIterator=iterator["ShardIterator"])
    assert (
        error_code(lambda: kinesis.describe_stream_summary(StreamName="events"))
        == "AccessDeniedException"
    )
    sqs = clients.client(lab, "sqs", session=as_role)
    sqs.send_message(QueueUrl=queue, MessageBody="poison")
    assert error_code(lambda: sqs.receive_message(QueueUrl=queue)) == "AccessDenied"


def test_put_metric_data_is_scoped_to_the_namespace_condition(lab: LabSettings) -> None:
    role = make_role(
        lab,
        "listener",
        {
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "Chainops/Listener"}},
        },
    )
    cloudwatch = clients.client(lab, "cloudwatch", session=session(lab, role))
    datum = [{"MetricName": "SlotLag", "Value": 1.0}]
    cloudwatch.put_metric_data(Namespace="Chainops/Listener", MetricData=datum)
    denied = lambda: cloudwatch.put_metric_data(Namespace="Chainops/RPC", MetricData=datum)  # noqa: E731
    assert error_code(denied) == "AccessDeniedException"


def test_resource_policies_allow_and_deny(lab: LabSettings, lake: str) -> None:
    """A bucket policy naming the role suffices without an identity policy; its Deny wins."""
    role = make_role(lab, "reader")
    admin_s3 = clients.client(lab, "s3")
    admin_s3.put_object(Bucket=lake, Key="events/a", Body=b"1")
    admin_s3.put_object(Bucket=lake, Key="private/a", Body=b"1")
    admin_s3.put_bucket_policy(
        Bucket=lake,
        Policy=document(
            {
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{lake}/*",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{lake}/private/*",
            },
        ),
    )
    s3 = clients.client(lab, "s3", session=session(lab, role))
    assert s3.get_object(Bucket=lake, Key="events/a")["Body"].read() == b"1"
    # moto checks a bucket policy's Deny before any IAM evaluation and answers an empty 403.
    assert error_code(lambda: s3.get_object(Bucket=lake, Key="private/a")) in (
        "AccessDenied",
        "403",
    )


def test_a_kms_key_policy_must_allow_the_caller(lab: LabSettings) -> None:
    kms = clients.client(lab, "kms")
    role = make_role(lab, "encryptor", {"Effect": "Allow", "Action": "kms:*", "Resource": "*"})
    root_only = document(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/admin"},
            "Action": "kms:*",
            "Resource": "*",
        }
    )
    closed = kms.create_key(Policy=root_only)["KeyMetadata"]["KeyId"]
    open_to_iam = kms.create_key(Policy=DELEGATING_KEY_POLICY)["KeyMetadata"]["KeyId"]
    as_role = clients.client(lab, "kms", session=session(lab, role))
    assert (
        error_code(lambda: as_role.generate_data_key(KeyId=closed, KeySpec="AES_256"))
        == "AccessDeniedException"
    )
    blob = as_role.encrypt(KeyId=open_to_iam, Plaintext=b"x")["CiphertextBlob"]
    assert as_role.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_a_role_session_assumes_only_roles_whose_trust_names_it(lab: LabSettings) -> None:
    caller = make_role(lab, "ci", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    trusting = make_role(
        lab,
        "deployer",
        trust=json.loads(
            document({"Effect": "Allow", "Principal": {"AWS": caller}, "Action": "sts:AssumeRole"})
        ),
    )
    distrusting = make_role(lab, "other")
    sts = clients.client(lab, "sts", session=session(lab, caller))
    assumed = sts.assume_role(RoleArn=trusting, RoleSessionName="ci")["AssumedRoleUser"]["Arn"]
    assert assumed == f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/ci"
    assert (
        error_code(lambda: sts.assume_role(RoleArn=distrusting, RoleSessionName="ci"))
        == "AccessDenied"
    )
    assert sts.get_caller_identity()["Arn"].endswith("assumed-role/ci/i-0123456789abcdef0")


def test_keys_the_lab_never_issued_and_bad_signatures_are_refused(lab: LabSettings) -> None:
    def sqs(key: str, secret: str, token: str | None = None) -> Any:
        return boto3.client(
            "sqs",
            endpoint_url=lab.endpoint,
            region_name=REGION,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            aws_session_token=token,
        )

    assert error_code(lambda: sqs("AKIANOTISSUED", "x").list_queues()) == "InvalidClientTokenId"
    issued = session(
        lab, make_role(lab, "any", {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"})
    )
    sqs(issued.access_key_id, issued.secret_access_key, issued.session_token).list_queues()
    wrong_secret = sqs(issued.access_key_id, "not-the-secret", issued.session_token)
    assert error_code(wrong_secret.list_queues) == "SignatureDoesNotMatch"
    wrong_token = sqs(issued.access_key_id, issued.secret_access_key, "forged")
    assert error_code(wrong_token.list_queues) == "InvalidClientTokenId"


def test_an_iam_users_keys_are_evaluated_against_its_policies(lab: LabSettings) -> None:
    iam = clients.client(lab, "iam")
    iam.create_user(UserName="auditor")
    iam.attach_user_policy(UserName="auditor", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    sqs = boto3.client(
        "sqs",
        endpoint_url=lab.endpoint,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    sqs.list_queues()
    assert error_code(lambda: sqs.create_queue(QueueName="nope")) == "AccessDenied"


def test_a_service_using_a_customer_key_needs_the_callers_key_permission(lab: LabSettings) -> None:
    """PutRecords to a KMS-encrypted stream and PutObject to an SSE-KMS bucket need
    kms:GenerateDataKey through that service (kms:ViaService), as on AWS."""
    key = clients.client(lab, "kms").create_key(Policy=DELEGATING_KEY_POLICY)["KeyMetadata"]["Arn"]
    kinesis = clients.client(lab, "kinesis")
    kinesis.create_stream(StreamName="sealed", ShardCount=1)
    kinesis.start_stream_encryption(StreamName="sealed", EncryptionType="KMS", KeyId=key)
    s3 = clients.client(lab, "s3")
    s3.create_bucket(Bucket="sealed-lake")
    s3.put_bucket_encryption(
        Bucket="sealed-lake",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key,
                    }
                }
            ]
        },
    )

    def writer(via: str) -> RoleSession:
        return session(
            lab,
            make_role(
                lab,
                f"writer-{via}",
                {
                    "Effect": "Allow",
                    "Action": ["kinesis:PutRecords", "s3:PutObject"],
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Action": "kms:GenerateDataKey",
                    "Resource": key,
                    "Condition": {
                        "StringEquals": {"kms:ViaService": f"{via}.{REGION}.amazonaws.com"}
                    },
                },
            ),
        )

    record = [{"Data": b"x", "PartitionKey": "p"}]
    through_s3 = writer("s3")
    as_s3_writer = clients.client(lab, "kinesis", session=through_s3)
    denied = lambda: as_s3_writer.put_records(StreamName="sealed", Records=record)  # noqa: E731
    assert error_code(denied) == "KMSAccessDeniedException"
    clients.client(lab, "s3", session=through_s3).put_object(
        Bucket="sealed-lake", Key="a", Body=b"1"
    )
    through_kinesis = writer("kinesis")
    clients.client(lab, "kinesis", session=through_kinesis).put_records(
        StreamName="sealed", Records=record
    )
    as_kinesis_writer = clients.client(lab, "s3", session=through_kinesis)
    assert (
        error_code(lambda: as_kinesis_writer.put_object(Bucket="sealed-lake", Key="b", Body=b"1"))
        == "AccessDenied"
    )


def test_reading_a_secret_under_a_customer_key_needs_decrypt_through_secrets_manager(
    lab: LabSettings,
) -> None:
    key = clients.client(lab, "kms").create_key(Policy=DELEGATING_KEY_POLICY)["KeyMetadata"]["Arn"]
    secret = clients.client(lab, "secretsmanager").create_secret(
        Name="core/redis-auth", KmsKeyId=key, SecretString="token"
    )["ARN"]
    read = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret}
    decrypt = {
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": key,
        "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}},
    }
    without_key = clients.client(
        lab, "secretsmanager", session=session(lab, make_role(lab, "reader", read))
    )
    assert (
        error_code(lambda: without_key.get_secret_value(SecretId=secret)) == "AccessDeniedException"
    )
    with_key = clients.client(
        lab, "secretsmanager", session=session(lab, make_role(lab, "decrypter", read, decrypt))
    )
    assert with_key.get_secret_value(SecretId="core/redis-auth")["SecretString"] == "token"


def test_unsigned_requests_get_what_aws_gives_anyone(lab: LabSettings, lake: str) -> None:
    """No signature: S3 serves what a bucket policy grants everyone and nothing else (moto
    alone serves an anonymous write), other services are refused."""
    admin_s3 = clients.client(lab, "s3")
    admin_s3.create_bucket(Bucket="public-iam")
    for bucket in (lake, "public-iam"):
        admin_s3.put_object(Bucket=bucket, Key="events/a", Body=b"1")
    admin_s3.put_bucket_policy(
        Bucket="public-iam",
        Policy=document(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::public-iam/*",
            }
        ),
    )

    def unsigned(service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=lab.endpoint,
            region_name=REGION,
            config=Config(signature_version=UNSIGNED),
        )

    s3 = unsigned("s3")
    assert s3.get_object(Bucket="public-iam", Key="events/a")["Body"].read() == b"1"
    # moto refuses an anonymous read of a private object itself, with an empty 403.
    assert error_code(lambda: s3.get_object(Bucket=lake, Key="events/a")) in ("AccessDenied", "403")
    assert (
        error_code(lambda: s3.put_object(Bucket="public-iam", Key="b", Body=b"1")) == "AccessDenied"
    )
    # moto routes a request by its signature's scope: an unsigned one reaches S3, whose
    # anonymous rules refuse it (AWS: MissingAuthenticationToken); refused either way.
    with pytest.raises(ClientError) as refused:
        unsigned("sqs").list_queues()
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
