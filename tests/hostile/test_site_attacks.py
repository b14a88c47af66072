"""Site-side attacks: strings from the data that try to run script on the published site,
commands pointed at folders and files they do not own, caches tampered with, spreadsheet
formulas in the downloads, hostile chart labels and table filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uprkb.build.safety import scan_html, scan_site, scan_svg
from uprkb.core.project import Project

PAYLOAD = "x </title><script>alert(1)</script>"


def plant_labels(data: Path, value: str = PAYLOAD) -> None:
    """Put ``value`` into every label that reaches a page title: theme, affected persons, submission
    title, State name, section title and instrument title."""

    def sub(path: Path, pattern: str, repl: str) -> None:
        text = path.read_text(encoding="utf-8")
        new = re.sub(pattern, lambda m: m.group(1) + repl, text, count=1, flags=re.M)
        assert new != text, (path, pattern)
        path.write_text(new, encoding="utf-8")

    import json

    q = json.dumps(value)
    voc = data / "vocabularies"
    sub(voc / "themes.yaml", r"^(\s*label: ).*$", q)
    sub(voc / "affected-persons.yaml", r"^(\s*label: ).*$", q)
    sub(voc / "instruments.yaml", r"^(  title: ).*$", q)
    sub_dir = data / "submissions" / "ili-kazakhstan-upr4"
    sub(sub_dir / "submission.yaml", r"^(title: ).*$", q)
    sub(sub_dir / "submission.yaml", r"^(  name: )Kazakhstan$", q)
    sub(sub_dir / "sections" / "01-legal-framework.yaml", r"^(title: ).*$", q)


def titles(site: Path) -> dict[str, str]:
    out = {}
    for page in site.rglob("*.html"):
        m = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        assert m, page
        out[page.relative_to(site).as_posix()] = m.group(1)
    return out


@pytest.mark.slow
def test_labels_reach_titles_nav_and_meta_as_text(project: Project) -> None:
    from uprkb.build.site import build_site

    plant_labels(project.data)
    build_site(project)
    found = titles(project.site)
    escaped = "x &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert sum(escaped in t for t in found.values()) >= 6, found
    for page in project.site.rglob("*.html"):
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), page
    assert scan_site(project.site, project.config) == []


# -- the active-content scan reads every byte ---------------------------------------------------


def page(head: str = "", body: str = "", article: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>t</title>{head}</head>"
        f"<body><nav>{body}</nav><article>{article}</article></body></html>"
    )


@pytest.mark.parametrize(
    "head,body",
    [
        ("</title><script>alert(1)</script>", ""),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', ""),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', ""),
        ('<script src="https://evil.example/x.js"></script>', ""),
        ('<script src="assets/javascripts/planted.js"></script>', ""),
        ('<base href="https://evil.example/">', ""),
        ("", "<a href='javascript:alert(1)'>home</a>"),
        ("", "<img src=x onerror=alert(1)>"),
        ("", "<iframe src='https://evil.example/'></iframe>"),
        ("", '<script type="application/json">alert(1)</script>'),
    ],
)
def test_the_scan_reads_the_head_and_the_chrome(head: str, body: str) -> None:
    assert scan_html(page(head, body)), (head, body)


def test_the_theme_scripts_pass_by_hash_and_source(tmp_path: Path) -> None:
    from uprkb.build.safety import allowed_script_sources

    (tmp_path / "mkdocs.yml").write_text("extra_javascript:\n  - assets/javascripts/tables.js\n")
    scripts = allowed_script_sources(tmp_path / "mkdocs.yml")
    assert "assets/javascripts/tables.js" in scripts
    site = tmp_path / "site"
    (site / "kb").mkdir(parents=True)
    (site / "kb" / "index.html").write_text(
        page(
            '<script src="../assets/javascripts/tables.js"></script>'
            '<script id="__config" type="application/json">{"base": ".."}</script>'
        )
    )
    assert scan_site(site, tmp_path / "mkdocs.yml") == []
    (site / "kb" / "index.html").write_text(page('<script src="../assets/javascripts/other.js"></script>'))
    assert scan_site(site, tmp_path / "mkdocs.yml")


def test_the_scan_reads_svg_files_and_the_search_index(tmp_path: Path) -> None:
    assert scan_svg("<svg><script>alert(1)</script></svg>")
    assert scan_svg('<svg><a href="https://evil.example/">x</a></svg>')
    assert scan_svg("<svg><foreignObject><div>x</div></foreignObject></svg>")
    assert scan_svg("<svg><style>@import url(https://evil.example/x.css)</style></svg>")
    assert scan_svg('<svg onload="alert(1)"></svg>')
    clean = '<svg><defs><style type="text/css">*{stroke-linejoin: round}</style></defs><use xlink:href="#p1"/></svg>'
    assert scan_svg(clean) == []
    site = tmp_path / "site"
    (site / "charts").mkdir(parents=True)
    (site / "charts" / "c.svg").write_text("<svg><script>alert(1)</script></svg>")
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(
        '{"docs": [{"location": "a/", "title": "<img src=x onerror=alert(1)>", "text": "<p>ok</p>"}]}'
    )
    where = sorted(p.location.path for p in scan_site(site))
    assert where == ["charts/c.svg", "search/search_index.json a/ (title)"]
