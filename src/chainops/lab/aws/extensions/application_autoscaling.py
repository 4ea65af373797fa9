"""Application Auto Scaling: tags on scalable targets.

moto lacks TagResource, UntagResource and ListTagsForResource (and ignores RegisterScalableTarget's
Tags), so ``aws_appautoscaling_target`` failed on read. Tags are kept per backend by ARN; an ARN
that names no registered target answers ResourceNotFoundException, as AWS does.
"""

from __future__ import annotations

import functools
import json
from typing import Any

_BACKEND_ATTR = "_chainops_target_tags"


def tags_of(backend: Any) -> dict[str, dict[str, str]]:
    tags: dict[str, dict[str, str]] = backend.__dict__.setdefault(_BACKEND_ATTR, {})
    return tags


def _target_arns(backend: Any) -> set[str]:
    return {target.arn for by_id in backend.targets.values() for target in by_id.values()}


def _checked_arn(self: Any) -> str:
    from moto.core.exceptions import JsonRESTError

    arn = str(self._get_param("ResourceARN") or "")
    if arn not in _target_arns(self.applicationautoscaling_backend):
        raise JsonRESTError("ResourceNotFoundException", f"No scalable target found for {arn}")
    return arn


def _list_tags_for_resource(self: Any) -> str:
    arn = _checked_arn(self)
    return json.dumps({"Tags": tags_of(self.applicationautoscaling_backend).get(arn, {})})


def _tag_resource(self: Any) -> str:
    arn = _checked_arn(self)
    tags_of(self.applicationautoscaling_backend).setdefault(arn, {}).update(
        self._get_param("Tags") or {}
    )
    return "{}"


def _untag_resource(self: Any) -> str:
    arn = _checked_arn(self)
    current = tags_of(self.applicationautoscaling_backend).get(arn, {})
    for key in self._get_param("TagKeys") or []:
        current.pop(key, None)
    return "{}"


def _register_with_tags(original: Any) -> Any:
    @functools.wraps(original)
    def register_scalable_target(self: Any) -> str:
        body: str = original(self)
        tags = self._get_param("Tags") or {}
        if tags:
            arn = json.loads(body)["ScalableTargetARN"]
            tags_of(self.applicationautoscaling_backend).setdefault(arn, {}).update(tags)
        return body

    return register_scalable_target


def install() -> None:
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse as Response

    Response.list_tags_for_resource = _list_tags_for_resource
    Response.tag_resource = _tag_resource
    Response.untag_resource = _untag_resource
    Response.register_scalable_target = _register_with_tags(Response.register_scalable_target)
