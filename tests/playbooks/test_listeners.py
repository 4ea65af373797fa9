"""playbooks/listeners.yml end to end: a lab listener host gets the pipeline and publishes.

The lab AWS binds the podman gateway (the services on the host call it themselves). The phase
runs alone with the blockchain stack's outputs given as extra vars (the stack itself is covered
by tests/terraform) and a lab validator on the listener host as the RPC fleet.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chainops.consumer import permissions as consumer_permissions
from chainops.lab.aws import clients, server
from chainops.lab.hosts import bridge, fleet, reconciler
from chainops.lab.hosts.imds import process
from chainops.lab.release import artifact
from chainops.lab.settings import LabSettings
from chainops.listener import permissions as listener_permissions
from tests.helpers import copy_lab_inventory, create_instance_profile, run_playbook

# Not the conftest lab (on 127.0.0.1): this one must be reachable from inside the podman hosts,
# on the lab's default host, the podman gateway.
PORT = 4609  # its own: the listener_service scenario may run at once on 4605
STREAM, BUCKET = "lab-events", "lab-lake"
TABLES = {"checkpoints": "listener_id", "leases": "lease_key", "idempotency": "idempotency_key"}
# What the host's instance profile (the listener's role) and the consumers' role allow: each
# service's own list, on any resource (the stack's roles also scope each to its resource).
LISTENER_ACTIONS = tuple(sorted(listener_permissions.ACTIONS))
CONSUMER_ACTIONS = tuple(sorted(consumer_permissions.ACTIONS))


@pytest.fixture(scope="module")
def gateway_lab() -> Iterator[LabSettings]:
    settings = LabSettings(port=PORT)
    bridge.ensure_address(settings.host)
    server.up(settings)
    process.up()  # the lab IMDS, as `lab up` starts it: the host's instance profile answers
    server.reset(settings)
    yield settings
    reconciler.remove_all(settings)
    server.down(settings)
    process.down()


def _pipeline(settings: LabSettings) -> dict[str, Any]:
    """The pipeline's resources, as the blockchain stack's outputs name them."""
    dynamodb = clients.client(settings, "dynamodb")
    for name, key in TABLES.items():
        dynamodb.create_table(
            TableName=f"lab-{name}",
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    clients.client(settings, "kinesis").create_stream(StreamName=STREAM, ShardCount=1)
    clients.client(settings, "s3").create_bucket(Bucket=BUCKET)
    dlq = clients.client(settings, "sqs").create_queue(QueueName="lab-dlq")["QueueUrl"]
    return {
        "stream_name": STREAM,
        "table_names": {name: f"lab-{name}" for name in TABLES},
        "data_lake_bucket": BUCKET,
        "dead_letter_queue_url": dlq,
    }


def _consumer_role(iam: Any, host_role: dict[str, Any]) -> str:
    """The consumers' role, which the host's role may assume (as the blockchain stack's)."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": host_role["Role"]["Arn"]},
        }],
    }  # fmt: skip
    arn = iam.create_role(RoleName="lab-consumer", AssumeRolePolicyDocument=json.dumps(trust))
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": list(CONSUMER_ACTIONS), "Resource": "*"}
    ]}  # fmt: skip
    iam.put_role_policy(
        RoleName="lab-consumer", PolicyName="pipeline", PolicyDocument=json.dumps(policy)
    )
    return str(arn["Role"]["Arn"])


def _wait_for_lake_objects(settings: LabSettings) -> None:
    """Bounded: the consumers, signing as their role, write to the lake."""
    s3 = clients.client(settings, "s3")
    for _ in range(60):
        if s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0):
            return
        time.sleep(1)
    raise AssertionError("no object in the lake after 60 s: the consumers write nothing")


def _start_validator(host: str) -> None:
    """The lab validator release unpacked on the host and run as a transient unit."""
    release = artifact.build("validator")
    for command in (
        ["cp", str(release.path), f"{host}:/opt/validator.tar.gz"],
        ["exec", host, "mkdir", "-p", "/opt/validator"],
        ["exec", host, "tar", "-xzf", "/opt/validator.tar.gz", "-C", "/opt/validator",
         "--strip-components=1"],
        ["exec", host, "systemd-run", "--unit=lab-validator",
         "/opt/validator/bin/chainops-validator", "--tps", "20"],
    ):  # fmt: skip
        subprocess.run(["podman", *command], check=True, capture_output=True)


def _checkpoint(settings: LabSettings) -> int:
    item = clients.client(settings, "dynamodb").get_item(
        TableName="lab-checkpoints", Key={"listener_id": {"S": "lab-listener"}}, ConsistentRead=True
    )["Item"]
    return int(item["slot"]["N"])


def _changed(recap: str, host: str) -> int:
    found = re.search(rf"^{re.escape(host)}\s+: ok=\d+\s+changed=(\d+)", recap, re.MULTILINE)
    assert found, recap[-3000:]
    return int(found.group(1))


def test_listeners_phase_deploys_a_publishing_pipeline_idempotently(
    gateway_lab: LabSettings, tmp_path: Path
) -> None:
    """The phase deploys on the role_listener host, reruns idle, and verify sees it publish."""
    outputs = _pipeline(gateway_lab)
    (host,) = fleet.launch(
        gateway_lab, count=1, role="listener", instance_type="m5.large", placement_group="pipe"
    )
    iam = clients.client(gateway_lab, "iam")
    profile = create_instance_profile(iam, "lab-listener", LISTENER_ACTIONS)
    clients.client(gateway_lab, "ec2").associate_iam_instance_profile(
        IamInstanceProfile={"Name": profile}, InstanceId=host
    )
    outputs["role_arns"] = {"consumer": _consumer_role(iam, iam.get_role(RoleName=profile))}
    _start_validator(host)
    inventory = copy_lab_inventory(tmp_path, gateway_lab.endpoint)
    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps(
            {
                "terraform_stack_outputs": {"blockchain": outputs},
                # The validator on the host stands in for the RPC fleet.
                "listener_service_rpc_urls": ["http://127.0.0.1:8899"],
            }
        )
    )

    first = run_playbook("playbooks/listeners.yml", inventory, "-e", f"@{extra}")
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-2000:]
    assert "1 listener hosts (group role_listener)" in first.stdout
    # The instance profile answers, so the services sign with its role, not the lab's keys.
    written = subprocess.run(
        ["podman", "exec", host, "cat", "/etc/chainops/listener.env", "/etc/chainops/consumer.env"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "AWS_ACCESS_KEY_ID" not in written
    assert "AWS_PROFILE=consumer" in written  # the consumers assume their own role
    before = _checkpoint(gateway_lab)
    time.sleep(3)
    assert _checkpoint(gateway_lab) > before
    _wait_for_lake_objects(gateway_lab)

    again = run_playbook("playbooks/listeners.yml", inventory, "-e", f"@{extra}")
    assert again.returncode == 0, again.stdout[-4000:]
    assert _changed(again.stdout, host) == 0

    # verify.yml's listener check, limited to the host (its stack re-plan needs real state).
    verified = run_playbook(
        "playbooks/verify.yml", inventory, "--limit", "role_listener", "-e", f"@{extra}"
    )
    assert verified.returncode == 0, verified.stdout[-4000:]
    assert "Wait until the checkpoint advances" in verified.stdout
