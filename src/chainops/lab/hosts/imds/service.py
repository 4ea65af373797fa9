"""The lab IMDSv2 server: `python -m chainops.lab.hosts.imds.service` (run by `chainops lab up`).

It answers lab hosts only, each about itself: the request's source address names the host
(`callers`), the host's own lab AWS describes its instance and signs its role credentials
(`instances`). Sessions are IMDSv2's: a PUT for a token, then GETs carrying it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from chainops.daemon import log_json
from chainops.errors import ChainopsError
from chainops.lab.hosts.imds import ADDRESS, PORT, TASK_ADDRESS, spot, task_roles
from chainops.lab.hosts.imds.callers import Caller, Callers
from chainops.lab.hosts.imds.instances import Credentials, Instance, Lab
from chainops.lab.hosts.imds.task_roles import TaskSessions

# Named, not __name__: the module runs as __main__.
log = logging.getLogger("chainops.lab.hosts.imds")

TOKEN_PATH = "/latest/api/token"  # noqa: S105 - a path, not a secret
TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN_HEADER = "X-aws-ec2-metadata-token"  # noqa: S105 - a header name
MAX_TTL_S = 21600  # AWS's bound on a token's life: six hours
# The lab's own path: what `lab up` reads to know the server is this checkout's.
HEALTH_PATH = "/chainops"
SERVICE = "chainops-lab-imds"


def fingerprint() -> str:
    """A hash of this package's code; a server from other code is restarted by `lab up`."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(f"{source.name}\n".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


class Tokens:
    """Session tokens, each bound to the instance that asked for it; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}

    def issue(self, instance_id: str, ttl_s: int) -> str:
        now = time.monotonic()
        token = secrets.token_urlsafe(42)
        with self._lock:
            self._tokens = {t: v for t, v in self._tokens.items() if v[1] > now}
            self._tokens[token] = (instance_id, now + ttl_s)
        return token

    def owner(self, token: str) -> str | None:
        """The instance a live token was issued to; None for an unknown or expired one."""
        with self._lock:
            found = self._tokens.get(token)
        return found[0] if found and found[1] > time.monotonic() else None


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain"
    headers: tuple[tuple[str, str], ...] = ()
    instance_id: str | None = None

    @property
    def failed(self) -> bool:
        return self.status >= 400


class Metadata:
    """What each request is answered, with no HTTP in it (header names in lower case)."""

    def __init__(self, *, callers: Callers, lab: Lab, tokens: Tokens, tasks: TaskSessions) -> None:
        self._callers = callers
        self._lab = lab
        self._tokens = tokens
        self._tasks = tasks
        # Taken at start: the code this process runs, whatever the checkout holds later.
        self._fingerprint = fingerprint()

    def put(self, source: str, path: str, headers: Mapping[str, str]) -> Answer:
        if path != TOKEN_PATH:
            return Answer(405, "only /latest/api/token takes a PUT")
        if "x-forwarded-for" in headers:  # as on AWS: a proxied PUT is refused
            return Answer(403, "token requests through a proxy are refused")
        caller = self._callers.find(source)
        if caller is None:
            return _not_a_host(source)
        ttl = headers.get(TTL_HEADER.lower(), "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= MAX_TTL_S:
            return Answer(400, f"{TTL_HEADER} must be an integer from 1 to {MAX_TTL_S}")
        token = self._tokens.issue(caller.instance_id, int(ttl))
        return Answer(200, token, headers=((TTL_HEADER, ttl),), instance_id=caller.instance_id)

    def get(self, source: str, path: str, headers: Mapping[str, str]) -> Answer:
        if path == HEALTH_PATH:
            body = json.dumps({"service": SERVICE, "fingerprint": self._fingerprint})
            return Answer(200, body, "application/json")
        if path == TOKEN_PATH:
            return Answer(405, "a token is asked for with PUT")
        caller = self._callers.find(source)
        if caller is None:
            return _not_a_host(source)
        try:
            return self._metadata(caller, path, headers.get(TOKEN_HEADER.lower()))
        except ChainopsError as error:
            return Answer(500, str(error), instance_id=caller.instance_id)

    def task(self, source: str, path: str, headers: Mapping[str, str]) -> Answer:
        """ECS's task-role endpoint: a registered task's role credentials (task_roles)."""
        caller = self._callers.find(source)
        if caller is None:
            return _not_a_host(source)
        task = task_roles.lookup(path)
        if task is None:
            refused = "no task role is registered at this path"
            return Answer(404, refused, instance_id=caller.instance_id)
        try:
            body = self._tasks.credentials(task).as_json()
        except ChainopsError as error:
            return Answer(500, str(error), instance_id=caller.instance_id)
        return Answer(200, body, "application/json", instance_id=caller.instance_id)

    def _metadata(self, caller: Caller, path: str, token: str | None) -> Answer:
        instance = self._lab.instance(caller)
        if token is not None and self._tokens.owner(token) != caller.instance_id:
            refused = "the token is unknown, expired or another instance's"
        elif token is None and instance.http_tokens == "required":
            refused = "this instance requires a token (HttpTokens=required)"
        else:
            return _resolve(path, _tree(caller, instance, self._lab, path), caller)
        return Answer(401, refused, instance_id=caller.instance_id)


def _not_a_host(source: str) -> Answer:
    return Answer(403, f"{source} is not a running lab host: the lab IMDS answers lab hosts only")


Leaves = dict[str, Callable[[], str | None]]


def _tree(caller: Caller, instance: Instance, lab: Lab, path: str) -> Leaves:
    """Every path under /latest/ this instance has, each answered on demand (None: 404)."""
    leaves: Leaves = {
        "meta-data/ami-id": lambda: instance.image_id,
        "meta-data/hostname": lambda: instance.hostname,
        "meta-data/instance-id": lambda: instance.instance_id,
        "meta-data/instance-type": lambda: instance.instance_type,
        "meta-data/local-hostname": lambda: instance.hostname,
        "meta-data/local-ipv4": lambda: instance.private_ip,
        "meta-data/placement/availability-zone": lambda: instance.availability_zone,
        "meta-data/placement/region": lambda: instance.region,
        "meta-data/services/domain": lambda: "amazonaws.com",
        "meta-data/services/partition": lambda: "aws",
        "dynamic/instance-identity/document": lambda: _identity(caller, instance),
    }
    notice = spot.notice(instance.instance_id)
    if notice is not None:
        leaves["meta-data/spot/instance-action"] = lambda: notice
    if instance.profile_arn is not None:
        # The role's name is a path segment: only a request under iam/ assumes the role.
        credentials = lab.credentials(caller, instance) if "meta-data/iam" in path else None
        leaves["meta-data/iam/info"] = lambda: _iam_info(instance, credentials)
        if credentials is not None:
            role = f"meta-data/iam/security-credentials/{credentials.role}"
            leaves[role] = lambda: _credentials(credentials)
    return leaves


def _resolve(path: str, leaves: Leaves, caller: Caller) -> Answer:
    relative = path.removeprefix("/latest/").strip("/") if path.startswith("/latest/") else None
    if relative is None:
        return Answer(404, "not found", instance_id=caller.instance_id)
    if relative in leaves:
        value = leaves[relative]()
        if value is None:
            return Answer(404, "not found", instance_id=caller.instance_id)
        kind = "application/json" if value.startswith("{") else "text/plain"
        return Answer(200, value, kind, instance_id=caller.instance_id)
    prefix = f"{relative}/" if relative else ""
    children = sorted(
        {
            rest.split("/", 1)[0] + ("/" if "/" in rest else "")
            for key in leaves
            if key.startswith(prefix) and (rest := key[len(prefix) :])
        }
    )
    if not children:
        return Answer(404, "not found", instance_id=caller.instance_id)
    return Answer(200, "\n".join(children), instance_id=caller.instance_id)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(caller: Caller, instance: Instance) -> str:
    return json.dumps(
        {
            "accountId": instance.account_id,
            "architecture": "x86_64",
            "availabilityZone": instance.availability_zone,
            "billingProducts": None,
            "devpayProductCodes": None,
            "marketplaceProductCodes": None,
            "imageId": instance.image_id,
            "instanceId": instance.instance_id,
            "instanceType": instance.instance_type,
            "kernelId": None,
            "pendingTime": _iso(instance.launch_time),
            "privateIp": instance.private_ip,
            "ramdiskId": None,
            "region": instance.region,
            "version": "2017-09-30",
        },
        indent=2,
    )


def _iam_info(instance: Instance, credentials: Credentials | None) -> str | None:
    if credentials is None:
        return None
    return json.dumps(
        {
            "Code": "Success",
            "LastUpdated": _iso(credentials.last_updated),
            "InstanceProfileArn": instance.profile_arn,
            "InstanceProfileId": credentials.profile_id,
        },
        indent=2,
    )


def _credentials(credentials: Credentials) -> str:
    return json.dumps(
        {
            "Code": "Success",
            "LastUpdated": _iso(credentials.last_updated),
            "Type": "AWS-HMAC",
            "AccessKeyId": credentials.access_key_id,
            "SecretAccessKey": credentials.secret_access_key,
            "Token": credentials.token,
            "Expiration": _iso(credentials.expiration),
        },
        indent=2,
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        metadata = self.server.metadata
        # One handler for both addresses: the one asked says which service is meant.
        asked = self.connection.getsockname()[0]
        self._answer(metadata.task if asked == TASK_ADDRESS else metadata.get)

    def do_PUT(self) -> None:
        self._answer(self.server.metadata.put)

    def _answer(self, method: Callable[[str, str, Mapping[str, str]], Answer]) -> None:
        path = urlsplit(self.path).path
        headers = {name.lower(): value for name, value in self.headers.items()}
        started = time.monotonic()
        try:
            answer = method(self.client_address[0], path, headers)
        except Exception as error:
            answer = Answer(500, f"internal error: {type(error).__name__}: {error}")
        # Method, path and status only: never a token or a credential.
        log.log(
            # A 404 is an answer (a Spot notice polled before there is one), not a fault.
            logging.WARNING if answer.failed and answer.status != 404 else logging.INFO,
            "request",
            extra={
                "source": self.client_address[0],
                "instance": answer.instance_id,
                "method": self.command,
                "path": path,
                "status": answer.status,
                # An SDK on a host waits 1 s for an answer by default.
                "ms": round((time.monotonic() - started) * 1000, 1),
                **({"error": answer.body} if answer.failed else {}),
            },
        )
        body = answer.body.encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: every request is logged once, as JSON, by _answer."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], metadata: Metadata) -> None:
        super().__init__(address, _Handler)
        self.metadata = metadata


def main() -> None:
    parser = argparse.ArgumentParser(
        description="the lab's instance-metadata service (IMDSv2) and ECS task-role endpoint"
    )
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    log_json()
    metadata = Metadata(callers=Callers(), lab=Lab(), tokens=Tokens(), tasks=TaskSessions())
    servers = [_Server((address, args.port), metadata) for address in (ADDRESS, TASK_ADDRESS)]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("serving", extra={"addresses": [ADDRESS, TASK_ADDRESS], "port": args.port})
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
