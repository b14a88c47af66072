"""Does this machine resolve host names at all? The evidence a "host name does not exist" verdict needs.

A host name that does not resolve proves a link dead only when the resolver
answers for other names. So the first time a URL's host name fails to
resolve, :class:`NameProbe` looks up names that must exist (``example.com``
and ``iana.org``, reserved by IANA, by default); when none of them resolves
within the time limit, the machine is offline and such URLs are
``unverified`` with the reason "no network", never ``broken``. The probe runs
at most once per check, and not at all when every host name resolves.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence

__all__ = ["DEFAULT_PROBE_NAMES", "NameProbe"]

#: Names that exist as long as the domain name system does (RFC 2606 reserves example.com).
DEFAULT_PROBE_NAMES: tuple[str, ...] = ("example.com", "iana.org")


class NameProbe:
    """Answers, once and thread-safely, whether any of ``names`` resolves within ``timeout`` seconds."""

    def __init__(self, names: Sequence[str], timeout: float) -> None:
        self.names = tuple(names)
        self.timeout = max(0.1, timeout)
        self._lock = threading.Lock()
        self._answer: bool | None = None

    def resolves_any(self) -> bool:
        """True when at least one probe name resolves (the resolver works); asked once, then remembered."""
        with self._lock:
            if self._answer is None:
                self._answer = self._probe()
            return self._answer

    def _probe(self) -> bool:
        found = threading.Event()

        def look_up() -> None:
            for name in self.names:
                try:
                    socket.getaddrinfo(name, None)
                except (OSError, UnicodeError):
                    continue
                found.set()
                return

        # A daemon thread: a resolver that hangs cannot hold up the check beyond the timeout.
        thread = threading.Thread(target=look_up, name="linkcheck-name-probe", daemon=True)
        thread.start()
        thread.join(self.timeout)
        return found.is_set()
