"""An HTTP front for the lab AWS that a test can cut: every request is passed to the lab and
answered, until a chosen request has been answered; from then on the endpoint is gone (every
request's connection dropped without a reply, as a partition looks to a client) until
`restore()`.

The lab keeps its state in memory, so the lab itself is never stopped: the cut sits between the
client and the lab, where an outage or a network partition would be."""

from __future__ import annotations

import http.client
import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# (method, path, headers, body) -> True for the request after whose answer the endpoint goes.
Trigger = Callable[[str, str, dict[str, str], bytes], bool]

# Hop-by-hop headers the front sets itself.
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class EndpointCut:
    upstream_host: str
    upstream_port: int
    trigger: Trigger
    port: int = 0
    cut: threading.Event = field(default_factory=threading.Event)
    answered: int = 0
    refused: int = 0
    _server: http.server.ThreadingHTTPServer | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def restore(self) -> None:
        """The endpoint is back and stays up (the trigger is spent)."""
        self.trigger = lambda *_: False
        self.cut.clear()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test reads the counters."""

            def _forward(self) -> None:
                if front.cut.is_set():
                    front.refused += 1
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream = http.client.HTTPConnection(
                    front.upstream_host, front.upstream_port, timeout=120
                )
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    payload = answer.read()
                finally:
                    upstream.close()
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
                front.answered += 1
                if front.trigger(self.command, self.path, dict(self.headers.items()), body):
                    front.cut.set()
                    self.close_connection = True

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

        return Handler


@contextmanager
def endpoint_cut(host: str, port: int, trigger: Trigger) -> Iterator[EndpointCut]:
    front = EndpointCut(host, port, trigger)
    front.start()
    try:
        yield front
    finally:
        front.stop()
