"""``check`` catches links to the placeholder publishing address (``upr-kb.example.org``): they are dead
wherever the site is published. The site's own pages link relatively."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.project import PROJECT
from uprkb.core.settings import PLACEHOLDER_SITE_URL
from uprkb.linkcheck.internal import check_site

HOST = urlsplit(PLACEHOLDER_SITE_URL).hostname
assert HOST


def test_a_link_to_the_placeholder_host_is_caught(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "index.html").write_text('<html><body><a href="guide/">guide</a></body></html>\n', encoding="utf-8")
    (site / "guide" / "index.html").write_text(
        "<html><body>\n<p>See the\n"
        f'<a href="https://{HOST}/kb/reference/data-model/#finding">data model</a> and '
        f'<img src="http://{HOST.upper()}/logo.png" alt="">.</p>\n'
        '<link rel="canonical" href="https://upr-kb.example.org/guide/">\n'
        "</body></html>\n",
        encoding="utf-8",
    )
    problems = check_site(site)
    assert [(p.code, p.location.path, p.location.line) for p in problems] == [
        ("placeholder-link", "guide/index.html", 3),
        ("placeholder-link", "guide/index.html", 3),
    ], [p.format() for p in problems]
    assert "placeholder" in problems[0].message and "/kb/reference/data-model/#finding" in problems[0].message
    assert "relative" in problems[0].hint


def test_the_hand_written_pages_link_relatively() -> None:
    found = [
        f"{path.relative_to(PROJECT)}: {m.group(0)}"
        for path in sorted((PROJECT / "docs").rglob("*.md"))
        if "kb" not in path.relative_to(PROJECT / "docs").parts[:1]
        for m in re.finditer(rf"\]\(https?://{re.escape(HOST)}[^)]*\)", path.read_text(encoding="utf-8"))
    ]
    assert found == []
