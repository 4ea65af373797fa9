"""ECS task-role credentials for the lab: what the task-role endpoint (TASK_ADDRESS) answers at
AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, as the ECS agent does for a task.

The lab runs no ECS task, so a process that stands for one registers its role
(`chainops lab task-role`, `register`): a small JSON file per task id under the lab's state
directory names the lab AWS and the role; the relative URI it gets back carries the task id.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from chainops import paths
from chainops.errors import LabError
from chainops.lab.aws import clients
from chainops.lab.hosts.imds.instances import REFRESH_BEFORE, SESSION_S, settings_for
from chainops.lab.settings import LabSettings

PREFIX = "/v2/credentials/"


@dataclass(frozen=True)
class TaskRole:
    """A registered task: its role and the lab AWS that issues its sessions."""

    task_id: str
    role_arn: str
    endpoint: str
    region: str


@dataclass(frozen=True)
class TaskCredentials:
    """One role session of a task; the secret parts never appear in a repr."""

    role_arn: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    token: str = field(repr=False)
    expiration: datetime

    def as_json(self) -> str:
        """The body the ECS agent answers."""
        return json.dumps(
            {
                "RoleArn": self.role_arn,
                "AccessKeyId": self.access_key_id,
                "SecretAccessKey": self.secret_access_key,
                "Token": self.token,
                "Expiration": self.expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )


def _file(task_id: str) -> Path:
    return paths.state_dir() / "imds" / "task-roles" / f"{task_id}.json"


def register(settings: LabSettings, role_arn: str) -> str:
    """Register a task with `role_arn`; returns its AWS_CONTAINER_CREDENTIALS_RELATIVE_URI."""
    task_id = str(uuid.uuid4())
    path = _file(task_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"role_arn": role_arn, "endpoint": settings.endpoint, "region": settings.regions[0]}
    path.write_text(json.dumps(record))
    return f"{PREFIX}{task_id}"


def _task_id(relative_uri: str) -> str | None:
    """The task id a relative URI names; None for anything else (a path outside the registry)."""
    task_id = relative_uri.removeprefix(PREFIX)
    valid = relative_uri.startswith(PREFIX) and task_id and "/" not in task_id
    return task_id if valid and not task_id.startswith(".") else None


def deregister(relative_uri: str) -> bool:
    """Forget a task; True when it was registered."""
    task_id = _task_id(relative_uri)
    if task_id is None:
        return False
    path = _file(task_id)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def lookup(path: str) -> TaskRole | None:
    """The task a request path names, or None."""
    task_id = _task_id(path)
    if task_id is None:
        return None
    try:
        record = json.loads(_file(task_id).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return TaskRole(task_id, record["role_arn"], record["endpoint"], record["region"])


class TaskSessions:
    """Role sessions of registered tasks, cached until REFRESH_BEFORE their expiry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: dict[TaskRole, TaskCredentials] = {}

    def credentials(self, task: TaskRole) -> TaskCredentials:
        with self._lock:
            cached = self._cached.get(task)
            if cached is None or cached.expiration - REFRESH_BEFORE <= datetime.now(UTC):
                cached = self._cached[task] = _assume(task)
            return cached


def _assume(task: TaskRole) -> TaskCredentials:
    settings = settings_for(task.endpoint, task.region)
    issued = datetime.now(UTC)
    try:
        # As the lab administrator, who stands for ECS assuming a task's role.
        session = clients.assume_role(settings, task.role_arn, task.task_id, SESSION_S)
    except (ClientError, BotoCoreError) as error:
        raise LabError(f"lab AWS at {task.endpoint}: {error}") from error
    return TaskCredentials(
        role_arn=task.role_arn,
        access_key_id=session.access_key_id,
        secret_access_key=session.secret_access_key,
        token=session.session_token,
        expiration=(session.expiration or issued + timedelta(seconds=SESSION_S)).astimezone(UTC),
    )
