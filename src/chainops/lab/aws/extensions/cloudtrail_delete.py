"""CloudTrail: DeleteTrail by ARN deletes the trail, and an unknown trail is an error.

moto 5.2.5 deletes a trail only when the Name it is given is the trail's name, and answers
success for anything else: the AWS provider deletes by ARN (its resource id), so a destroy
"succeeded" and left the trail behind. AWS takes the name or the ARN and answers
TrailNotFoundException for a trail it does not have; the lab does the same.
"""

from __future__ import annotations

import functools
from typing import Any


def install() -> None:
    from moto.cloudtrail.models import CloudTrailBackend

    delete_trail = CloudTrailBackend.delete_trail

    @functools.wraps(delete_trail)
    def delete(self: Any, name: str) -> None:
        trail = self.get_trail(name)  # by name or ARN; TrailNotFoundException otherwise
        delete_trail(self, trail.trail_name)

    CloudTrailBackend.delete_trail = delete
