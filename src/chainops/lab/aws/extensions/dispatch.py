"""Request dispatch that does not rescan moto's package for every request.

moto's server finds a request's service by listing its own package directory (an ``isdir`` for
each of some 200 entries) and matching the host against the URL patterns of every service, all
under one lock, for every request: about a tenth of the lab's time under the pipeline's calls
(`benchmarks/lab_aws.py --profile`). The answer depends on the host alone, so the lab keeps it
per host, and the module list once.
"""

from __future__ import annotations

import functools
from typing import Any

# Hosts are few (one per service and region, one per bucket addressed by virtual host).
HOSTS_REMEMBERED = 4096


def install() -> None:
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: iter(modules)
    original = DomainDispatcherApplication.get_backend_for_host

    @functools.lru_cache(maxsize=HOSTS_REMEMBERED)
    def backend_of(application: Any, host: str | None) -> Any:
        return original(application, host)

    @functools.wraps(original)
    def get_backend_for_host(self: Any, host: str | None) -> Any:
        return backend_of(self, host)

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host
