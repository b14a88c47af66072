"""URLs written in the data at internal addresses, and a tampered cache of successful checks.

The link check requests no URL at a loopback, private, link-local or reserved address or the cloud
metadata service, written as an address or as a host name resolving to one: each is unverified, "not
requested", and the report line says where the data writes it (``path:line:col``). ``allow_private``
checks an intranet (never the metadata service). A planted ``ok`` in the link cache, whatever its form,
is never reported as checked. Every server is on 127.0.0.1, and no other connection is let out."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.loopback import LoopbackServer
from tests.project import SEED_ID
from uprkb.cli import main
from uprkb.core.errors import display_path
from uprkb.core.project import Project
from uprkb.linkcheck import BROKEN, OK, UNVERIFIED, CheckOptions, LinkTarget, check_links, report_lines, write_report
from uprkb.linkcheck.client import NOT_REQUESTED


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as s:
        yield s


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every connection the check opens, recorded; none to an address other than 127.0.0.1 is let out."""
    opened: list[tuple[str, int]] = []
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        opened.append(address)
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError(f"test guard: no connection to {address[0]}")
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", guarded)
    return opened


INTERNAL = [
    ("http://127.0.0.1:{port}/ok/literal", "a loopback address"),
    ("http://localhost:{port}/ok/name", "a loopback address"),
    ("http://[::1]:{port}/ok/v6", "a loopback address"),
    ("http://2130706433:{port}/ok/decimal", "a loopback address"),
    ("http://0x7f.1:{port}/ok/hex", "a loopback address"),
    ("http://[::ffff:127.0.0.1]:{port}/ok/mapped", "a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "the cloud metadata address"),
    ("http://169.254.10.10/", "a link-local address"),
    ("http://10.1.2.3/admin", "a private address"),
    ("https://192.168.0.1/", "a private address"),
    ("http://[fd12:3456::1]/", "a private address"),
    ("http://0.0.0.0:{port}/ok/any", "a reserved address"),
]


def check(url: str, **options: object) -> tuple[str, str, list[str]]:
    opts = CheckOptions(timeout=2.0, deadline=20.0, max_retries=0, progress=False, **options)  # type: ignore[arg-type]
    (result,) = check_links([LinkTarget(url, ("sub/src",), ("data/sub/sections/01.yaml:41:8",))], opts)
    return result.status, result.reason, report_lines([result], strict=False)


@pytest.mark.parametrize(("url", "kind"), INTERNAL, ids=[u for u, _ in INTERNAL])
def test_an_internal_address_in_the_data_is_not_requested(
    server: LoopbackServer, connections: list[tuple[str, int]], url: str, kind: str
) -> None:
    url = url.format(port=server.port)
    status, reason, lines = check(url)
    assert (status, reason.split(":")[0]) == (UNVERIFIED, NOT_REQUESTED), reason
    assert kind in reason and "--allow-private" in reason, reason
    assert connections == [] and server.hits() == []
    assert lines == [f"data/sub/sections/01.yaml:41:8: warning: unverified: {url} ({reason}) cited by sub/src"]


def test_an_intranet_is_checked_with_allow_private_but_never_the_metadata_service(
    server: LoopbackServer, connections: list[tuple[str, int]]
) -> None:
    url = server.url(f"ok/{uuid.uuid4().hex}")
    assert check(url, allow_private=True)[0] == OK
    assert len(server.hits(url)) == 1
    status, reason, _ = check("http://169.254.169.254/latest/meta-data/", allow_private=True)
    assert status == UNVERIFIED and "metadata" in reason, reason
    assert connections == [("127.0.0.1", server.port)]


def test_the_command_names_where_the_data_writes_a_url_it_does_not_request(
    project: Project, server: LoopbackServer, tmp_path: Path
) -> None:
    section = project.data / "submissions" / SEED_ID / "sections" / "05-freedom-of-torture.yaml"
    url = server.url(f"ok/{uuid.uuid4().hex}")
    for path in section.parent.glob("*.yaml"):  # every other URL on a name that never resolves
        text = re.sub(r'^(  url: )"https?://[^/"]+', r'\1"http://nonexistent.invalid', path.read_text(), flags=re.M)
        path.write_text(text)
    text = section.read_text()
    assert '  url: "http://nonexistent.invalid"\n' in text
    section.write_text(text.replace('  url: "http://nonexistent.invalid"\n', f'  url: "{url}"\n', 1))
    line = section.read_text().splitlines().index(f'  url: "{url}"') + 1
    report = tmp_path / "report.json"
    args = ["--root", str(project.root), "links", "--report", str(report), "--cache", str(tmp_path / "c.json")]
    result = CliRunner().invoke(main, [*args, "--timeout", "2", "--probe-name", "nonexistent.invalid"])
    assert result.exit_code == 0, result.output
    where = f"{display_path(section)}:{line}:8"
    assert f"{where}: warning: unverified: {url} (not requested: 127.0.0.1 is a loopback address" in result.output
    assert server.hits(url) == []
    (entry,) = [e for e in json.loads(report.read_text()) if e["url"] == url]
    assert entry["status"] == UNVERIFIED and entry["reason"].startswith(NOT_REQUESTED)


# -- the cache of successful checks -------------------------------------------------------------


def planted_ok(url: str) -> dict[str, object]:
    return {
        "url": url,
        "status": "ok",
        "code": 200,
        "reason": "HTTP 200 OK",
        "checked_at": "2099-01-01T00:00:00Z",
        "sources": [],
        "final_url": None,
        "permanent_redirect": False,
        "archived_suggestion": None,
    }


def plant(cache: Path, kind: str, url: str) -> None:
    """A cache file saying ``url`` is ok: as the former unsealed format, edited under its seal, sealed
    with another machine's secret, or the file replaced by a link."""
    sealed = json.loads(cache.read_text())
    cache.unlink()
    if kind == "unsealed":
        cache.write_text(json.dumps({"version": 1, "results": [planted_ok(url)]}))
    elif kind == "changed":
        sealed["results"].append(planted_ok(url))
        cache.write_text(json.dumps(sealed))
    elif kind == "foreign":
        body = {k: v for k, v in sealed.items() if k != "seal"}
        body["results"].append(planted_ok(url))
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()
        mac = hmac.new(b"another machine's secret, 32 bytes", canonical, hashlib.sha256).hexdigest()
        cache.write_text(json.dumps({**body, "seal": mac}))
    else:
        cache.symlink_to({"passwd": "/etc/passwd", "zero": "/dev/zero"}[kind])


@pytest.mark.parametrize("kind", ["unsealed", "changed", "foreign", "passwd", "zero"])
def test_a_planted_ok_is_not_reported_as_checked(server: LoopbackServer, tmp_path: Path, kind: str) -> None:
    tag = uuid.uuid4().hex
    good, gone = server.url(f"ok/{tag}"), server.url(f"status/404/{tag}")
    cache = tmp_path / "links.json"
    options = CheckOptions(timeout=2.0, deadline=20.0, max_retries=0, progress=False, cache_path=cache)
    options.loopback_is_public = True  # the servers are on 127.0.0.1
    (first,) = check_links([LinkTarget(good, ("s",))], options)
    assert first.status == OK
    plant(cache, kind, gone)
    results = {r.url: r for r in check_links([LinkTarget(good, ("s",)), LinkTarget(gone, ("s",))], options)}
    assert (results[gone].status, results[gone].from_cache) == (BROKEN, False)
    assert len(server.hits(gone)) >= 1  # checked, not taken from the planted file
    write_report(list(results.values()), tmp_path / "report.json")
    reported = {e["url"]: e["status"] for e in json.loads((tmp_path / "report.json").read_text())}
    assert reported[gone] == BROKEN
    assert not cache.is_symlink() and Path("/etc/passwd").is_file()
    stored = json.loads(cache.read_text())  # saved anew by this code, sealed: the planted entry is not in it
    assert [e["url"] for e in stored["results"]] == [good] and isinstance(stored["seal"], str)
