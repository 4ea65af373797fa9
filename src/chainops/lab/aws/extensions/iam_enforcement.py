"""IAM enforced on every request signed with credentials the lab issued.

moto enforces nothing unless INITIAL_NO_AUTH_ACTION_COUNT is set, and then for every caller,
with a resource of ``*`` for all services but S3 and SQS, no condition but the trust policy's,
and no resource policy. The lab instead has two kinds of caller:

- the lab administrator (the lab's well-known credentials, ``chainops.lab.settings``): the
  account's root, which Terraform, Ansible and the tests use, as an administrator does on AWS;
  it also stands for the AWS services (EC2, ECS) that assume roles for instances and tasks;
- every key the lab issued: role sessions from its STS (AssumeRole, the lab hosts' instance
  metadata) and IAM users' access keys. Their requests are signed (SigV4, checked), their
  session must not have expired, and each is evaluated by ``policy_evaluation`` against the
  caller's identity policies and the resource's policy (S3 bucket, SQS queue, KMS key, the
  role's trust policy for AssumeRole), on the resource ARN AWS authorises it on.

A key the lab never issued is refused as AWS refuses it (InvalidClientTokenId).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

from werkzeug.exceptions import HTTPException

from chainops.lab.aws.extensions.policy_evaluation import Caller, Decision, Request, evaluate
from chainops.lab.settings import LAB_ACCESS_KEY

log = logging.getLogger(__name__)

# The signing name in a request's credential scope -> the IAM service prefix of its actions.
_IAM_PREFIX = {"monitoring": "cloudwatch", "email": "ses"}
# moto's S3 action names that AWS authorises as another action.
_S3_ACTIONS = {
    "HeadBucket": "ListBucket",
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
}
# Actions AWS allows whatever the policies say.
_ALWAYS_ALLOWED = frozenset({"sts:GetCallerIdentity"})


class _Refusal(Exception):
    def __init__(self, code: str, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _access_key(response: Any) -> tuple[str | None, str | None]:
    """The access key id and signing service of a request (header or presigned URL)."""
    authorization = response.headers.get("Authorization") or ""
    scope = ""
    if "Credential=" in authorization:
        scope = authorization.split("Credential=", 1)[1].split(",", 1)[0]
    else:
        query = parse_qs(urlparse(response.uri).query)
        scope = (query.get("X-Amz-Credential") or [""])[0]
    parts = scope.split("/")
    return (parts[0], parts[3]) if len(parts) >= 4 else (None, None)


def _session(account: str, access_key: str) -> Any | None:
    from moto.sts.models import sts_backends

    for backend in sts_backends[account].values():
        for role in backend.assumed_roles:
            if role.access_key_id == access_key:
                return role
    return None


def _user_name(iam: Any, access_key: str) -> str | None:
    for user in iam.users.values():
        if any(key.access_key_id == access_key for key in user.access_keys):
            return str(user.name)
    return None


def _documents(policies: Any) -> list[dict[str, Any]]:
    """Policy JSON of moto's inline (str) and managed (Policy) policies."""
    found = []
    for policy in policies:
        if isinstance(policy, str):
            document = policy
        else:
            document = next(v.document for v in policy.versions if v.is_default)
        found.append(json.loads(document))
    return found


def _role_policies(iam: Any, role_name: str) -> list[dict[str, Any]]:
    role = iam.get_role(role_name)
    inline = list(role.policies.values())
    return _documents([*inline, *role.managed_policies.values()])


def _user_policies(iam: Any, user_name: str) -> list[dict[str, Any]]:
    user = iam.get_user(user_name)
    found: list[Any] = [*user.policies.values(), *user.managed_policies.values()]
    for group in iam.get_groups_for_user(user_name):
        found += [*group.policies.values(), *group.managed_policies.values()]
    return _documents(found)


def _caller(response: Any, access_key: str) -> tuple[Caller, list[dict[str, Any]]]:
    """The signer of a lab-issued key and its identity policies; refuses keys never issued."""
    from moto.iam.models import iam_backends

    account = response.current_account
    iam = iam_backends[account]["aws"]
    session = _session(account, access_key)
    if session is not None:
        if session.expiration <= datetime.now(UTC).replace(tzinfo=None):
            raise _Refusal(
                "ExpiredToken", "The security token included in the request is expired", 400
            )
        token = response.headers.get("X-Amz-Security-Token") or _query(
            response, "X-Amz-Security-Token"
        )
        if token != session.session_token:
            raise _Refusal(
                "InvalidClientTokenId", "The security token included in the request is invalid."
            )
        role_name = session.role_arn.rsplit("/", 1)[-1]
        try:
            policies = _role_policies(iam, role_name)
        except Exception:
            policies = []
        caller = Caller(arn=session.arn, account=account, role_arn=session.role_arn)
        return caller, policies
    user_name = _user_name(iam, access_key)
    if user_name is None:
        raise _Refusal(
            "InvalidClientTokenId", "The security token included in the request is invalid."
        )
    caller = Caller(arn=f"arn:aws:iam::{account}:user/{user_name}", account=account)
    return caller, _user_policies(iam, user_name)


def _query(response: Any, name: str) -> str | None:
    values = parse_qs(urlparse(response.uri).query).get(name)
    return values[0] if values else None


def _param(response: Any, name: str) -> Any:
    with contextlib.suppress(Exception):
        return response._get_param(name)
    return None


def _arn(service: str, response: Any, resource: str) -> str:
    return f"arn:aws:{service}:{response.region}:{response.current_account}:{resource}"


def _dynamodb_resources(response: Any, action: str) -> list[str]:
    if action in ("BatchGetItem", "BatchWriteItem"):
        tables = list((_param(response, "RequestItems") or {}).keys())
    elif action in ("TransactGetItems", "TransactWriteItems"):
        tables = [
            next(iter(item.values())).get("TableName", "")
            for item in _param(response, "TransactItems") or []
        ]
    else:
        tables = [_param(response, "TableName") or ""]
    return [_arn("dynamodb", response, f"table/{t}") if t else "*" for t in tables]


def _kinesis_resources(response: Any, action: str) -> list[str]:
    for name in ("ConsumerARN", "StreamARN"):
        if value := _param(response, name):
            return [str(value)]
    stream = _param(response, "StreamName")
    if not stream and (iterator := _param(response, "ShardIterator")):
        from moto.kinesis.utils import decompose_shard_iterator

        with contextlib.suppress(Exception):
            stream = decompose_shard_iterator(iterator)[0]
    return [_arn("kinesis", response, f"stream/{stream}")] if stream else ["*"]


def _kms_key(response: Any) -> Any | None:
    from moto.kms.models import kms_backends

    backend = kms_backends[response.current_account][response.region]
    key_id = _param(response, "KeyId")
    if not key_id and (blob := _param(response, "CiphertextBlob")):
        from moto.kms.utils import _deserialize_ciphertext_blob

        with contextlib.suppress(Exception):
            key_id = _deserialize_ciphertext_blob(base64.b64decode(blob)).key_id
    if not key_id:
        return None
    with contextlib.suppress(Exception):
        return backend.describe_key(backend.any_id_to_key_id(key_id))
    return None


def _simple(service: str, kind: str, param: str) -> Callable[[Any, str], list[str]]:
    def resources(response: Any, action: str) -> list[str]:
        value = _param(response, param)
        return [_arn(service, response, f"{kind}{str(value).lstrip('/')}")] if value else ["*"]

    return resources


_RESOURCES: dict[str, Callable[[Any, str], list[str]]] = {
    "dynamodb": _dynamodb_resources,
    "kinesis": _kinesis_resources,
    "ssm": _simple("ssm", "parameter/", "Name"),
    "logs": _simple("logs", "log-group:", "logGroupName"),
}


def _resources(service: str, action: str, response: Any, moto_resource: str) -> list[str]:
    if service in ("s3", "sqs", "sts") and moto_resource:
        return [moto_resource]
    if service == "kms":
        key = _kms_key(response)
        return [key.arn] if key is not None else ["*"]
    if service == "secretsmanager" and (secret := _param(response, "SecretId")):
        if str(secret).startswith("arn:"):
            return [str(secret)]
        from moto.secretsmanager.models import secretsmanager_backends

        backend = secretsmanager_backends[response.current_account][response.region]
        with contextlib.suppress(Exception):
            return [str(backend.describe_secret(secret).arn)]
    derive = _RESOURCES.get(service)
    return derive(response, action) if derive else ["*"]


def _resource_policy(
    service: str, resource: str, response: Any
) -> tuple[dict[str, Any] | None, bool]:
    """The resource's own policy, and whether it must allow (KMS key, role trust)."""
    with contextlib.suppress(Exception):
        if service == "s3" and resource.startswith("arn:aws:s3:::"):
            from moto.s3.models import s3_backends

            bucket = resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
            policy = s3_backends[response.current_account]["aws"].get_bucket(bucket).policy
            return (json.loads(policy) if policy else None), False
        if service == "sqs" and resource.startswith("arn:aws:sqs:"):
            from moto.sqs.models import sqs_backends

            queue = sqs_backends[response.current_account][response.region].get_queue(
                resource.rsplit(":", 1)[-1]
            )
            return (json.loads(queue.policy) if queue.policy else None), False
        if service == "kms":
            key = _kms_key(response)
            return (json.loads(key.policy) if key is not None else None), key is not None
        if service == "sts" and ":role/" in resource:
            from moto.iam.models import iam_backends

            role = iam_backends[response.current_account]["aws"].get_role_by_arn(resource)
            return json.loads(role.assume_role_policy_document), True
    return None, False


# Data-plane calls that use the resource's KMS key on the caller's behalf: AWS checks the
# caller's right to the key action too, with kms:ViaService naming the service.
_KEY_USES: dict[str, dict[str, str]] = {
    "kinesis": {"PutRecord": "GenerateDataKey", "PutRecords": "GenerateDataKey",
                "GetRecords": "Decrypt"},
    "sqs": {"SendMessage": "GenerateDataKey", "SendMessageBatch": "GenerateDataKey",
            "ReceiveMessage": "Decrypt"},
    "s3": {"PutObject": "GenerateDataKey", "GetObject": "Decrypt"},
    "dynamodb": dict.fromkeys(
        ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
         "BatchWriteItem", "TransactGetItems", "TransactWriteItems"),
        "Decrypt",
    ),
    "secretsmanager": {"GetSecretValue": "Decrypt", "PutSecretValue": "GenerateDataKey"},
}  # fmt: skip
# Each service's refusal when the key use is denied, as AWS answers it.
_KEY_DENIED_CODES = {
    "kinesis": "KMSAccessDeniedException",
    "sqs": "KMS.AccessDeniedException",
    "s3": "AccessDenied",
    "dynamodb": "AccessDeniedException",
    "secretsmanager": "AccessDeniedException",
}


def _resource_key(service: str, resource: str, response: Any) -> str | None:
    """The KMS key id or ARN protecting ``resource``, if a customer key does."""
    account, region = response.current_account, response.region
    name = resource.rsplit("/", 1)[-1]
    if service == "kinesis":
        from moto.kinesis.models import kinesis_backends

        stream = kinesis_backends[account][region].describe_stream(
            stream_arn=None, stream_name=name
        )
        return stream.key_id if stream.encryption_type == "KMS" else None
    if service == "sqs":
        from moto.sqs.models import sqs_backends

        queue = sqs_backends[account][region].get_queue(resource.rsplit(":", 1)[-1])
        return getattr(queue, "kms_master_key_id", None) or None
    if service == "dynamodb":
        from moto.dynamodb.models import dynamodb_backends

        sse = dynamodb_backends[account][region].get_table(name).sse_specification or {}
        return sse.get("KMSMasterKeyId") if sse.get("SSEType") == "KMS" else None
    if service == "s3":
        return _s3_key(resource, response)
    if service == "secretsmanager":
        from moto.secretsmanager.models import secretsmanager_backends

        kms_key_id = secretsmanager_backends[account][region].describe_secret(resource).kms_key_id
        return str(kms_key_id) if kms_key_id else None
    return None


def _s3_key(resource: str, response: Any) -> str | None:
    from moto.s3.models import s3_backends

    bucket_name, _, key_name = resource.removeprefix("arn:aws:s3:::").partition("/")
    bucket = s3_backends[response.current_account]["aws"].get_bucket(bucket_name)
    if response.method == "PUT":
        if response.headers.get("x-amz-server-side-encryption") == "aws:kms":
            return str(response.headers.get("x-amz-server-side-encryption-aws-kms-key-id") or "")
        rules = (bucket.encryption or {}).get("Rule") or []
        for rule in rules if isinstance(rules, list) else [rules]:
            default = rule.get("ApplyServerSideEncryptionByDefault") or {}
            if default.get("SSEAlgorithm") == "aws:kms":
                return str(default.get("KMSMasterKeyID") or "")
        return None
    key = bucket.keys.get(key_name)
    return key.kms_key_id if key is not None and key.encryption == "aws:kms" else None


def _customer_key(response: Any, key_id: str) -> Any | None:
    """The customer managed key behind an id, ARN or alias; None for AWS managed keys (their
    policy lets every principal of the account use them through the service)."""
    from moto.kms.models import kms_backends

    backend = kms_backends[response.current_account][response.region]
    with contextlib.suppress(Exception):
        key = backend.describe_key(backend.any_id_to_key_id(key_id))
        if key.key_manager == "CUSTOMER" and key.policy:
            return key
    return None


@dataclass(frozen=True)
class _Signer:
    caller: Caller
    policies: list[dict[str, Any]]


def _check_key_use(service: str, name: str, resource: str, response: Any, signer: _Signer) -> None:
    key_action = _KEY_USES.get(service, {}).get(name)
    if key_action is None:
        return
    key_id = None
    with contextlib.suppress(Exception):
        key_id = _resource_key(service, resource, response)
    key = _customer_key(response, key_id) if key_id else None
    if key is None:
        return
    action = f"kms:{key_action}"
    via = f"{service}.{response.region}.amazonaws.com"
    caller = signer.caller
    context = {
        **_context(response, caller, action),
        "kms:viaservice": (via,),
        "kms:calleraccount": (caller.account,),
        "kms:resourcealiases": tuple(key.aliases),
    }
    request = Request(caller=caller, action=action, resource=key.arn, context=context)
    decision = evaluate(request, signer.policies, json.loads(key.policy), key_policy=True)
    if decision is not Decision.ALLOW:
        log.warning("denied %s via %s on %s to %s (%s)", action, via, key.arn, caller.arn, decision)
        raise _Refusal(
            _KEY_DENIED_CODES[service], _denial_message(caller, action, key.arn, decision)
        )


def _context(response: Any, caller: Caller, iam_action: str) -> dict[str, tuple[str, ...]]:
    context: dict[str, tuple[str, ...]] = {
        "aws:securetransport": ("true",),  # the lab's HTTP endpoint stands in for AWS's TLS
        "aws:principalarn": (caller.role_arn or caller.arn,),
        "aws:principalaccount": (caller.account,),
        "aws:requestedregion": (response.region,),
        "aws:currenttime": (datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),),
    }
    if iam_action == "cloudwatch:PutMetricData" and (namespace := _param(response, "Namespace")):
        context["cloudwatch:namespace"] = (str(namespace),)
    if iam_action == "s3:ListBucket" and (prefix := _query(response, "prefix")) is not None:
        context["s3:prefix"] = (prefix,)
    if iam_action.startswith("kms:") and (key := _kms_key(response)) is not None:
        context["kms:resourcealiases"] = tuple(key.aliases)
    return context


def _denial_message(caller: Caller, action: str, resource: str, decision: Decision) -> str:
    why = (
        "with an explicit deny in a policy"
        if decision is Decision.EXPLICIT_DENY
        else "because no policy allows the action"
    )
    return (
        f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource} {why}"
    )


def authorize(response: Any, moto_resource: str) -> None:
    """Refuse the request (``_Refusal``) unless AWS would allow it."""
    access_key, scope = _access_key(response)
    if access_key is None:
        _authorize_anonymous(response, moto_resource)
        return
    if access_key == LAB_ACCESS_KEY:
        return  # the lab administrator
    caller, policies = _caller(response, access_key)
    _check_signature(response, access_key)
    service = scope or response.service_name
    prefix = _IAM_PREFIX.get(service, service)
    name = response._get_action()
    if prefix == "s3":
        name = _S3_ACTIONS.get(name, name)
    action = f"{prefix}:{name}"
    if action in _ALWAYS_ALLOWED:
        return
    context = _context(response, caller, action)
    for resource in _resources(prefix, name, response, moto_resource):
        resource_policy, required = _resource_policy(prefix, resource, response)
        request = Request(caller=caller, action=action, resource=resource, context=context)
        decision = evaluate(request, policies, resource_policy, key_policy=required)
        if decision is not Decision.ALLOW:
            log.warning("denied %s on %s to %s (%s)", action, resource, caller.arn, decision)
            code = (
                "AccessDenied" if prefix in ("s3", "sts", "iam", "sqs") else "AccessDeniedException"
            )
            if prefix == "ec2":
                code = "UnauthorizedOperation"
            raise _Refusal(code, _denial_message(caller, action, resource, decision))
        _check_key_use(prefix, name, resource, response, _Signer(caller, policies))


# Calls AWS takes unsigned: the caller proves who it is with a token, not a key.
_UNSIGNED_ACTIONS = frozenset({"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"})
ANONYMOUS = Caller(arn="anonymous", account="")


def _authorize_anonymous(response: Any, moto_resource: str) -> None:
    """An unsigned request: S3 serves it when the bucket policy allows everyone ("*"), STS
    takes its token-based calls; everything else wants a signature, as on AWS."""
    name = response._get_action()
    if response.service_name == "sts" and name in _UNSIGNED_ACTIONS:
        return
    if response.service_name != "s3":
        raise _Refusal("MissingAuthenticationToken", "Request is missing Authentication Token")
    action = f"s3:{_S3_ACTIONS.get(name, name)}"
    policy, _ = _resource_policy("s3", moto_resource, response)
    request = Request(caller=ANONYMOUS, action=action, resource=moto_resource)
    if evaluate(request, [], policy) is not Decision.ALLOW:
        raise _Refusal("AccessDenied", "Access Denied")


def _check_signature(response: Any, access_key: str) -> None:
    """SigV4 as moto computes it for keys it knows (role sessions and users)."""
    from moto.iam.access_control import IAMRequest, S3IAMRequest

    request_class = S3IAMRequest if response.service_name == "s3" else IAMRequest
    if "Authorization" not in response.headers:
        return  # presigned: the query signature is moto's to check
    parsed = urlparse(response.uri)
    path = response.raw_path + (f"?{parsed.query}" if parsed.query else "")
    try:
        request_class(
            account_id=response.current_account,
            method=response.method,
            path=path,
            data=response.data,
            body=response.raw_body,
            headers=response.headers,
            action=response._get_action(),
        ).check_signature()
    except HTTPException:
        raise _Refusal(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        ) from None


class _Denied(HTTPException):
    """A refusal already serialised in the request's protocol."""

    def __init__(self, status: int, body: str | bytes, headers: dict[str, str]) -> None:
        super().__init__(description=body)  # type: ignore[arg-type]
        self.code = status
        self._headers = headers

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return list(self._headers.items())

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        return self.description or ""


@cache
def _service_exception() -> type[Exception]:
    """moto's serialisable error, defined outside moto so no other service's model claims it."""
    from moto.core.exceptions import ServiceException

    return type("LabRefusal", (ServiceException,), {"__module__": __name__})


def service_error(response: Any, code: str, message: str, status: int) -> HTTPException:
    """An error answer in the request's protocol, to raise from the authorisation hook."""
    return _error(response, _Refusal(code, message, status))


def _error(response: Any, refusal: _Refusal) -> _Denied:
    """The refusal as the service answers it: S3's XML, or the protocol the caller spoke."""
    if response.service_name == "s3":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'
            f"{escape(refusal.code)}</Code><Message>{escape(refusal.message)}</Message></Error>"
        )
        return _Denied(refusal.status, body, {"Content-Type": "application/xml"})
    from moto.core.responses import ActionResult

    _, headers, body = response.serialized(
        ActionResult(_service_exception()(refusal.code, refusal.message))
    )
    headers = {k: str(v) for k, v in headers.items() if k.lower() != "status"}
    response.response_headers.update(headers)
    return _Denied(refusal.status, body, headers)


def install() -> None:
    from moto.core.authorization import ActionAuthenticatorMixin

    def authenticate_and_authorize(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        try:
            authorize(self, resource)
        except _Refusal as refusal:
            raise _error(self, refusal) from None

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate_and_authorize
