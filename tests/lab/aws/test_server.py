"""The lab AWS process lifecycle: idempotent start, health, refusal of a foreign port, stop,
a restart (or a refusal) when the running lab is from other code, and the account it is."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from chainops.errors import LabError
from chainops.lab.aws import clients, extensions, server
from chainops.lab.settings import LabSettings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def spare() -> Iterator[LabSettings]:
    settings = LabSettings(host="127.0.0.1", port=_free_port())
    yield settings
    server.down(settings)


def test_up_is_idempotent_and_down_stops(spare: LabSettings) -> None:
    """The first `up` starts a healthy lab, the second changes nothing, `down` stops it."""
    assert server.up(spare) is True
    pid = server.running_pid(spare)
    assert server.healthy(spare)
    assert server.up(spare) is False
    assert server.running_pid(spare) == pid
    assert server.down(spare) is True
    assert not server.healthy(spare)
    assert server.running_pid(spare) is None
    assert server.down(spare) is False


def test_foreign_listener_is_refused(spare: LabSettings) -> None:
    """Something else on the port is reported, not mistaken for the lab."""
    with socket.socket() as squatter:
        squatter.bind((spare.host, spare.port))
        squatter.listen()
        with pytest.raises(LabError, match="not the chainops lab"):
            server.up(spare)


def test_info_reports_the_code_fingerprint(spare: LabSettings) -> None:
    """A lab reports the fingerprint of the code it runs: this checkout's."""
    server.up(spare)
    info = server.lab_info(spare)
    assert info is not None
    assert info["fingerprint"] == extensions.fingerprint()
    assert server.current(spare)


def test_stale_lab_started_here_is_restarted(
    spare: LabSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lab of ours running other code is stopped and started again from this code."""
    assert server.up(spare) is True
    old_pid = server.running_pid(spare)
    monkeypatch.setattr(extensions, "fingerprint", lambda: "changed-code")
    assert server.up(spare) is True
    assert server.running_pid(spare) not in (None, old_pid)
    assert server.healthy(spare)


def test_lab_runs_as_its_own_account(spare: LabSettings) -> None:
    """A lab started with an account is that account: its STS says so, the ARNs it makes carry
    it, and an `up` asking for another account starts the lab again in that one."""
    rehearsal = dataclasses.replace(spare, account="210987654321")
    assert server.up(rehearsal) is True
    assert clients.client(rehearsal, "sts").get_caller_identity()["Account"] == "210987654321"
    topic = clients.client(rehearsal, "sns").create_topic(Name="account")["TopicArn"]
    assert topic == "arn:aws:sns:us-east-1:210987654321:account"
    assert server.up(rehearsal) is False
    assert server.up(spare) is True
    assert server.running_account(spare) == spare.account


def test_stale_foreign_lab_is_refused(spare: LabSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lab running other code that was not started here is reported, not reused or killed."""
    serve = [sys.executable, "-m", "chainops.lab.aws.serve"]
    foreign = subprocess.Popen(
        [*serve, "--host", spare.host, "--port", str(spare.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + server.START_TIMEOUT_S
        while not server.healthy(spare) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert server.up(spare) is False  # same code: reused as before
        monkeypatch.setattr(extensions, "fingerprint", lambda: "changed-code")
        with pytest.raises(LabError, match=r"runs other code .* not started here"):
            server.up(spare)
        assert foreign.poll() is None
    finally:
        foreign.terminate()
        foreign.wait(timeout=15)
