"""Confidential records never reach the public site, downloads or link checks;
an internal build includes them behind a banner."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from uprkb.build.site import build_site, load_knowledge_base
from uprkb.cli import main
from uprkb.core.project import Project
from uprkb.linkcheck import link_targets

from .conftest import copy_project

SUB = "submissions/ili-kazakhstan-upr4"
CANARIES = {
    "paragraph": "canary-para-7f3a",
    "quote": "canary-quote-91be",
    "list": "canary-list-c0d2",
    "finding": "canary-finding-5e11",
    "listed-finding": "canary-listfinding-2a9c",
    "recommendation": "canary-rec-88d0",
    "source": "canary-source-4b67",
    "source-url": "canary-url-e5f1",
}


def plant_confidential(data: Path) -> None:
    """Confidential records of every kind, cited from public ones, in §2."""
    section = data / SUB / "sections" / "02-right-to-life.yaml"
    text = section.read_text(encoding="utf-8")
    c = CANARIES
    blocks = f"""\
- type: paragraph
  id: {c["paragraph"]}
  confidential: true
  text: Witness statement {c["paragraph"]}[^{c["source"]}].
- type: quote
  id: {c["quote"]}
  confidential: true
  text: Quoted {c["quote"]}.
  provision: iccpr-art-6
- type: list
  id: {c["list"]}
  confidential: true
  items: [Item {c["list"]}]
- type: finding
  finding:
    id: {c["finding"]}
    confidential: true
    text: Unpublished finding {c["finding"]}[^{c["source"]}].
    kind: fact
    events:
      - date: 2022-01-07
        description: Event {c["finding"]}
- type: findings
  items:
    - id: {c["listed-finding"]}
      confidential: true
      text: Listed {c["listed-finding"]}.
      kind: conclusion
- type: recommendations
  items:
    - id: {c["recommendation"]}
      number: 11
      confidential: true
      text: Secret recommendation {c["recommendation"]}.
      action_category: 5
      action_verb: Do
      themes: [right-to-life]
      findings: [{c["finding"]}]
"""
    text = text.replace("\nbody:\n", "\nbody:\n" + blocks, 1)
    # a public paragraph cites the confidential source too, before the public footnotes
    text = re.sub(r"(text: In the first days of January 2022[^\n]*?officials\.)", rf"\1[^{c['source']}]", text, count=1)
    text = text.replace(
        "\nsources:\n",
        f"""
sources:
- id: {c["source"]}
  confidential: true
  kind: ngo
  title: Interview notes {c["source"]}
  url: https://{c["source-url"]}.example.org/notes
""",
        1,
    )
    section.write_text(text, encoding="utf-8")
    # a public recommendation rests on the confidential finding
    text = section.read_text(encoding="utf-8")
    text, n = re.subn(r"(  findings:\n)(\s+- )", rf"\1\2{c['finding']}\n\2", text, count=1)
    assert n == 1
    section.write_text(text, encoding="utf-8")


def all_bytes(site: Path) -> bytes:
    out = []
    for p in site.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            out.append(gzip.decompress(data) if p.suffix == ".gz" else data)
            out.append(str(p.relative_to(site)).encode())
    return b"\n".join(out)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Project:
    paths = copy_project(tmp_path_factory.mktemp("confidential"))
    plant_confidential(paths.data)
    return paths


def test_the_planted_data_is_valid(planted: Project) -> None:
    result = CliRunner().invoke(main, ["validate", "--data", str(planted.data)])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_public_build_contains_no_canary(planted: Project) -> None:
    build_site(planted)
    blob = all_bytes(planted.site)
    assert b"CSTO" in blob  # the public content is there
    leaked = [name for name, canary in CANARIES.items() if canary.encode() in blob]
    assert leaked == []
    # footnote numbering skips the confidential source: §2 still shows footnotes 1 and 2
    page = (planted.site / "kb/ili-kazakhstan-upr4/right-to-life/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'class="footnote-ref"', page)) == 2


def test_link_checker_never_sees_confidential_urls(planted: Project) -> None:
    _, kb = load_knowledge_base(planted)
    urls = [t.url for t in link_targets(kb)]
    assert len(urls) == 5
    assert not [u for u in urls if CANARIES["source-url"] in u]


@pytest.mark.slow
def test_internal_build_includes_them_with_a_banner(planted: Project, tmp_path: Path) -> None:
    out = tmp_path / "site-internal"
    result = CliRunner().invoke(
        main, ["build", "--data", str(planted.data), "--include-confidential", "--site-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    blob = all_bytes(out)
    assert all(c.encode() in blob for c in CANARIES.values())
    for page in (out / "index.html", out / "kb/ili-kazakhstan-upr4/right-to-life/index.html"):
        assert "INTERNAL BUILD" in page.read_text(encoding="utf-8")
    # Every confidential record is visibly marked where it appears; public ones are not.
    section = lxml_html.parse(str(out / "kb/ili-kazakhstan-upr4/right-to-life/index.html")).getroot()
    for kind in ("paragraph", "list", "finding", "listed-finding", "recommendation"):
        (el,) = section.xpath(f"//*[@id='{CANARIES[kind]}']")
        marked = "uprkb-confidential" in (el.get("class") or "") or el.xpath(".//*[@class='uprkb-secret']")
        assert marked, f"the confidential {kind} is not marked"
    public = section.xpath("//*[@id='r-investigate-csto-weapons']")[0]
    assert "uprkb-confidential" not in (public.get("class") or "")
    # The editors' column (whether each UN symbol was checked) shows in the internal build only.
    assert "Symbol checked" in (out / "kb/ili-kazakhstan-upr4/index.html").read_text(encoding="utf-8")
    assert (
        "INTERNAL BUILD" not in (planted.site / "index.html").read_text(encoding="utf-8")
        if planted.site.exists()
        else True
    )


def test_internal_build_never_writes_the_public_site(planted: Project) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--root",
            str(planted.data.parent),
            "build",
            "--include-confidential",
            "--site-dir",
            str(planted.data.parent / "site"),
        ],
    )
    assert result.exit_code == 2
    assert "never writes to site/" in result.output


def test_errors_about_confidential_records_do_not_echo_values(tmp_path: Path) -> None:
    paths = copy_project(tmp_path / "p")
    plant_confidential(paths.data)
    section = paths.data / SUB / "sections" / "02-right-to-life.yaml"
    secret = "SECRETVALUE-do-not-print"
    section.write_text(
        section.read_text(encoding="utf-8")
        .replace(f"url: https://{CANARIES['source-url']}.example.org/notes", f"url: javascript:{secret}")
        .replace("        - date: 2022-01-07\n", f"        - date: 2022-01-07\n          end: 2021-{secret}\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", "--data", str(paths.data)])
    assert result.exit_code == 1
    assert "[invalid-value]" in result.output and "url" in result.output
    assert secret not in result.output
