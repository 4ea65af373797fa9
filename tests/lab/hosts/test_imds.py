"""The lab IMDS: real podman hosts ask the metadata address with curl, as an SDK on EC2 would, and
the credentials they get sign calls to their lab AWS as the instance profile's role."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chainops.lab.aws import clients, server
from chainops.lab.hosts import podman, reconciler, status
from chainops.lab.hosts.imds import ADDRESS, TASK_ADDRESS, process, spot, task_roles
from chainops.lab.settings import MANAGEMENT_TAG, LabSettings
from tests.conftest import TEST_LAB_HOST
from tests.helpers import create_instance_profile

pytestmark = pytest.mark.podman

# A second lab AWS on this machine (docs/lab.md's port table): hosts of two labs side by side.
SECOND_LAB_PORT = 4606
TTL = "X-aws-ec2-metadata-token-ttl-seconds: 300"
META = f"http://{ADDRESS}/latest/meta-data"


@pytest.fixture(scope="module")
def imds() -> Iterator[None]:
    """The lab IMDS, as `lab up` starts it; stopped afterwards unless other labs' hosts remain."""
    process.up()
    yield
    process.down()


@pytest.fixture
def second_lab() -> Iterator[LabSettings]:
    settings = LabSettings(host=TEST_LAB_HOST, port=SECOND_LAB_PORT)
    started = server.up(settings)
    server.reset(settings)
    yield settings
    reconciler.remove_all(settings)
    if started:
        server.down(settings)


def _host(settings: LabSettings, *, profile: str | None = None, tokens: str = "optional") -> str:
    """A managed instance (with the profile and HttpTokens given), materialised as a host."""
    ec2 = clients.client(settings, "ec2")
    extra: dict[str, Any] = {"IamInstanceProfile": {"Name": profile}} if profile else {}
    (instance,) = ec2.run_instances(
        ImageId=ec2.describe_images()["Images"][0]["ImageId"],
        InstanceType="m5.large",
        MinCount=1,
        MaxCount=1,
        MetadataOptions={"HttpTokens": tokens},
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": MANAGEMENT_TAG, "Value": "true"}]}
        ],
        **extra,
    )["Instances"]
    reconciler.reconcile(settings)
    return str(instance["InstanceId"])


def _curl(host: str, url: str, *headers: str, method: str = "GET") -> tuple[int, str]:
    """Status and body of a request made inside the host."""
    flags = [arg for header in headers for arg in ("-H", header)]
    out = podman.run(
        "exec", host, "curl", "-s", "-m", "10", "-X", method, *flags, "-w", "\n%{http_code}", url
    )
    body, _, status = out.rpartition("\n")
    return int(status), body


def _token(host: str) -> str:
    status, token = _curl(host, f"http://{ADDRESS}/latest/api/token", TTL, method="PUT")
    assert status == 200, token
    return token


def _caller_arn(settings: LabSettings, credentials: dict[str, str]) -> str:
    """Who the lab's STS says signed with these credentials (IMDS's JSON field names)."""
    sts = boto3.client(
        "sts",
        endpoint_url=settings.endpoint,
        region_name=settings.regions[0],
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["Token"],
    )
    return str(sts.get_caller_identity()["Arn"])


def test_a_host_signs_as_its_instance_profile_role(hosts: LabSettings, imds: None) -> None:
    """Token, role name, credentials: they sign calls to the host's lab as
    assumed-role/<role>/<instance id>, and the metadata describes the host."""
    role = create_instance_profile(clients.client(hosts, "iam"), "listener-host")
    host = _host(hosts, profile=role, tokens="required")
    token = f"X-aws-ec2-metadata-token: {_token(host)}"

    assert _curl(host, f"{META}/iam/security-credentials/", token) == (200, role)
    status, body = _curl(host, f"{META}/iam/security-credentials/{role}", token)
    assert status == 200, body
    credentials = json.loads(body)
    assert credentials["Code"] == "Success"
    assert credentials["Type"] == "AWS-HMAC"
    arn = _caller_arn(hosts, credentials)
    assert arn.endswith(f":assumed-role/{role}/{host}"), arn

    info = json.loads(_curl(host, f"{META}/iam/info", token)[1])
    assert info["InstanceProfileArn"].endswith(f":instance-profile/{role}")
    assert _curl(host, f"{META}/instance-id", token) == (200, host)
    assert _curl(host, f"{META}/placement/region", token) == (200, hosts.regions[0])
    assert _curl(host, f"{META}/placement/availability-zone", token)[1].startswith(hosts.regions[0])
    # The instance's private address, as on EC2, and one the host has on its interface.
    (reservation,) = clients.client(hosts, "ec2").describe_instances(InstanceIds=[host])[
        "Reservations"
    ]
    private_ip = reservation["Instances"][0]["PrivateIpAddress"]
    assert _curl(host, f"{META}/local-ipv4", token) == (200, private_ip)
    assert private_ip in podman.run("exec", host, "hostname", "-I").split()
    document = _curl(host, f"http://{ADDRESS}/latest/dynamic/instance-identity/document", token)
    assert json.loads(document[1])["instanceId"] == host
    assert json.loads(document[1])["privateIp"] == private_ip


def test_required_tokens_are_enforced(hosts: LabSettings, imds: None) -> None:
    """HttpTokens=required: no token, a made-up one or another host's answers 401; a token's
    TTL must be 1-21600 seconds."""
    required = _host(hosts, tokens="required")
    other = _host(hosts)
    url = f"{META}/instance-id"
    assert _curl(required, url)[0] == 401
    assert _curl(required, url, "X-aws-ec2-metadata-token: made-up")[0] == 401
    assert _curl(required, url, f"X-aws-ec2-metadata-token: {_token(other)}")[0] == 401
    assert _curl(required, url, f"X-aws-ec2-metadata-token: {_token(required)}") == (200, required)
    for ttl in ("0", "21601", "soon"):
        header = f"X-aws-ec2-metadata-token-ttl-seconds: {ttl}"
        assert _curl(required, f"http://{ADDRESS}/latest/api/token", header, method="PUT")[0] == 400
    assert _curl(required, f"http://{ADDRESS}/latest/api/token", method="PUT")[0] == 400


def test_a_host_without_a_profile_has_no_iam(hosts: LabSettings, imds: None) -> None:
    """No instance profile: iam/ answers 404, the rest answers (without a token: optional)."""
    host = _host(hosts)
    assert _curl(host, f"{META}/instance-id") == (200, host)
    for path in ("iam/", "iam/info", "iam/security-credentials/"):
        assert _curl(host, f"{META}/{path}")[0] == 404, path
    assert "iam/" not in _curl(host, f"{META}/")[1].split()


def test_a_spot_notice_is_served_until_cleared(hosts: LabSettings, imds: None) -> None:
    """spot/instance-action answers 404 until a notice is set, then the notice."""
    host = _host(hosts)
    url = f"{META}/spot/instance-action"
    assert _curl(host, url)[0] == 404
    notice = spot.interrupt(host, action="stop")
    try:
        status, body = _curl(host, url)
        assert (status, json.loads(body)["action"]) == (200, "stop")
        assert body == notice
    finally:
        spot.clear(host)
    assert _curl(host, url)[0] == 404


def test_each_host_is_answered_by_its_own_lab(
    hosts: LabSettings, second_lab: LabSettings, imds: None
) -> None:
    """Hosts of two lab AWSs on one machine: each host's credentials come from its own lab."""
    for settings in (hosts, second_lab):
        role = create_instance_profile(clients.client(settings, "iam"), f"role-{settings.port}")
        host = _host(settings, profile=role)
        body = _curl(host, f"{META}/iam/security-credentials/{role}")[1]
        assert _caller_arn(settings, json.loads(body)).endswith(f":assumed-role/{role}/{host}")


def test_status_reports_the_imds(lab: LabSettings, imds: None) -> None:
    """`chainops lab status` says the lab IMDS runs, with its pid and address."""
    report = status.collect(lab)
    assert report.as_dict()["imds"] == {
        "url": process.URL,
        "running": True,
        "pid": process.running_pid(),
    }
    assert f"lab IMDS {process.URL}" in report.as_text()


def test_a_registered_task_gets_its_roles_credentials(hosts: LabSettings, imds: None) -> None:
    """The task-role endpoint at a registered task's relative URI answers its role's session,
    named by the task id, as ECS's agent does; an unregistered URI answers 404."""
    role = create_instance_profile(clients.client(hosts, "iam"), "pipeline-task")
    role_arn = clients.client(hosts, "iam").get_role(RoleName=role)["Role"]["Arn"]
    relative_uri = task_roles.register(hosts, role_arn)
    host = _host(hosts)
    try:
        status, body = _curl(host, f"http://{TASK_ADDRESS}{relative_uri}")
        assert status == 200, body
        credentials = json.loads(body)
        assert credentials["RoleArn"] == role_arn
        task_id = relative_uri.rsplit("/", 1)[1]
        assert _caller_arn(hosts, credentials).endswith(f":assumed-role/{role}/{task_id}")
    finally:
        task_roles.deregister(relative_uri)
    assert _curl(host, f"http://{TASK_ADDRESS}{relative_uri}")[0] == 404
