"""`build_site.py links` end to end: URLs from the public data, checked against loopback
servers, a JSON report, and link health shown on the site. Also the command line's answers
to a missing lychee, a machine without a network and a malformed link report: one message,
a hint, no traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from uprkb.cli import main
from uprkb.core.project import Project

from .loopback import LoopbackServer

SECTIONS = "submissions/ili-kazakhstan-upr4/sections"


def point_sources_at(data: Path, server: LoopbackServer) -> dict[str, str]:
    """Replace the five source URLs of the seed by loopback URLs, one fault each."""
    plan = {
        "currenttime-2022-executions": server.url("/ok/a"),
        "hrw-2022-almaty": server.url("/status/404/b"),
        "kz-law-on-refugees-2009": server.url("/redirect/301/c"),
        "kz-law-on-citizenship-1991": server.url("/status/403/d"),
        "hrmi-rights-tracker": server.url("/ok/a"),  # the same URL twice: checked once
    }
    for path in (data / SECTIONS).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for sid, url in plan.items():
            text = re.sub(rf"(- id: {sid}\n(?:  .*\n)*?  url: ).*\n", lambda m, u=url: f'{m.group(1)}"{u}"\n', text)
        path.write_text(text, encoding="utf-8")
    return plan


def plant_confidential_source(data: Path, url: str) -> None:
    path = data / SECTIONS / "01-legal-framework.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Kazakhstan does not take general measures", "Kazakhstan[^secret-notes] does not take general measures", 1
    )
    text += f'\nsources:\n- id: secret-notes\n  confidential: true\n  kind: ngo\n  title: Notes\n  url: "{url}"\n'
    assert text.count("\nsources:\n") == 1, "the section had no sources list before"
    path.write_text(text, encoding="utf-8")


def _lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


@pytest.mark.slow
def test_links_report_strict_and_link_health_on_the_site(project: Project, tmp_path: Path) -> None:
    root = project.data.parent
    with LoopbackServer() as server:
        plan = point_sources_at(project.data, server)
        plant_confidential_source(project.data, server.url("/ok/confidential"))
        report = tmp_path / "report.json"
        args = ["--root", str(root), "links", "--report", str(report), "--cache", str(tmp_path / "cache.json")]
        args += ["--timeout", "3", "--deadline", "60", "--allow-private"]  # the servers are on 127.0.0.1
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output  # broken URLs fail only with --strict ...
        assert "4 URLs: 2 ok, 1 unverified, 1 broken" in result.output
        assert f"warning: broken: {plan['hrw-2022-almaty']} (HTTP 404 Not Found)" in result.output
        assert not [line for line in _lines(result) if line.startswith("error")]  # ... so nothing says "error"
        strict = CliRunner().invoke(main, [*args, "--strict"])
        assert strict.exit_code == 1
        assert f"error: broken: {plan['hrw-2022-almaty']} (HTTP 404 Not Found)" in strict.output
        assert "error: 1 broken URL(s) (--strict)" in strict.output
        assert "warning: unverified: " in strict.output  # only broken lines turn into errors
        assert "Traceback" not in result.output + strict.output
        assert server.hits("/ok/confidential") == []  # confidential URLs are never fetched
    entries = {e["url"]: e for e in json.loads(report.read_text(encoding="utf-8"))}
    assert set(entries) == set(plan.values())
    ok = entries[plan["currenttime-2022-executions"]]
    assert ok["status"] == "ok" and sorted(ok["sources"]) == [
        "ili-kazakhstan-upr4/currenttime-2022-executions",
        "ili-kazakhstan-upr4/hrmi-rights-tracker",
    ]
    broken = entries[plan["hrw-2022-almaty"]]
    assert (broken["status"], broken["code"]) == ("broken", 404)
    assert broken["archived_suggestion"]
    moved = entries[plan["kz-law-on-refugees-2009"]]
    assert moved["status"] == "ok" and moved["permanent_redirect"]
    assert entries[plan["kz-law-on-citizenship-1991"]]["status"] == "unverified"
    for e in entries.values():
        assert set(e) >= {"url", "status", "code", "reason", "checked_at", "sources"}

    build = CliRunner().invoke(main, ["--root", str(root), "build", "--link-report", str(report)])
    assert build.exit_code == 0, build.output
    page = (project.site / "kb/ili-kazakhstan-upr4/sources/index.html").read_text(encoding="utf-8")
    assert "Link health:</strong> broken (HTTP 404)" in page
    assert "Link health:</strong> ok" in page
    assert "Link health:</strong> unverified (HTTP 403)" in page
    assert "Look for an archived copy" in page
    assert "checked " in page


def point_sources_nowhere(data: Path) -> None:
    """Every source URL of the seed on a host name that never resolves (``.invalid`` is reserved)."""
    for path in (data / SECTIONS).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^(  url: )\"https?://[^/\"]+", r'\1"http://nonexistent.invalid', text, flags=re.M)
        path.write_text(text, encoding="utf-8")


OFFLINE = "warning: no network: host names do not resolve on this machine, so 5 URLs were not checked"


@pytest.mark.slow
def test_offline_is_unverified_and_never_broken_on_the_site(project: Project, tmp_path: Path) -> None:
    """No name resolves (the probe asks for a reserved name): no URL is broken, with or without --strict."""
    root = project.data.parent
    point_sources_nowhere(project.data)
    report = tmp_path / "report.json"
    args = ["--root", str(root), "links", "--report", str(report), "--cache", str(tmp_path / "cache.json")]
    result = CliRunner().invoke(main, [*args, "--strict", "--probe-name", "nonexistent.invalid"])
    assert result.exit_code == 0, result.output
    lines = _lines(result)
    assert lines[0].startswith(OFFLINE), lines
    assert sum("no network" in line for line in lines) == 1  # said once, at the top
    assert lines[-1] == f"5 URLs: 0 ok, 5 unverified, 0 broken. Report: {report}"
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert {(e["status"], e["reason"], e["archived_suggestion"]) for e in entries} == {
        ("unverified", "no network", None)
    }

    build = CliRunner().invoke(main, ["--root", str(root), "build", "--link-report", str(report)])
    assert build.exit_code == 0, build.output
    page = (project.site / "kb/ili-kazakhstan-upr4/sources/index.html").read_text(encoding="utf-8")
    assert page.count("Link health:</strong> unverified: no network") == 5  # one line per source
    assert "broken" not in page


def test_offline_on_this_machine(project: Project, tmp_path: Path) -> None:
    """The real resolver with the default probe: offline here gives the notice; online, broken warnings."""
    from uprkb.linkcheck.network import DEFAULT_PROBE_NAMES, NameProbe

    online = NameProbe(DEFAULT_PROBE_NAMES, 10).resolves_any()
    point_sources_nowhere(project.data)
    args = ["--root", str(project.data.parent), "links", "--report", str(tmp_path / "r.json")]
    result = CliRunner().invoke(main, [*args, "--cache", str(tmp_path / "c.json"), "--timeout", "5"])
    assert result.exit_code == 0, result.output
    if online:
        assert "5 URLs: 0 ok, 0 unverified, 5 broken" in result.output
        assert all(line.startswith(("warning: broken: ", "5 URLs")) for line in _lines(result))
    else:
        assert _lines(result)[0].startswith(OFFLINE)
        assert "5 URLs: 0 ok, 5 unverified, 0 broken" in result.output
        assert "broken:" not in result.output


# ---------------------------------------------------------------------------
# A malformed link report, a missing lychee: one message, a hint, no traceback
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[{]", "the link report is not valid JSON"),
        ('{"https://example.org/": "ok"}', "should be a JSON list of results, not a dict"),
        ('[{"url": "https://example.org/", "status": "fine"}]', "entry 1 of the link report: missing keys"),
    ],
)
def test_build_with_a_malformed_link_report(project: Project, content: str, problem: str) -> None:
    report = project.data.parent / "link-report.json"  # the default report, read when present
    report.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(project.data.parent), "build"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert "link-report.json" in result.output and problem in result.output
    assert "hint: run 'python3 build_site.py links' again to write a new report, or delete the file" in result.output
    assert not project.site.exists()  # nothing was built


def test_check_without_lychee(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPRKB_LYCHEE", "/nonexistent/lychee")
    result = CliRunner().invoke(main, ["--root", str(project.data.parent), "check", "--site-dir", "out"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "the lychee link checker named by UPRKB_LYCHEE was not found: /nonexistent/lychee" in result.output
    assert "hint: unset UPRKB_LYCHEE" in result.output
    assert not (project.data.parent / "out").exists()  # it stopped before building


def test_check_without_lychee_installed(project: Project, tmp_path: Path) -> None:
    """No lychee beside Python and none on PATH: the hint says how to reinstall. A real process, no traceback."""
    code = (
        "import sys; sys.executable = sys.argv[1]; "
        "from uprkb.cli import main; main(['--root', sys.argv[2], 'check', '--site-dir', sys.argv[3]])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("UPRKB_LYCHEE", "UPRKB_DEBUG")} | {
        "PATH": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
    }
    args = [str(tmp_path / "python"), str(project.data.parent), str(tmp_path / "out")]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "error: the lychee link checker is not installed" in proc.stderr
    assert "run 'python3 build_site.py' once to reinstall them from requirements.lock" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_links_needs_no_lychee(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """lychee checks only the built site; external URLs are checked without it."""
    monkeypatch.setenv("UPRKB_LYCHEE", "/nonexistent/lychee")
    with LoopbackServer() as server:
        point_sources_at(project.data, server)
        args = ["--root", str(project.data.parent), "links", "--report", str(tmp_path / "r.json")]
        args += ["--cache", str(tmp_path / "c.json"), "--timeout", "3", "--allow-private"]  # servers on 127.0.0.1
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "4 URLs: 2 ok, 1 unverified, 1 broken" in result.output
