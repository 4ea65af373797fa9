"""An SDK's retry of a call the lab answered with success gets that answer, not a second run;
a retry after an error runs again, and a new call is carried out as a new call."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest

from chainops.lab.aws import faults
from chainops.lab.aws.extensions import sdk_retries
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings


@pytest.fixture
def ec2_once(lab: LabSettings) -> Any:
    """An ec2 client that does not retry: the test plays each attempt itself."""
    return boto3.client(
        "ec2",
        endpoint_url=lab.endpoint,
        region_name=lab.regions[0],
        aws_access_key_id=LAB_ACCESS_KEY,
        aws_secret_access_key=LAB_SECRET_KEY,
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )


@pytest.fixture
def invocation(ec2_once: Any) -> Iterator[Callable[[str, int], None]]:
    """`set(invocation_id, attempt)`: the client's next call carries these SDK headers, as an
    attempt of that invocation does."""
    next_call: dict[str, str] = {}

    def stamp(request: Any, **_: Any) -> None:
        if next_call:
            request.headers["amz-sdk-invocation-id"] = next_call["id"]
            request.headers["amz-sdk-request"] = f"attempt={next_call['attempt']}; max=2"
            next_call.clear()

    def use(invocation_id: str, attempt: int) -> None:
        next_call.update(id=invocation_id, attempt=str(attempt))

    ec2_once.meta.events.register_last("before-send.ec2.*", stamp)
    yield use
    ec2_once.meta.events.unregister("before-send.ec2.*", stamp)


def _groups(ec2: Any, name: str) -> list[str]:
    found = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])
    return [group["GroupId"] for group in found["SecurityGroups"]]


def test_a_retry_of_an_answered_call_gets_its_answer_and_runs_once(
    lab: LabSettings, ec2_once: Any, invocation: Callable[[str, int], None]
) -> None:
    vpc = ec2_once.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    call = str(uuid.uuid4())

    invocation(call, 1)
    first = ec2_once.create_security_group(GroupName="app", Description="app", VpcId=vpc)
    invocation(call, 2)
    retried = ec2_once.create_security_group(GroupName="app", Description="app", VpcId=vpc)

    assert retried["GroupId"] == first["GroupId"]
    assert _groups(ec2_once, "app") == [first["GroupId"]]


def test_a_new_invocation_of_the_same_call_is_refused_as_on_aws(
    lab: LabSettings, ec2_once: Any, invocation: Callable[[str, int], None]
) -> None:
    vpc = ec2_once.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    invocation(str(uuid.uuid4()), 1)
    ec2_once.create_security_group(GroupName="app", Description="app", VpcId=vpc)

    invocation(str(uuid.uuid4()), 1)
    with pytest.raises(botocore.exceptions.ClientError, match=r"InvalidGroup\.Duplicate"):
        ec2_once.create_security_group(GroupName="app", Description="app", VpcId=vpc)


def test_a_retry_after_an_error_runs_again(
    lab: LabSettings, ec2_once: Any, invocation: Callable[[str, int], None]
) -> None:
    vpc = ec2_once.create_vpc(CidrBlock="10.62.0.0/16")["Vpc"]["VpcId"]
    call = str(uuid.uuid4())
    faults.inject(lab, faults.ServiceFault("ec2", "CreateSecurityGroup", count=1))

    invocation(call, 1)
    with pytest.raises(botocore.exceptions.ClientError):
        ec2_once.create_security_group(GroupName="app", Description="app", VpcId=vpc)
    assert _groups(ec2_once, "app") == []
    invocation(call, 2)
    created = ec2_once.create_security_group(GroupName="app", Description="app", VpcId=vpc)

    assert _groups(ec2_once, "app") == [created["GroupId"]]


def test_a_retry_arriving_during_the_first_attempt_waits_for_its_answer() -> None:
    """The client gave up on the first attempt before it was answered: its retry gets the
    first attempt's answer when it comes, and the call runs once."""
    release, runs = threading.Event(), []

    def slow_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        runs.append(environ["HTTP_AMZ_SDK_REQUEST"])
        release.wait(10)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<created/>"]

    def attempt(number: int) -> bytes:
        environ = {
            "HTTP_AMZ_SDK_INVOCATION_ID": call,
            "HTTP_AMZ_SDK_REQUEST": f"attempt={number}; max=2",
        }
        return b"".join(sdk_retries.handle(slow_app, environ, lambda *_: None))

    call = str(uuid.uuid4())
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(attempt, 1)
        while not runs:
            time.sleep(0.01)
        retry = pool.submit(attempt, 2)
        time.sleep(0.2)
        assert not retry.done()
        release.set()
        assert first.result(10) == retry.result(10) == b"<created/>"

    assert runs == ["attempt=1; max=2"]
