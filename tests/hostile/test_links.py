"""The link checker against hostile servers (all on 127.0.0.1): redirects to private, link-local and
metadata addresses refused before any connection, ``file:`` never fetched, and headers that never
finish counted as a timeout, never as "ok"."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from uprkb.linkcheck import CheckOptions, LinkTarget, check_links
from uprkb.linkcheck.report import OK, UNVERIFIED

REDIRECTS = {
    "/to-private": "http://10.0.0.1/admin",
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
    "/to-private-v6": "http://[fd00::1]/",
    "/to-mapped": "http://[::ffff:192.168.0.1]/",
    "/to-file": "file:///etc/passwd",
    "/to-loopback": "/ok",
}


class _Server:
    """A raw loopback HTTP server: redirects, a 200, and a response whose headers never end."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = conn.recv(65536).decode("latin-1")
            except OSError:
                return
            path = request.split(" ")[1] if " " in request else "/"
            if path in REDIRECTS:
                conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {REDIRECTS[path]}\r\nContent-Length: 0\r\n\r\n".encode())
            elif path == "/stall-headers":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                self.stop.wait(10)
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Any connection to an address other than 127.0.0.1 fails here, and is recorded: no traffic leaves."""
    attempts: list[tuple[str, int]] = []
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if address[0] != "127.0.0.1":
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: no connection to {address[0]}")
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", guarded)
    return attempts


def check(url: str) -> tuple[str, str]:
    options = CheckOptions(timeout=1.0, deadline=20.0, max_retries=0, progress=False, loopback_is_public=True)
    (result,) = check_links([LinkTarget(url, ("src",))], options)
    return result.status, result.reason


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/to-private", "private address"),
        ("/to-metadata", "metadata"),
        ("/to-private-v6", "private address"),
        ("/to-mapped", "private address"),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused_before_connecting(
    server: _Server, loopback_only: list[tuple[str, int]], path: str, words: str
) -> None:
    status, reason = check(server.base + path)
    assert status == UNVERIFIED
    assert "refused" in reason and words in reason, reason
    assert loopback_only == [], f"a connection was attempted to {loopback_only}"


def test_a_redirect_to_a_file_url_is_never_fetched(server: _Server) -> None:
    status, reason = check(server.base + "/to-file")
    assert status == UNVERIFIED and "unsupported URL scheme 'file'" in reason, reason


def test_a_redirect_within_the_start_host_class_is_followed(server: _Server) -> None:
    status, reason = check(server.base + "/to-loopback")
    assert status == OK, reason


def test_headers_that_never_finish_are_a_timeout(server: _Server) -> None:
    status, reason = check(server.base + "/stall-headers")
    assert status == UNVERIFIED and "timeout" in reason, reason


def test_internal_addresses_are_told_apart() -> None:
    from uprkb.linkcheck.client import internal_address

    assert internal_address("8.8.8.8") is None
    assert internal_address("2001:4860:4860::8888") is None
    assert "loopback" in (internal_address("127.0.0.1") or "")
    assert internal_address("127.0.0.1", loopback_is_public=True) is None
    assert "metadata" in (internal_address("169.254.169.254") or "")
    assert "link-local" in (internal_address("169.254.1.1") or "")
    assert "private" in (internal_address("192.168.1.1") or "")
    assert "private" in (internal_address("::ffff:10.1.2.3") or "")
    assert internal_address("0.0.0.0") is not None
