"""The proxy: HTTP JSON-RPC and /health to the node, PubSub websockets pumped both ways.

A request's body is read whole (Agave's 50 MiB limit) and sent on as is; the node's answer is
streamed back unchanged: status, headers (but the hop-by-hop ones) and body, compression
included. Nothing is parsed on the way, but an error's body: when the node does not answer, the
client gets 502 (504 on a timeout) with a JSON-RPC error per request id.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import weakref
from typing import Any

import aiohttp
from aiohttp import WSCloseCode, WSMsgType, web
from multidict import CIMultiDict
from yarl import URL

from chainops.rpcgateway import disks
from chainops.rpcgateway.meter import Meter

MAX_BODY = 50 * 1024 * 1024  # Agave's MAX_REQUEST_BODY_SIZE
WHOLE_BODY = 256 * 1024  # answers up to this size are read whole, larger ones streamed
MAX_CLIENT_MESSAGE = 1 << 20  # a PubSub request; the node's notifications have no limit here
INTERNAL_ERROR = -32603  # JSON-RPC's code, as the node answered no request
# The client's headers the node reads; the rest (Host, Connection, ...) are this hop's.
REQUEST_HEADERS = ("Content-Type", "Accept", "Accept-Encoding", "Content-Encoding")
# The node's headers that are not the answer's: hop-by-hop, or set by this server.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "date",
        "server",
    }
)


def error_body(body: bytes, message: str) -> bytes:
    """JSON-RPC errors for the request(s) in `body`: one per request of a batch, else one (id
    null when the body is not a request)."""
    try:
        payload: Any = json.loads(body)
    except ValueError:
        payload = None

    def error(request: Any) -> dict[str, Any]:
        request_id = request.get("id") if isinstance(request, dict) else None
        return {
            "jsonrpc": "2.0",
            "error": {"code": INTERNAL_ERROR, "message": message},
            "id": request_id,
        }

    if isinstance(payload, list) and payload:
        return json.dumps([error(item) for item in payload]).encode()
    return json.dumps(error(payload)).encode()


class Proxy:
    """The gateway's handlers around one node; `session` is shared by every request."""

    def __init__(  # noqa: PLR0913 - keyword-only: the parts the handlers use
        self,
        *,
        session: aiohttp.ClientSession,
        rpc_url: str,
        pubsub_url: str,
        timeout_s: float,
        meter: Meter,
        disk_watch: disks.Watch | None = None,
    ) -> None:
        self._session = session
        self._rpc_url = URL(rpc_url)
        self._health_url = self._rpc_url.with_path("/health")
        self._pubsub_url = pubsub_url
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._meter = meter
        self._disk_watch = disk_watch or disks.Watch()
        self._websockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

    def rpc_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post("/", self.rpc)
        app.router.add_get("/health", self.health)
        return app

    def pubsub_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.pubsub)
        app.on_shutdown.append(self._close_websockets)
        return app

    # -- HTTP ---------------------------------------------------------------------------
    async def rpc(self, request: web.Request) -> web.StreamResponse:
        """A JSON-RPC request (or batch), counted and timed until its answer is sent."""
        started = time.perf_counter()
        failed = False
        try:
            response, failed = await self._forward(request, self._rpc_url)
            return response
        finally:
            self._meter.request(started, failed=failed)

    async def health(self, request: web.Request) -> web.StreamResponse:
        """The node's /health (load balancer checks: not counted as requests), unless a watched
        filesystem is fuller than allowed: then 503 naming it, so the load balancer and the
        roll's check take the node out before it stops writing its ledger."""
        if full := self._disk_watch.over():
            reasons = ", ".join(usage.describe() for usage in full)
            limit = f"{self._disk_watch.max_used_percent:g}"
            text = f"disk full: {reasons} (limit {limit}%)"
            return await _send(request, web.Response(status=503, text=text))
        response, _ = await self._forward(request, self._health_url)
        return response

    async def _forward(self, request: web.Request, url: URL) -> tuple[web.StreamResponse, bool]:
        """The node's answer sent to the client; True with it if the node failed to answer."""
        body = await request.read()
        headers = {
            name: request.headers[name] for name in REQUEST_HEADERS if name in request.headers
        }
        try:
            upstream = await self._session.request(
                request.method, url, data=body, headers=headers, timeout=self._timeout
            )
        except TimeoutError:
            return await self._unavailable(request, body, 504, "timed out"), True
        except aiohttp.ClientError as error:
            why = str(error) or type(error).__name__
            return await self._unavailable(request, body, 502, why), True
        async with upstream:
            status, reason, length = upstream.status, upstream.reason, upstream.content_length
            answer = CIMultiDict(
                (name, value)
                for name, value in upstream.headers.items()
                if name.lower() not in HOP_BY_HOP
            )
            if length is not None and length <= WHOLE_BODY:
                # Most answers: read whole, then sent in one write with the headers.
                try:
                    content = await upstream.read()
                except (aiohttp.ClientError, TimeoutError) as error:
                    return await self._unavailable(request, body, 502, str(error)), True
                whole = web.Response(status=status, reason=reason, headers=answer, body=content)
                return await _send(request, whole), False
            response = web.StreamResponse(status=status, reason=reason, headers=answer)
            if length is not None:
                response.content_length = length
            with contextlib.suppress(ConnectionResetError):  # the client went away
                await response.prepare(request)
                while chunk := await _read(upstream):
                    await response.write(chunk)
                if chunk is None:  # the node broke off: the client sees the connection cut
                    if request.transport is not None:
                        request.transport.close()
                    return response, True
                await response.write_eof()
        return response, False

    @staticmethod
    async def _unavailable(
        request: web.Request, body: bytes, status: int, why: str
    ) -> web.StreamResponse:
        message = f"upstream RPC node unavailable: {why}"
        return await _send(
            request,
            web.Response(
                status=status, body=error_body(body, message), content_type="application/json"
            ),
        )

    # -- PubSub -------------------------------------------------------------------------
    async def pubsub(self, request: web.Request) -> web.StreamResponse:
        """A client's websocket, joined to one of its own to the node until either closes."""
        counters = self._meter.counters
        client = web.WebSocketResponse(max_msg_size=MAX_CLIENT_MESSAGE, autoping=True)
        if not client.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="expected a websocket upgrade")
        try:
            upstream = await self._session.ws_connect(
                self._pubsub_url, max_msg_size=0, autoping=True
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            counters.websockets_refused += 1
            status = error.status if isinstance(error, aiohttp.WSServerHandshakeError) else 502
            return web.Response(
                status=status,
                body=error_body(b"", f"upstream PubSub unavailable: {error}"),
                content_type="application/json",
            )
        counters.websockets += 1
        self._websockets.add(client)
        try:
            await client.prepare(request)
            await _join(client, upstream)
        finally:
            await upstream.close()
            await client.close()
        return client

    async def _close_websockets(self, app: web.Application) -> None:
        """On shutdown: every client told the server is going away (their pumps then end)."""
        await asyncio.gather(
            *(ws.close(code=WSCloseCode.GOING_AWAY) for ws in list(self._websockets)),
            return_exceptions=True,
        )


async def _send(request: web.Request, response: web.Response) -> web.Response:
    """Sent here rather than after the handler returns, so the request's time includes it."""
    with contextlib.suppress(ConnectionResetError):  # the client went away
        await response.prepare(request)
        await response.write_eof()
    return response


async def _read(upstream: aiohttp.ClientResponse) -> bytes | None:
    """The next chunk of the node's answer, b"" at its end, None if the node broke off."""
    try:
        return await upstream.content.readany()
    except (aiohttp.ClientError, TimeoutError):
        return None


Socket = web.WebSocketResponse | aiohttp.ClientWebSocketResponse


async def _join(client: web.WebSocketResponse, upstream: aiohttp.ClientWebSocketResponse) -> None:
    """Pump messages both ways until one side closes; then close the other with its code."""
    pumps = [
        asyncio.create_task(_pump(client, upstream)),
        asyncio.create_task(_pump(upstream, client)),
    ]
    try:
        done, _ = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
    closed = next(iter(done))
    source, sink = (client, upstream) if closed is pumps[0] else (upstream, client)
    code = source.close_code or WSCloseCode.OK
    with contextlib.suppress(Exception):
        await sink.close(code=code if code in _SENDABLE else WSCloseCode.OK)


# Close codes an endpoint may send (RFC 6455 7.4.1: 1005, 1006 and 1015 are only reported).
_SENDABLE = frozenset(range(1000, 5000)) - {1004, 1005, 1006, 1015}


async def _pump(source: Socket, sink: Socket) -> None:
    """Every data message from `source` to `sink`, until `source` closes or fails."""
    with contextlib.suppress(ConnectionResetError, aiohttp.ClientError):
        async for message in source:
            if message.type == WSMsgType.TEXT:
                await sink.send_str(message.data)
            elif message.type == WSMsgType.BINARY:
                await sink.send_bytes(message.data)
            elif message.type == WSMsgType.ERROR:
                return
