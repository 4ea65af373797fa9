"""One lock over a set of moto methods: moto's server answers on many threads, its models lock
nothing, and a few of them corrupt or lose state when two requests interleave."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any


def serialise(owner: Any, methods: Iterable[str], lock: threading.RLock) -> None:
    """Replace each of `owner`'s `methods` by one that holds `lock` while it runs."""
    for name in methods:
        original = getattr(owner, name)

        @functools.wraps(original)
        def locked(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return __original(*args, **kwargs)

        setattr(owner, name, locked)
