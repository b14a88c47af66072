"""Loopback HTTP servers that serve one network fault per path.

Used by the link-checker tests and by ``benchmarks/links_bench.py``. Every
server binds ``127.0.0.1`` on an ephemeral port, handles each request in a
daemon thread and records what it saw, so a test can assert on retries and
their timing. Slow responses wait on a stop event, so closing a server never
hangs on a sleeping handler.

Project (``<id>`` is any suffix that keeps per-path state apart)::

    /ok/<id>                      200
    /status/<code>/<id>           that status (401 also sends WWW-Authenticate)
    /redirect/<code>/<id>         <code> redirect to /ok/<id>
    /chain/<n>/<id>               n 302 redirects, then 200
    /loop/a/<id>                  302 -> /loop/b/<id> -> 302 -> /loop/a/<id> ...
    /head405/<id>                 HEAD 405, GET 200
    /retry429/<secs>/<id>         429 + ``Retry-After: <delta-seconds>`` until <secs> after the
                                  first request to the path, then 200 (a time-based rate limit)
    /retry429date/<secs>/<id>     the same with an HTTP-date Retry-After (whole seconds)
    /flaky500/<id>                500 for the first request, then 200
    /slowheaders/<secs>/<id>      headers after <secs> seconds
    /drip/<secs>/<id>             GET: headers at once, then 10 body bytes spread over <secs>
                                  seconds; HEAD: 405, so a checker has to GET and read the body
    /driphead/<secs>/<id>         like /drip but HEAD answers 200 at once

Every response is delayed by ``latency`` seconds first (default 0).
"""

from __future__ import annotations

import email.utils
import math
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit


@dataclass
class Hit:
    """One request as the server saw it; ``status`` is 0 until a status line was sent."""

    method: str
    path: str
    at: float  # time.monotonic() at arrival
    wall: float  # time.time() at arrival
    user_agent: str
    status: int = 0
    retry_after: str | None = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the (daemon) handler threads
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, latency: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.latency = latency
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.hits: list[Hit] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.first_seen: dict[str, float] = {}
        self.inflight = 0
        self.peak_inflight = 0

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (timeouts under test) are expected: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    _hit: Hit
    protocol_version = "HTTP/1.0"
    timeout = 10  # an idle client cannot pin a handler thread for long
    error_content_type = "text/plain"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silence the default per-request log on stderr."""

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve()

    def do_GET(self) -> None:  # noqa: N802
        self._serve()

    def _count(self) -> int:
        """Record the hit; return how many earlier requests had this path (any method)."""
        srv = self.server
        self._hit = Hit(self.command, self.path, time.monotonic(), time.time(), self.headers.get("User-Agent", ""))
        with srv.lock:
            srv.hits.append(self._hit)
            srv.first_seen.setdefault(self.path, time.time())
            n = srv.counts[self.path]
            srv.counts[self.path] += 1
            return n

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line and note the status on the recorded hit."""
        if hasattr(self, "_hit"):
            self._hit.status = code
        self._answered()
        super().send_response(code, message)

    def _wait(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; True when it is stopping."""
        return self.server.stop.wait(seconds)

    def _send(self, code: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _serve(self) -> None:
        srv = self.server
        with srv.lock:
            srv.inflight += 1
            srv.peak_inflight = max(srv.peak_inflight, srv.inflight)
        self._waiting = True
        try:
            self._fault(self._count())
        finally:
            self._answered()

    def _answered(self) -> None:
        """Leave the in-flight count once the status line goes out (the client may move on)."""
        if getattr(self, "_waiting", False):
            self._waiting = False
            with self.server.lock:
                self.server.inflight -= 1

    def _fault(self, n: int) -> None:
        if self.server.latency and self._wait(self.server.latency):
            return
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        kind, rest = parts[0], parts[1:]
        try:
            if kind == "ok":
                self._send(200, body=b"ok\n")
            elif kind == "status":
                code = int(rest[0])
                headers = {"WWW-Authenticate": 'Basic realm="x"'} if code == 401 else {}
                self._send(code, headers, body=f"status {code}\n".encode())
            elif kind == "redirect":
                self._send(int(rest[0]), {"Location": "/ok/" + "/".join(rest[1:])})
            elif kind == "chain":
                left = int(rest[0])
                tail = "/".join(rest[1:])
                if left <= 0:
                    self._send(200, body=b"end of chain\n")
                else:
                    self._send(302, {"Location": f"/chain/{left - 1}/{tail}"})
            elif kind == "loop":
                other = "b" if rest[0] == "a" else "a"
                self._send(302, {"Location": f"/loop/{other}/" + "/".join(rest[1:])})
            elif kind == "head405":
                if self.command == "HEAD":
                    self._send(405, {"Allow": "GET"})
                else:
                    self._send(200, body=b"get only\n")
            elif kind in ("retry429", "retry429date"):
                until: float = self.server.first_seen[self.path] + float(rest[0])
                if kind == "retry429date":
                    until = math.ceil(until)  # an HTTP-date has whole seconds
                now = time.time()
                if now < until:
                    if kind == "retry429":
                        value = str(max(1, math.ceil(until - now)))
                    else:
                        value = email.utils.formatdate(until, usegmt=True)
                    self._hit.retry_after = value
                    self._send(429, {"Retry-After": value}, b"slow down\n")
                else:
                    self._send(200, body=b"ok after 429\n")
            elif kind == "flaky500":
                if n == 0:
                    self._send(500, body=b"oops\n")
                else:
                    self._send(200, body=b"ok after 500\n")
            elif kind == "slowheaders":
                if self._wait(float(rest[0])):
                    return
                self._send(200, body=b"late\n")
            elif kind == "drip" and self.command == "HEAD":
                self._send(405, {"Allow": "GET"})
            elif kind in ("drip", "driphead"):
                total = float(rest[0])
                body = b"0123456789"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command == "HEAD":
                    return
                self.wfile.flush()
                for byte in body:
                    if self._wait(total / len(body)):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            else:
                self._send(404, body=b"no such fault\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


class LoopbackServer:
    """One fault server on 127.0.0.1; a context manager that serves in a daemon thread."""

    def __init__(self, latency: float = 0.0) -> None:
        self._server = _Server(latency)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + "/" + path.lstrip("/")

    def hits(self, path: str | None = None) -> list[Hit]:
        """Requests seen so far, optionally only those for ``path`` (a path or a full URL; query ignored)."""
        with self._server.lock:
            hits = list(self._server.hits)
        if path is None:
            return hits
        want = urlsplit(path).path if "://" in path else "/" + path.lstrip("/").split("?", 1)[0]
        return [h for h in hits if h.path.split("?", 1)[0] == want]

    @property
    def peak_inflight(self) -> int:
        """The most requests this server was handling at the same time."""
        with self._server.lock:
            return self._server.peak_inflight

    def close(self) -> None:
        """Stop serving, wake slow handlers, close the socket and join every thread."""
        self._server.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class LoopbackCluster:
    """``n`` loopback servers (distinct ports, so distinct hosts for a checker), closed together."""

    def __init__(self, n: int, latency: float = 0.0) -> None:
        self.servers: list[LoopbackServer] = []
        try:
            for _ in range(n):
                self.servers.append(LoopbackServer(latency))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for server in self.servers:
            server.close()

    def __enter__(self) -> LoopbackCluster:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def closed_port() -> int:
    """A loopback port nothing listens on: bind one, note it, close it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
