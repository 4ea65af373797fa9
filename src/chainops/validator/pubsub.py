"""PubSub over websockets: subscriptions and notifications with Agave's shapes and timing."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from aiohttp import WSMsgType, web
from solders.pubkey import Pubkey

from chainops.validator import encoding as enc
from chainops.validator import errors
from chainops.validator.errors import RpcError
from chainops.validator.ledger import COMMITMENTS, Block, Commitment, TxRecord
from chainops.validator.view import NodeView

log = logging.getLogger(__name__)
OUTBOX_LIMIT = 50_000

_KINDS = ("slot", "block", "logs", "signature", "account", "program")


@dataclass(slots=True)
class Subscription:
    id: int
    kind: str
    conn: Connection
    commitment: Commitment = "finalized"
    mentions: Pubkey | None = None
    votes: bool = False
    encoding: str = "json"
    details: str = "full"
    max_version: int | None = None
    rewards: bool = True
    signature: str = ""
    received: bool = False


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    outbox: asyncio.Queue[bytes] = field(default_factory=lambda: asyncio.Queue(OUTBOX_LIMIT))
    subs: dict[int, Subscription] = field(default_factory=dict)

    def send(self, data: bytes) -> None:
        try:
            self.outbox.put_nowait(data)
        except asyncio.QueueFull:
            # A consumer this far behind would make the node buffer without bound: Agave
            # also disconnects slow subscribers.
            log.warning("websocket outbox full, closing", extra={"subs": len(self.subs)})
            self.abort()

    def abort(self) -> None:
        transport = self.ws._req.transport if self.ws._req is not None else None
        if transport is not None:
            transport.abort()


def _notification(method: str, sub_id: int, result: bytes) -> bytes:
    return b"".join(
        (
            b'{"jsonrpc":"2.0","method":"',
            method.encode(),
            b'","params":{"result":',
            result,
            b',"subscription":',
            str(sub_id).encode(),
            b"}}",
        )
    )


def _with_context(slot: int, value: bytes) -> bytes:
    return b'{"context":{"slot":%d},"value":%s}' % (slot, value)


class Hub:
    """Every subscription of every connection, indexed for the node's events."""

    def __init__(self, node: NodeView) -> None:
        self.node = node
        self.ids = itertools.count()
        self.connections: set[Connection] = set()
        self.by_kind: dict[str, dict[int, Subscription]] = {k: {} for k in _KINDS}
        self.by_signature: dict[str, dict[int, Subscription]] = {}

    # -- connection handling -----------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        if (
            len(self.connections) >= self.node.config.max_ws_connections
            or self.node.faults.ws_reject
        ):
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "1"})
        ws = web.WebSocketResponse(max_msg_size=1 << 20, heartbeat=None)
        await ws.prepare(request)
        conn = Connection(ws)
        self.connections.add(conn)
        writer = asyncio.create_task(self._write(conn))
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self._on_text(conn, message.data)
                elif message.type == WSMsgType.ERROR:
                    break
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
            self._drop(conn)
        return ws

    async def _write(self, conn: Connection) -> None:
        with contextlib.suppress(ConnectionResetError, RuntimeError):
            while True:
                data = await conn.outbox.get()
                await conn.ws.send_frame(data, WSMsgType.TEXT)

    def _drop(self, conn: Connection) -> None:
        self.connections.discard(conn)
        for sub in list(conn.subs.values()):
            self._remove(sub)

    def drop_all(self) -> int:
        """The drop-websockets fault: cut every connection without a close frame."""
        dropped = list(self.connections)
        for conn in dropped:
            conn.abort()
        return len(dropped)

    async def close_all(self) -> None:
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close()

    # -- requests ---------------------------------------------------------------------------
    async def _on_text(self, conn: Connection, text: str) -> None:
        try:
            payload = orjson.loads(text)
        except orjson.JSONDecodeError:
            conn.send(orjson.dumps(_error(RpcError(errors.PARSE_ERROR, "Parse error"), None)))
            return
        requests = payload if isinstance(payload, list) else [payload]
        responses = [self._request(conn, r) for r in requests]
        conn.send(orjson.dumps(responses if isinstance(payload, list) else responses[0]))

    def _request(self, conn: Connection, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict) or request.get("jsonrpc") != "2.0":
            return _error(RpcError(errors.INVALID_REQUEST, "Invalid request"), None)
        request_id = request.get("id")
        method = request.get("method")
        params = request.get("params") or []
        try:
            if not isinstance(params, list):
                raise errors.invalid_params("params must be an array")
            if isinstance(method, str) and method.endswith("Unsubscribe"):
                kind = method.removesuffix("Unsubscribe")
                if kind not in _KINDS:
                    raise errors.method_not_found()
                result: Any = self._unsubscribe(conn, kind, params)
            elif isinstance(method, str) and method.endswith("Subscribe"):
                kind = method.removesuffix("Subscribe")
                if kind not in _KINDS:
                    raise errors.method_not_found()
                result = self._subscribe(conn, kind, params)
            else:
                raise errors.method_not_found()
        except RpcError as exc:
            return _error(exc, request_id)
        return {"jsonrpc": "2.0", "result": result, "id": request_id}

    def _unsubscribe(self, conn: Connection, kind: str, params: list[Any]) -> bool:
        sub_id = params[0] if params else None
        sub = conn.subs.get(sub_id) if isinstance(sub_id, int) else None
        if sub is None or sub.kind != kind:
            raise RpcError(errors.INVALID_PARAMS, "Invalid subscription id.")
        self._remove(sub)
        return True

    def _remove(self, sub: Subscription) -> None:
        sub.conn.subs.pop(sub.id, None)
        self.by_kind[sub.kind].pop(sub.id, None)
        if sub.kind == "signature":
            subs = self.by_signature.get(sub.signature)
            if subs is not None:
                subs.pop(sub.id, None)
                if not subs:
                    del self.by_signature[sub.signature]

    def _subscribe(self, conn: Connection, kind: str, params: list[Any]) -> int:
        sub = Subscription(next(self.ids), kind, conn)
        config = _config(params, 1)
        if kind in ("account", "program", "signature", "block", "logs"):
            sub.commitment = _commitment(config)
        if kind == "block":
            _block_params(sub, params[0] if params else None, config)
        elif kind == "logs":
            _logs_params(sub, params[0] if params else None)
        elif kind in ("account", "program"):
            sub.mentions = _pubkey(params[0] if params else None)
            sub.encoding = str(config.get("encoding") or "binary")
        elif kind == "signature":
            sub.signature = str(_signature(params[0] if params else None))
            sub.received = bool(config.get("enableReceivedNotification", False))
        elif params:
            raise errors.invalid_params("slotSubscribe takes no parameters")
        conn.subs[sub.id] = sub
        self.by_kind[kind][sub.id] = sub
        if kind == "signature":
            self.by_signature.setdefault(sub.signature, {})[sub.id] = sub
            self._signature_already_landed(sub)
        return sub.id

    def _signature_already_landed(self, sub: Subscription) -> None:
        entry = self.node.ledger.signatures.get(sub.signature)
        if entry is not None and entry.slot <= self.node.ledger.slot_at(sub.commitment):
            # Sent after the subscribe response, which is queued first.
            asyncio.get_running_loop().call_soon(
                self._signature_done, sub, entry.slot, entry.record
            )

    # -- events from the node -----------------------------------------------------------
    def on_slot(self, slot: int, parent: int, root: int) -> None:
        subs = self.by_kind["slot"]
        if not subs:
            return
        result = b'{"parent":%d,"root":%d,"slot":%d}' % (parent, root, slot)
        for sub in list(subs.values()):
            sub.conn.send(_notification("slotNotification", sub.id, result))

    def on_received(self, signature: str, slot: int) -> None:
        subs = self.by_signature.get(signature)
        if not subs:
            return
        value = _with_context(slot, b'"receivedSignature"')
        for sub in list(subs.values()):
            if sub.received:
                sub.conn.send(_notification("signatureNotification", sub.id, value))

    def on_block(self, block: Block, commitment: Commitment) -> None:
        """A block reached `commitment`: block, logs, signature, account and program events."""
        if self.by_kind["block"] and commitment != "processed":
            self._blocks(block, commitment)
        if self.by_kind["logs"]:
            self._logs(block, commitment)
        if self.by_signature:
            for record in block.txs:
                subs = self.by_signature.get(record.signature)
                if subs:
                    for sub in list(subs.values()):
                        if sub.commitment == commitment:
                            self._signature_done(sub, block.slot, record)
        if self.by_kind["account"] or self.by_kind["program"]:
            self._accounts(block, commitment)

    def _blocks(self, block: Block, commitment: Commitment) -> None:
        for sub in list(self.by_kind["block"].values()):
            if sub.commitment != commitment:
                continue
            if sub.mentions is not None and not any(sub.mentions in r.keys for r in block.txs):
                continue
            try:
                body = enc.block_json_bytes(
                    block,
                    encoding=sub.encoding,
                    details=sub.details,
                    max_version=sub.max_version,
                    rewards=sub.rewards,
                    mentions=sub.mentions,
                )
                value = b'{"slot":%d,"block":%s,"err":null}' % (block.slot, body)
            except enc.UnsupportedVersion as exc:
                value = b'{"slot":%d,"block":null,"err":%s}' % (
                    block.slot,
                    orjson.dumps({"UnsupportedTransactionVersion": str(exc)}),
                )
            sub.conn.send(
                _notification("blockNotification", sub.id, _with_context(block.slot, value))
            )

    def _logs(self, block: Block, commitment: Commitment) -> None:
        subs = [s for s in self.by_kind["logs"].values() if s.commitment == commitment]
        if not subs:
            return
        for record in block.txs:
            value: bytes | None = None
            for sub in subs:
                if sub.mentions is not None:
                    if sub.mentions not in record.keys:
                        continue
                elif record.is_vote and not sub.votes:
                    continue
                if value is None:
                    value = _with_context(
                        block.slot,
                        orjson.dumps(
                            {"signature": record.signature, "err": record.err, "logs": record.logs}
                        ),
                    )
                sub.conn.send(_notification("logsNotification", sub.id, value))

    def _signature_done(self, sub: Subscription, slot: int, record: TxRecord) -> None:
        if sub.id not in sub.conn.subs:
            return
        value = _with_context(slot, orjson.dumps({"err": record.err}))
        sub.conn.send(_notification("signatureNotification", sub.id, value))
        self._remove(sub)

    def _accounts(self, block: Block, commitment: Commitment) -> None:
        written: dict[Pubkey, None] = {}
        for record in block.txs:
            written.update(dict.fromkeys(record.writable))
        self._account_events(written, block.slot, commitment)

    def _account_events(self, written: Iterable[Pubkey], slot: int, commitment: Commitment) -> None:
        accounts = {s.mentions: s for s in self.by_kind["account"].values()}
        programs = {s.mentions for s in self.by_kind["program"].values()}
        for key in written:
            if key not in accounts and not programs:
                continue
            account = self.node.bank.account(key)
            if account is None:
                continue
            for sub in list(self.by_kind["account"].values()):
                if sub.mentions == key and sub.commitment == commitment:
                    value = orjson.dumps(enc.account_json(account, sub.encoding))
                    sub.conn.send(
                        _notification("accountNotification", sub.id, _with_context(slot, value))
                    )
            if account.owner in programs:
                for sub in list(self.by_kind["program"].values()):
                    if sub.mentions == account.owner and sub.commitment == commitment:
                        value = orjson.dumps(
                            {"pubkey": str(key), "account": enc.account_json(account, sub.encoding)}
                        )
                        sub.conn.send(
                            _notification("programNotification", sub.id, _with_context(slot, value))
                        )


def _error(exc: RpcError, request_id: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "error": exc.as_dict(), "id": request_id}


def _config(params: list[Any], index: int) -> dict[str, Any]:
    value = params[index] if len(params) > index else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.invalid_params("expected a config object")
    return value


def _commitment(config: dict[str, Any]) -> Commitment:
    value = config.get("commitment") or "finalized"
    if value not in COMMITMENTS:
        raise errors.invalid_params(f"unknown commitment `{value}`")
    return cast(Commitment, value)


def _pubkey(value: Any) -> Pubkey:
    try:
        return Pubkey.from_string(value)
    except (ValueError, TypeError):
        raise errors.invalid_params(f"Invalid pubkey {value!r}") from None


def _signature(value: Any) -> Any:
    from solders.signature import Signature

    try:
        return Signature.from_string(value)
    except (ValueError, TypeError):
        raise errors.invalid_params(f"Invalid signature {value!r}") from None


def _block_params(sub: Subscription, filter_: Any, config: dict[str, Any]) -> None:
    if filter_ == "all":
        sub.mentions = None
    elif isinstance(filter_, dict) and "mentionsAccountOrProgram" in filter_:
        sub.mentions = _pubkey(filter_["mentionsAccountOrProgram"])
    else:
        raise errors.invalid_params(
            "blockSubscribe filter must be `all` or mentionsAccountOrProgram"
        )
    if sub.commitment == "processed":
        raise errors.invalid_params("Method does not support commitment below `confirmed`")
    encoding = config.get("encoding") or "json"
    details = config.get("transactionDetails") or "full"
    if encoding not in enc.ENCODINGS or details not in enc.DETAILS:
        raise errors.invalid_params("unsupported encoding or transactionDetails")
    sub.encoding, sub.details = encoding, details
    sub.rewards = config.get("showRewards", True) is not False
    version = config.get("maxSupportedTransactionVersion")
    if version not in (None, 0):
        raise errors.invalid_params(f"unsupported maxSupportedTransactionVersion {version!r}")
    sub.max_version = version


def _logs_params(sub: Subscription, filter_: Any) -> None:
    if filter_ == "all":
        return
    if filter_ == "allWithVotes":
        sub.votes = True
        return
    mentions = filter_.get("mentions") if isinstance(filter_, dict) else None
    if not isinstance(mentions, list) or len(mentions) != 1:
        raise errors.invalid_params("Invalid Request: Only 1 address supported")
    sub.mentions = _pubkey(mentions[0])
