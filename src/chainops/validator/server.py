"""HTTP JSON-RPC, websocket PubSub and the fault endpoint around one Node."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from chainops.daemon import log_json
from chainops.validator import rpc
from chainops.validator.config import ValidatorConfig
from chainops.validator.faults import FAULTS_PATH
from chainops.validator.node import Node

log = logging.getLogger(__name__)
MAX_BODY = 50 * 1024 * 1024  # Agave's MAX_REQUEST_BODY_SIZE
_JSON = "application/json"


@dataclass(frozen=True)
class Endpoints:
    rpc_url: str
    ws_url: str


class Server:
    """Owns the node, both listeners and the overload accounting."""

    def __init__(self, config: ValidatorConfig) -> None:
        self.config = config
        self.node = Node(config)
        self._inflight = 0
        self._runners: list[web.AppRunner] = []

    # -- HTTP RPC ---------------------------------------------------------------------
    def _too_many(self) -> web.Response:
        retry = str(self.node.faults.retry_after_s)
        return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": retry})

    async def _rpc(self, request: web.Request) -> web.StreamResponse:
        faults = self.node.faults
        if faults.http_429 or self._inflight >= self.config.max_inflight:
            return self._too_many()
        self._inflight += 1
        try:
            if faults.slow_ms:
                await asyncio.sleep(faults.slow_ms / 1000)
            body = await request.read()
            return web.Response(body=await self._answer(body), content_type=_JSON)
        finally:
            self._inflight -= 1

    async def _answer(self, body: bytes) -> bytes:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return orjson.dumps(rpc.parse_error())
        if isinstance(payload, list):
            if not payload:
                return orjson.dumps(rpc.invalid_request())
            answers = [await rpc.call(self.node, item) for item in payload]
            return orjson.dumps([a for a in answers if a is not None])
        answer = await rpc.call(self.node, payload)
        return b"" if answer is None else orjson.dumps(answer)

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    # -- admin --------------------------------------------------------------------------
    async def _faults(self, request: web.Request) -> web.Response:
        faults = self.node.faults
        if request.method == "GET":
            return web.json_response(faults.as_dict())
        try:
            body: Any = await request.json()
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            dropped = 0
            if body.get("clear"):
                faults.__init__()  # type: ignore[misc]
            if "set" in body:
                faults.update(body["set"])
            if body.get("drop_websockets"):
                dropped = self.node.hub.drop_all()
        except (ValueError, json.JSONDecodeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        log.info("faults changed", extra={"faults": faults.as_dict(), "dropped": dropped})
        return web.json_response({**faults.as_dict(), "dropped": dropped})

    async def _stats(self, request: web.Request) -> web.Response:
        stats = self.node.stats
        return web.json_response(
            {
                "produced": stats.produced,
                "skipped": stats.skipped,
                "transactions": stats.transactions,
                "rejected": stats.rejected,
                "intervals_ms": stats.intervals_ms[-5000:],
                "execute_ms": stats.execute_ms[-5000:],
                "slot": self.node.ledger.slot_at("processed"),
            }
        )

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> Endpoints:
        rpc_app = web.Application(client_max_size=MAX_BODY)
        rpc_app.router.add_post("/", self._rpc)
        rpc_app.router.add_get("/health", self._health)
        rpc_app.router.add_route("*", FAULTS_PATH, self._faults)
        rpc_app.router.add_get("/chainops/stats", self._stats)
        ws_app = web.Application()
        ws_app.router.add_get("/", self.node.hub.handle)
        ports = []
        for app, port in ((rpc_app, self.config.rpc_port), (ws_app, self.config.ws_port)):
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await runner.setup()
            site = web.TCPSite(runner, self.config.bind, port, reuse_address=True)
            await site.start()
            self._runners.append(runner)
            server = site._server
            sockets = getattr(server, "sockets", None) or []
            ports.append(sockets[0].getsockname()[1])
        host = self.config.bind
        return Endpoints(f"http://{host}:{ports[0]}", f"ws://{host}:{ports[1]}")

    async def stop(self) -> None:
        await self.node.hub.close_all()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self.node.close()

    async def serve(
        self, stop: asyncio.Event, *, ready: asyncio.Future[Endpoints] | None = None
    ) -> None:
        """Run until `stop` is set: listeners first, then the slot loop."""
        endpoints = await self.start()
        log.info("validator listening", extra={"rpc": endpoints.rpc_url, "ws": endpoints.ws_url})
        if ready is not None:
            ready.set_result(endpoints)
        try:
            await self.node.run(stop)
        finally:
            await self.stop()
            stats = self.node.stats
            log.info(
                "validator stopped",
                extra={"produced": stats.produced, "transactions": stats.transactions},
            )


def run(config: ValidatorConfig) -> int:
    """The foreground service: JSON logs on stderr, clean exit on SIGTERM or SIGINT."""
    log_json()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await Server(config).serve(stop)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    return 0
