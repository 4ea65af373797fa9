#!/usr/bin/python
"""Wait until a Solana RPC node is healthy and caught up with reference endpoints."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: solana_catchup
short_description: Wait until a Solana RPC node is caught up with reference endpoints
description:
  - getHealth alone reports ok while a node trails the cluster by up to 128 slots. This module
    polls the node's getSlot and the highest getSlot of the reference endpoints, and succeeds once
    the node answers getHealth ok and trails by at most I(max_lag) slots for I(window) seconds in
    a row.
  - With no references, the node must answer getHealth ok and its slot must advance over the window.
  - Needs only Python on the node (its HTTP client is Ansible's module_utils, shipped with it).
options:
  url:
    description: The node's JSON-RPC endpoint.
    type: str
    default: http://127.0.0.1:8899
  reference_urls:
    description: Independent JSON-RPC endpoints of the same cluster.
    type: list
    elements: str
    default: []
  max_lag:
    description: The most slots the node may trail the highest reference by.
    type: int
    default: 50
  window:
    description: Seconds the node must stay within I(max_lag), in a row.
    type: int
    default: 10
  timeout:
    description: Seconds to wait in all before failing.
    type: int
    default: 600
  interval:
    description: Seconds between polls.
    type: float
    default: 1.0
  require_reference:
    description:
      - Fail when no reference answers. When false, a node with no answering reference (the
        first node of a fleet whose peers are its references) must answer getHealth ok and
        advance its slot over the window instead.
    type: bool
    default: true
  commitment:
    description: The commitment of the slots compared.
    type: str
    choices: [processed, confirmed, finalized]
    default: processed
author: chainops contributors (@chainops)
"""

EXAMPLES = r"""
- name: Wait for the node to be caught up with mainnet
  chainops.platform.solana_catchup:
    reference_urls: [https://api.mainnet-beta.solana.com]
    max_lag: 50
    window: 30
"""

RETURN = r"""
slot:
  description: The node's last slot.
  returned: always
  type: int
reference_slot:
  description: The highest reference slot at the last poll (null with no references).
  returned: always
  type: int
lag:
  description: Slots the node trailed by at the last poll.
  returned: always
  type: int
waited:
  description: Seconds spent waiting.
  returned: always
  type: float
"""

import json
import time
import urllib.error
from typing import Any

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import ConnectionError as UrlConnectionError
from ansible.module_utils.urls import SSLValidationError, open_url


class RpcUnavailable(Exception):
    """The endpoint did not answer, or answered an error."""


def rpc(url: str, method: str, params: list[Any], timeout: float = 5.0) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    try:
        headers = {"Content-Type": "application/json"}
        with open_url(url, data=body, headers=headers, method="POST", timeout=timeout) as response:
            answer = json.loads(response.read())
    except (
        urllib.error.URLError, UrlConnectionError, SSLValidationError, OSError, ValueError
    ) as exc:  # fmt: skip
        raise RpcUnavailable(f"{url}: {exc}") from exc
    if "error" in answer:
        raise RpcUnavailable(f"{url}: {method}: {answer['error'].get('message')}")
    return answer["result"]


def poll(
    url: str, references: list[str], commitment: str, *, require_reference: bool = True
) -> tuple[int, int | None]:
    """The node's slot and the highest reference slot (None when no reference answers)."""
    if rpc(url, "getHealth", []) != "ok":
        raise RpcUnavailable(f"{url}: getHealth is not ok")
    slot = int(rpc(url, "getSlot", [{"commitment": commitment}]))
    seen = []
    for reference in references:
        try:
            seen.append(int(rpc(reference, "getSlot", [{"commitment": commitment}])))
        except RpcUnavailable:
            continue
    if references and not seen and require_reference:
        raise RpcUnavailable("no reference endpoint answered")
    return slot, (max(seen) if seen else None)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "url": {"type": "str", "default": "http://127.0.0.1:8899"},
            "reference_urls": {"type": "list", "elements": "str", "default": []},
            "max_lag": {"type": "int", "default": 50},
            "window": {"type": "int", "default": 10},
            "timeout": {"type": "int", "default": 600},
            "interval": {"type": "float", "default": 1.0},
            "require_reference": {"type": "bool", "default": True},
            "commitment": {
                "type": "str",
                "default": "processed",
                "choices": ["processed", "confirmed", "finalized"],
            },
        },
        supports_check_mode=True,
    )
    p = module.params
    start = time.monotonic()
    within_since: float | None = None
    first_slot: int | None = None
    slot, reference, lag, last_error = 0, None, 0, "no poll yet"
    while time.monotonic() - start < p["timeout"]:
        now = time.monotonic()
        try:
            slot, reference = poll(
                p["url"],
                p["reference_urls"],
                p["commitment"],
                require_reference=p["require_reference"],
            )
        except RpcUnavailable as exc:
            within_since, first_slot, last_error = None, None, str(exc)
        else:
            lag = max(0, reference - slot) if reference is not None else 0
            if lag <= p["max_lag"]:
                within_since = now if within_since is None else within_since
                first_slot = slot if first_slot is None else first_slot
                advancing = reference is not None or slot > first_slot
                if now - within_since >= p["window"] and advancing:
                    module.exit_json(
                        changed=False,
                        slot=slot,
                        reference_slot=reference,
                        lag=lag,
                        waited=round(now - start, 1),
                    )
            else:
                within_since, first_slot = None, None
                last_error = f"{lag} slots behind (slot {slot}, reference {reference})"
        time.sleep(p["interval"])
    module.fail_json(
        msg=f"not caught up within {p['timeout']} s: {last_error}",
        slot=slot,
        reference_slot=reference,
        lag=lag,
        waited=round(time.monotonic() - start, 1),
    )


if __name__ == "__main__":
    main()
