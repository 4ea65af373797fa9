"""The lab AWS process lifecycle: idempotent start, health, refusal of a foreign port, stop."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from chainops.errors import LabError
from chainops.lab import server
from chainops.lab.settings import LabSettings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def spare() -> Iterator[LabSettings]:
    settings = LabSettings(port=_free_port())
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
