"""What the listener_service role leaves on a lab listener host, checked on the host itself."""

from __future__ import annotations

import re
import time
from typing import Any

UNITS = ("chainops-listener", "chainops-consumer@1", "chainops-consumer@2")


def test_services_run_as_chainops_from_the_current_release(host: Any) -> None:
    """The listener and both consumers are active and enabled, as chainops, from `current`,
    without flags."""
    user = host.user("chainops")
    assert user.exists
    assert user.shell == "/usr/sbin/nologin"
    for unit in UNITS:
        service = host.service(unit)
        assert service.is_running, unit
        assert service.is_enabled, unit
        shown = host.check_output(f"systemctl show {unit} -p User -p Restart -p ExecStart")
        assert "User=chainops" in shown
        assert "Restart=always" in shown
        # No flags: the service reads its settings from the environment file.
        assert re.search(r"argv\[\]=/opt/chainops/current/bin/chainops-\S+ ;", shown)
    current = host.file("/opt/chainops/current")
    assert current.is_symlink
    assert host.file(f"{current.linked_to}/.checksum").content_string.startswith("sha256:")


def test_environment_files_are_readable_by_the_service_only(host: Any) -> None:
    """root:chainops 0640: the services read their resources, other users cannot."""
    for name, holds in (("listener", "CHAINOPS_CHECKPOINT_TABLE=molecule-checkpoints"),
                        ("consumer", "CHAINOPS_BUCKET=molecule-lake")):  # fmt: skip
        env = host.file(f"/etc/chainops/{name}.env")
        assert env.mode == 0o640
        assert (env.user, env.group) == ("root", "chainops")
        assert holds in env.content_string
        assert "CHAINOPS_STREAM=molecule-events" in env.content_string
    listener = host.file("/etc/chainops/listener.env").content_string
    assert "CHAINOPS_RPC=http://127.0.0.1:8899" in listener


def test_units_are_sandboxed_and_stop_gracefully(host: Any) -> None:
    """Hardening in force; SIGTERM with a stop timeout longer than the listener's flush."""
    for unit in UNITS:
        shown = host.check_output(
            f"systemctl show {unit} -p NoNewPrivileges -p ProtectSystem -p PrivateTmp "
            "-p ReadWritePaths -p KillSignal -p TimeoutStopUSec -p CapabilityBoundingSet"
        )
        assert "NoNewPrivileges=yes" in shown
        assert "ProtectSystem=strict" in shown
        assert "PrivateTmp=yes" in shown
        assert "ReadWritePaths=/var/lib/chainops" in shown
        assert "KillSignal=15" in shown
        assert "CapabilityBoundingSet=\n" in shown + "\n"
    listener = host.check_output("systemctl show chainops-listener -p TimeoutStopUSec")
    assert listener.strip() == "TimeoutStopUSec=35s"  # 20 s flush + 15 s


def test_the_listener_cannot_write_outside_its_state_dir(host: Any) -> None:
    """Inside the running listener's mount namespace /opt is read-only, the state dir is not."""
    pid = host.check_output("systemctl show -p MainPID --value chainops-listener")
    enter = f"nsenter --target {pid} --mount"
    denied = host.run(f"{enter} touch /opt/chainops/probe")
    assert denied.rc != 0
    assert "Read-only file system" in denied.stderr
    host.run_expect([0], f"{enter} touch /var/lib/chainops/probe")
    host.run_expect([0], f"{enter} rm /var/lib/chainops/probe")


# Boto3 from the release, with the services' own environment file.
AWS = (
    "set -a; . /etc/chainops/consumer.env; set +a; "
    "PYTHONPATH=/opt/chainops/current/lib /usr/bin/python3 -c {}"
)
CHECKPOINT = (
    "import boto3; print(boto3.client('dynamodb').get_item(TableName='molecule-checkpoints', "
    "Key={'listener_id': {'S': 'chainops-listener'}}, ConsistentRead=True)['Item']['slot']['N'])"
)
LAKE = (
    "import boto3; print(boto3.client('s3').list_objects_v2(Bucket='molecule-lake', "
    "Prefix='events/')['KeyCount'])"
)


def test_checkpoint_advances_and_events_land_in_the_lake(host: Any) -> None:
    """End to end on the host: the listener's checkpoint moves and the consumers write objects."""
    first = int(host.check_output(AWS.format(f'"{CHECKPOINT}"')))
    time.sleep(3)
    second = int(host.check_output(AWS.format(f'"{CHECKPOINT}"')))
    assert second > first
    assert int(host.check_output(AWS.format(f'"{LAKE}"'))) > 0
