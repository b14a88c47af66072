"""`build_site.py links` end to end: URLs from the public data, checked against loopback
servers, a JSON report, and link health shown on the site."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from uprkb.build import Paths
from uprkb.cli import main

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


def test_links_report_strict_and_link_health_on_the_site(project: Paths, tmp_path: Path) -> None:
    root = project.data.parent
    with LoopbackServer() as server:
        plan = point_sources_at(project.data, server)
        plant_confidential_source(project.data, server.url("/ok/confidential"))
        report = tmp_path / "report.json"
        args = ["--root", str(root), "links", "--report", str(report), "--cache", str(tmp_path / "cache.json")]
        args += ["--timeout", "3", "--deadline", "60"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output  # broken URLs fail only with --strict
        assert "4 URLs: 2 ok, 1 unverified, 1 broken" in result.output
        strict = CliRunner().invoke(main, [*args, "--strict"])
        assert strict.exit_code == 1
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
