"""Kinesis: the Tags of CreateStream kept on the stream.

moto 5.2.5 ignores CreateStream's ``Tags`` (ListTagsForStream answers none), while the
Terraform provider tags a new stream in CreateStream only. Every plan after the apply then
showed the stream's tags, default_tags included, as still to be added.

The lab stores them as AddTagsToStream would.
"""

from __future__ import annotations

import functools
from typing import Any


def install() -> None:
    from moto.kinesis.responses import KinesisResponse

    original = KinesisResponse.create_stream

    @functools.wraps(original)
    def create_stream(self: Any) -> Any:
        result = original(self)
        tags = self._get_param("Tags")
        if tags:
            self.kinesis_backend.add_tags_to_stream(
                stream_arn=None, stream_name=self._get_param("StreamName"), tags=dict(tags)
            )
        return result

    KinesisResponse.create_stream = create_stream
