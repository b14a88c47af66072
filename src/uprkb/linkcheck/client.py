"""The HTTP client of the link check: one URL in, one :class:`Outcome` out.

``HEAD`` first, ``GET`` when ``HEAD`` is not a 2xx. Redirects are followed by
hand (at most 10): a URL seen twice is a redirect loop, an eleventh hop is
"too many redirects", and a 301/308 on the way means "update the URL".
429 and 5xx answers are retried ``max_retries`` times: after the
``Retry-After`` the server asked for (delta-seconds or an HTTP-date; a
longer demand than ``retry_after_cap`` is reported at once instead of waited
for, and the whole host pauses meanwhile), else after 1 s, 2 s, 4 s ...
``GET`` bodies are read (up to 1 MiB) under a total per-request time limit
enforced by :class:`Watchdog`, so a body dripping slower than ``timeout`` is
unverified. Requests per host name are limited to ``per_host_concurrency``.

Every URL is screened before any connection, on the addresses its host name
resolves to (or the address written in it): a loopback, private, link-local or
reserved address, or the cloud metadata service, is not requested (unverified,
"not requested") unless ``allow_private`` is set for an intranet (never the
metadata service); the request then goes to the address checked, so a second
lookup cannot lead elsewhere. A link that starts at a public address may not
redirect to an internal one.

Failures without an HTTP answer are classified by :func:`classify_error`: a
host name that does not exist is ``broken`` only when the resolver answers
for other names (see :mod:`.network`); a failed lookup on a machine without
DNS, and "network is unreachable", are ``unverified`` with the reason
"no network".
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import heapq
import http.client
import ipaddress
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Protocol
from urllib.parse import quote, urljoin, urlsplit

from uprkb.linkcheck.report import BROKEN, DEADLINE_REASON, NO_NETWORK, OK, UNVERIFIED

__all__ = [
    "MAX_REDIRECTS",
    "NOT_REQUESTED",
    "Client",
    "ClientOptions",
    "Outcome",
    "Watchdog",
    "classify_error",
    "host_key",
    "internal_address",
    "retry_after",
    "unsupported",
]

MAX_REDIRECTS = 10

_BODY_LIMIT = 1 << 20  # bytes of a GET body read before the URL counts as delivering
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_PERMANENT_CODES = frozenset({301, 308})
_NXDOMAIN_ERRNOS = frozenset(
    code for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None)) if code is not None
)
_NO_ROUTE_ERRNOS = frozenset({errno.ENETUNREACH})


class ClientOptions(Protocol):
    """The settings the client reads (``CheckOptions`` provides them)."""

    timeout: float
    max_retries: int
    retry_after_cap: float
    per_host_concurrency: int
    user_agent: str
    loopback_is_public: bool
    allow_private: bool


@dataclass
class Outcome:
    """A verdict before it is dated and given its sources."""

    status: str
    code: int | None
    reason: str
    final_url: str | None = None
    permanent_redirect: bool = False
    fallback: bool = True  # after HEAD: worth asking again with GET


class _Failure(Exception):
    """Ends the check of one URL with ``outcome``."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


@dataclass
class _Response:
    code: int
    location: str | None
    retry_after: float | None  # seconds from now


class _Watch:
    __slots__ = ("at", "done", "fired", "sock")

    def __init__(self, sock: socket.socket, at: float) -> None:
        self.sock = sock
        self.at = at
        self.done = False
        self.fired = False


class Watchdog:
    """Shuts down the socket of a request whose time is up, which wakes any blocked read.

    Socket timeouts bound each read, not a response that trickles in; this bounds
    the whole exchange. Shutting down (never closing) from this thread is safe
    while the owner reads, and ``done`` keeps it off sockets already closed.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._seq = itertools.count()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="linkcheck-watchdog", daemon=True)
        self._thread.start()

    def watch(self, sock: socket.socket, at: float) -> _Watch:
        entry = _Watch(sock, at)
        with self._cond:
            heapq.heappush(self._heap, (at, next(self._seq), entry))
            self._cond.notify()
        return entry

    def release(self, entry: _Watch) -> bool:
        """Stop watching; True when the time had run out (the socket was shut down)."""
        with self._cond:
            entry.done = True
            return entry.fired

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _, _, entry = heapq.heappop(self._heap)
                    if not entry.done:
                        entry.fired = True
                        with contextlib.suppress(OSError):
                            # The plain-socket shutdown: SSLSocket.shutdown would also drop
                            # its SSL object under the reading thread.
                            socket.socket.shutdown(entry.sock, socket.SHUT_RDWR)
                self._cond.wait(timeout=(self._heap[0][0] - now) if self._heap else None)

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()


class Client:
    """HEAD/GET with redirects, Retry-After, retries, per-host limits and hard time limits.

    ``names_resolve`` answers whether the resolver works at all (asked only
    after a host name failed to resolve); ``stop`` ends every wait early.
    """

    def __init__(
        self,
        options: ClientOptions,
        deadline_at: float,
        stop: threading.Event,
        watchdog: Watchdog,
        names_resolve: Callable[[], bool],
    ) -> None:
        self.options = options
        self.deadline_at = deadline_at
        self.stop = stop
        self.watchdog = watchdog
        self.names_resolve = names_resolve
        self.ssl_context = ssl.create_default_context()
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._not_before: dict[str, float] = {}

    # -- one URL -------------------------------------------------------------

    def check(self, url: str) -> Outcome:
        """The final verdict on ``url``: screened, then HEAD first, GET (with retries) when HEAD is not a 2xx."""
        try:
            start = self._start(url)
            outcome = self._attempt(url, "HEAD", 0, start)
            if outcome.status == OK or not outcome.fallback:
                return outcome
            return self._attempt(url, "GET", max(0, self.options.max_retries), start)
        except _Failure as failure:
            return failure.outcome

    def _attempt(self, url: str, method: str, retries: int, start: tuple[str | None, bool]) -> Outcome:
        """Follow redirects; retry 429/5xx up to ``retries`` times, honouring Retry-After."""
        attempt = 0
        while True:
            outcome, response = self._follow(url, method, start)
            if response is None:
                return outcome
            code = response.code
            host = host_key(outcome.final_url or url)
            label = f"HTTP {code} {_phrase(code)}".rstrip()
            wait = response.retry_after
            if wait is not None:
                if wait > self.options.retry_after_cap:
                    cap = self.options.retry_after_cap
                    reason = f"{label}: Retry-After of {wait:.0f} s exceeds the cap of {cap:g} s"
                    return Outcome(UNVERIFIED, code, reason, outcome.final_url, fallback=False)
                self._pause_host(host, wait)  # every request to the host waits
            if attempt >= retries:
                if retries == 0:
                    return Outcome(UNVERIFIED, code, label, outcome.final_url)
                plural = "retry" if retries == 1 else "retries"
                return Outcome(UNVERIFIED, code, f"{label} after {retries} {plural}", outcome.final_url)
            if wait is None:
                wait = min(float(2**attempt), self.options.retry_after_cap)
            if time.monotonic() + wait >= self.deadline_at or self.stop.wait(wait):
                return Outcome(UNVERIFIED, code, f"{DEADLINE_REASON} (last answer: {label})", outcome.final_url)
            attempt += 1

    def _follow(self, url: str, method: str, start: tuple[str | None, bool]) -> tuple[Outcome, _Response | None]:
        """Request ``url`` and its redirects; a response is returned only when it may be retried.

        ``start``: the checked address of ``url``'s host and whether it is public (:meth:`_start`)."""
        chain: list[tuple[int, str]] = []
        seen = [url]
        current = url
        start_public = start[1]
        pins: dict[str, str | None] = {url: start[0]}
        while True:
            response = self._request(method, current, pins.get(current))
            code = response.code
            final = chain[-1][1] if chain else None
            if code in _REDIRECT_CODES and response.location:
                target = urljoin(current, response.location.strip())
                if target in seen:
                    path = " -> ".join([*seen[seen.index(target) :], target])
                    return Outcome(BROKEN, code, f"redirect loop: {path}", target, fallback=True), None
                if len(chain) >= MAX_REDIRECTS:
                    return Outcome(BROKEN, code, f"too many redirects (more than {MAX_REDIRECTS})", target), None
                if (problem := unsupported(target)) is not None:
                    return Outcome(UNVERIFIED, code, f"redirect to {target}: {problem}", target, fallback=False), None
                if start_public:
                    # Decided on the resolved addresses before any connection; the request then goes to them.
                    refusal, pin = self._screen(target)
                    if refusal is not None:
                        reason = f"redirect to {target} refused: {refusal}"
                        return Outcome(UNVERIFIED, code, reason, target, fallback=False), None
                    pins[target] = pin
                chain.append((code, target))
                seen.append(target)
                current = target
                continue
            if 200 <= code < 300:
                return _ok_outcome(code, chain), None
            label = f"HTTP {code} {_phrase(code)}".rstrip()
            if code in (404, 410):
                return Outcome(BROKEN, code, label, final), None
            if code == 429 or 500 <= code < 600:
                return Outcome(UNVERIFIED, code, label, final), response
            if code == 401:
                return Outcome(UNVERIFIED, code, f"{label}: the page needs a login", final), None
            if code == 403:
                return Outcome(UNVERIFIED, code, f"{label}: access denied, often bot blocking", final), None
            return Outcome(UNVERIFIED, code, label, final), None

    # -- one request -----------------------------------------------------------

    @property
    def _loopback_is_public(self) -> bool:
        return bool(getattr(self.options, "loopback_is_public", False))

    @staticmethod
    def _resolve(url: str) -> list[str]:
        """The addresses ``url``'s host resolves to (a literal address is itself); raises what the lookup raises."""
        parts = urlsplit(url)
        host = (parts.hostname or "").strip("[]")
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    def _addresses(self, url: str) -> list[str]:
        """:meth:`_resolve`, empty when the lookup fails."""
        try:
            return self._resolve(url)
        except (OSError, UnicodeError, ValueError):
            return []

    def _start(self, url: str) -> tuple[str | None, bool]:
        """The checked address to connect ``url`` to, and whether it is public; :class:`_Failure` when its host
        does not resolve, or is at an internal address (unless ``allow_private``; the metadata service never)."""
        try:
            found = self._resolve(url)
        except socket.gaierror as exc:
            raise _Failure(classify_error(exc, self.names_resolve)) from None
        except (OSError, UnicodeError, ValueError) as exc:
            raise _Failure(Outcome(UNVERIFIED, None, f"invalid URL: {exc}", fallback=False)) from None
        allowed = bool(getattr(self.options, "allow_private", False))
        inside = [(a, why) for a in found if (why := internal_address(a, self._loopback_is_public)) is not None]
        for address, why in inside:
            if not allowed or why == METADATA:
                host = urlsplit(url).hostname
                reason = f"{NOT_REQUESTED}: {host} is {why} ({address}); {PRIVATE_HINT}"
                raise _Failure(Outcome(UNVERIFIED, None, reason, fallback=False))
        return (found[0] if found else None), not inside

    def _screen(self, target: str) -> tuple[str | None, str | None]:
        """(why the redirect ``target`` is refused, or None; the checked address to connect to)."""
        found = self._addresses(target)
        for address in found:
            why = internal_address(address, self._loopback_is_public)
            if why is not None:
                return f"{urlsplit(target).hostname} is {why} ({address}), and the link started at a public one", None
        return None, found[0] if found else None

    def _request(self, method: str, url: str, pin: str | None = None) -> _Response:
        """One exchange; raises :class:`_Failure` for anything that is not an HTTP response.

        ``pin``: the address checked for this host, connected to instead of resolving the name again.
        """
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            host_ascii = host.encode("idna").decode("ascii") if not host.isascii() else host
            port = parts.port
        except (UnicodeError, ValueError) as exc:
            raise _Failure(Outcome(UNVERIFIED, None, f"invalid URL: {exc}", fallback=False)) from None
        target = _request_target(parts.path, parts.query)
        with self._host_slot(host_key(url)):
            ends_at = min(time.monotonic() + self.options.timeout, self.deadline_at)
            remaining = ends_at - time.monotonic()
            if remaining <= 0:
                raise _Failure(Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False))
            conn: http.client.HTTPConnection
            if parts.scheme.lower() == "https":
                conn = http.client.HTTPSConnection(host_ascii, port, timeout=remaining, context=self.ssl_context)
            else:
                conn = http.client.HTTPConnection(host_ascii, port, timeout=remaining)
            if pin is not None:
                connect = conn._create_connection  # type: ignore[attr-defined]
                conn._create_connection = (  # type: ignore[attr-defined]
                    lambda address, *args, **kwargs: connect((pin, address[1]), *args, **kwargs)
                )
            watch: _Watch | None = None
            phase = "connect"
            try:
                conn.connect()
                watch = self.watchdog.watch(conn.sock, ends_at)
                phase = "headers"
                conn.request(
                    method,
                    target,
                    headers={
                        "User-Agent": self.options.user_agent,
                        "Accept": "*/*",
                        "Accept-Encoding": "identity",
                        "Connection": "close",
                    },
                )
                resp = conn.getresponse()
                if watch.fired:  # the time ran out inside the headers: what arrived is not an answer
                    raise TimeoutError("headers")
                code = resp.status
                if method == "GET" and 200 <= code < 300:
                    phase = "body"
                    received = 0
                    while received < _BODY_LIMIT:
                        chunk = resp.read1(65536)
                        if not chunk:
                            break
                        received += len(chunk)
                    if watch.fired:
                        raise TimeoutError("body")
                return _Response(code, resp.getheader("Location"), retry_after(resp.getheader("Retry-After")))
            except _Failure:
                raise
            except Exception as exc:  # noqa: BLE001 - every network failure becomes a verdict
                fired = watch is not None and self.watchdog.release(watch)
                raise _Failure(self._failure(exc, fired, phase, ends_at)) from None
            finally:
                if watch is not None:
                    self.watchdog.release(watch)
                conn.close()

    def _failure(self, exc: BaseException, fired: bool, phase: str, ends_at: float) -> Outcome:
        if fired or isinstance(exc, TimeoutError):
            if ends_at >= self.deadline_at and time.monotonic() >= self.deadline_at - 0.05:
                return Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False)
            what = {
                "connect": "no connection",
                "headers": "no response headers",
                "body": "the body was still arriving",
            }[phase]
            return Outcome(UNVERIFIED, None, f"timeout: {what} after {self.options.timeout:g} s")
        return classify_error(exc, self.names_resolve)

    # -- per-host politeness -----------------------------------------------------

    @contextlib.contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(max(1, self.options.per_host_concurrency)))
        if not slot.acquire(timeout=max(0.0, self.deadline_at - time.monotonic())):
            raise _Failure(Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False))
        try:
            while True:
                with self._lock:
                    wait = self._not_before.get(host, 0.0) - time.monotonic()
                if wait <= 0:
                    break
                if time.monotonic() + wait >= self.deadline_at or self.stop.wait(wait):
                    raise _Failure(Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False))
            yield
        finally:
            slot.release()

    def _pause_host(self, host: str, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)


def classify_error(exc: BaseException, names_resolve: Callable[[], bool]) -> Outcome:
    """The verdict for a request that failed without an HTTP response.

    ``names_resolve`` is asked only for a failed name lookup: a host name that
    does not exist is broken only when other names resolve.
    """
    if isinstance(exc, socket.gaierror):
        if not names_resolve():
            return Outcome(UNVERIFIED, None, NO_NETWORK, fallback=False)
        if exc.errno in _NXDOMAIN_ERRNOS:
            return Outcome(BROKEN, None, f"DNS: host name does not exist ({exc.strerror})", fallback=False)
        return Outcome(UNVERIFIED, None, f"DNS lookup failed: {exc.strerror or exc}", fallback=False)
    if isinstance(exc, TimeoutError):
        return Outcome(UNVERIFIED, None, "timeout")
    if isinstance(exc, ConnectionRefusedError):
        return Outcome(UNVERIFIED, None, "connection refused", fallback=False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Outcome(UNVERIFIED, None, f"TLS certificate not accepted: {exc.verify_message}", fallback=False)
    if isinstance(exc, ssl.SSLError):
        return Outcome(UNVERIFIED, None, f"TLS error: {exc.reason or exc}", fallback=False)
    if isinstance(exc, http.client.HTTPException):
        return Outcome(UNVERIFIED, None, f"invalid HTTP response: {type(exc).__name__} {exc}".strip())
    if isinstance(exc, OSError) and exc.errno in _NO_ROUTE_ERRNOS:
        return Outcome(UNVERIFIED, None, NO_NETWORK, fallback=False)
    if isinstance(exc, OSError):
        return Outcome(UNVERIFIED, None, f"network error: {exc.strerror or exc}")
    if isinstance(exc, (ValueError, UnicodeError)):
        return Outcome(UNVERIFIED, None, f"invalid URL: {exc}", fallback=False)
    return Outcome(UNVERIFIED, None, f"unexpected error: {type(exc).__name__}: {exc}")


def unsupported(url: str) -> str | None:
    """Why ``url`` cannot be checked over HTTP, or None when it can."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "invalid URL: contains control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme or '(none)'!r}: only http and https are checked"
    if not parts.hostname:
        return "invalid URL: no host name"
    return None


_METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
METADATA = "the cloud metadata address"
NOT_REQUESTED = "not requested"
PRIVATE_HINT = "only public addresses are checked ('links --allow-private' checks an intranet's)"


def internal_address(address: str, loopback_is_public: bool = False) -> str | None:
    """What kind of non-public address ``address`` is (loopback, private, link-local, the cloud metadata
    service, reserved), or None for a public one. ``loopback_is_public`` lets tests start on 127.0.0.1."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in _METADATA:
        return METADATA
    if ip.is_loopback:
        return None if loopback_is_public else "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "a private address"
    return None


def host_key(url: str) -> str:
    """Per-host limits key on the host name alone (servers on one host share them, whatever the port)."""
    return (urlsplit(url).hostname or "").lower()


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _ok_outcome(code: int, chain: list[tuple[int, str]]) -> Outcome:
    """A 2xx after the redirect ``chain`` of (status, next URL) hops."""
    if not chain:
        return Outcome(OK, code, f"HTTP {code} {_phrase(code)}")
    final = chain[-1][1]
    if any(hop_code in _PERMANENT_CODES for hop_code, _ in chain):
        return Outcome(OK, code, f"moved permanently to {final}: update the URL", final, True)
    return Outcome(OK, code, f"HTTP {code} {_phrase(code)} after a temporary redirect to {final}", final)


def _request_target(path: str, query: str) -> str:
    """The request line's target: path and query, percent-encoded where needed."""
    target = quote(path or "/", safe="/%:@!$&'()*+,;=-._~")
    if query:
        target += "?" + quote(query, safe="/%:@!$&'()*+,;=-._~?")
    return target


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""
