"""End to end: the seed built with the real MkDocs, checked page by page and link by link."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from uprkb.build.site import build_site, generate_docs, load_knowledge_base
from uprkb.core.errors import DataError
from uprkb.core.project import Project
from uprkb.linkcheck.internal import check_site
from uprkb.site.pages import human_size

GOLDEN = Path(__file__).parent / "golden"
SUB = "ili-kazakhstan-upr4"


def generated_files(docs: Path) -> dict[str, str]:
    root = docs / "kb"
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))}


DOWNLOAD_SIZE = re.compile(r"(\]\([^()\s]*downloads/[^()\s]+\)) \((?:\d+ bytes|\d+\.\d (?:KB|MB))\)")
"""A download link and the size printed after it (``site.pages.human_size``)."""
SIZE = "(size)"


def without_sizes(text: str) -> str:
    """``text`` with every download's byte size replaced by ``(size)``.

    The golden pages hold no output of external tools: the PDF is laid out by the machine's LibreOffice
    and its fonts, the Word document and the database by zlib's and SQLite's versions, so their sizes
    differ between correct installs. The sizes printed are checked against the files themselves in
    ``test_download_sizes_are_the_files_sizes``."""
    return DOWNLOAD_SIZE.sub(rf"\1 {SIZE}", text)


def golden_differences(files: dict[str, str], golden: dict[str, str]) -> list[str]:
    """Every page missing, extra or different, and for each different page its first differing line."""
    out = [f"{rel}: generated, not in tests/golden" for rel in sorted(files.keys() - golden.keys())]
    out += [f"{rel}: in tests/golden, not generated" for rel in sorted(golden.keys() - files.keys())]
    for rel in sorted(files.keys() & golden.keys()):
        made, kept = without_sizes(files[rel]).splitlines(), golden[rel].splitlines()
        for n, (a, b) in enumerate(zip(made, kept, strict=False), start=1):
            if a != b:
                out.append(f"{rel}:{n}: tests/golden has\n    {b!r}\n  the build wrote\n    {a!r}")
                break
        else:
            if len(made) != len(kept):
                n = min(len(made), len(kept)) + 1
                more = "the build wrote more lines" if len(made) > len(kept) else "tests/golden has more lines"
                out.append(f"{rel}:{n}: {more}")
            elif without_sizes(files[rel]) != golden[rel]:
                out.append(f"{rel}: line endings or the final newline differ")
    return out


def read_golden() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.md"))}


def test_golden_markdown(built: Project) -> None:
    """The generated Markdown equals tests/golden/ but for download sizes; regenerate with `make golden`."""
    files = generated_files(built.docs)
    if os.environ.get("UPRKB_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(without_sizes(text), encoding="utf-8")
    problems = golden_differences(files, read_golden())
    assert not problems, "differs from tests/golden (run `make golden` if intended):\n" + "\n".join(problems)


def test_the_golden_pages_hold_no_byte_size() -> None:
    golden = read_golden()
    assert any(SIZE in text for text in golden.values()), "no download link found: DOWNLOAD_SIZE is out of date"
    sizes = re.compile(r"\(\d+(?:\.\d)? (?:bytes|KB|MB)\)")
    assert [f"{rel}: {m.group(0)}" for rel, text in golden.items() for m in sizes.finditer(text)] == []


def test_download_sizes_are_the_files_sizes(built: Project) -> None:
    """Every size a page prints is its download's size (the golden comparison leaves sizes out)."""
    root = built.docs / "kb"
    seen = 0
    for page in sorted(root.rglob("*.md")):
        for m in re.finditer(r"\]\(([^()\s]*downloads/[^()\s]+)\) \(([^)]*)\)", page.read_text(encoding="utf-8")):
            target = (page.parent / m.group(1)).resolve()
            assert m.group(2) == human_size(target.stat().st_size), f"{page.relative_to(root)}: {m.group(0)}"
            seen += 1
    assert seen >= 9


def test_the_golden_pages_pass_with_a_pdf_of_another_size(
    built: Project, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another LibreOffice (or other fonts) lays the same document out in another number of bytes: the
    pages print another size, and the golden comparison still passes."""
    import uprkb.exports.pdf

    made = (built.docs / "kb" / "downloads" / f"{SUB}.pdf").read_bytes()
    other = made + b"%" + b" another layout" * 600 + b"\n"

    def another_libreoffice(docx: Path, output: Path, mark: str | None = None) -> None:
        output.write_bytes(other)

    monkeypatch.setattr(uprkb.exports.pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(uprkb.exports.pdf, "convert_to_pdf", another_libreoffice)
    generate_docs(project, documents=True)
    files = generated_files(project.docs)
    line = f"- [The same document \\(PDF\\)](../downloads/{SUB}.pdf) ({{}})"
    assert line.format(human_size(len(made))) in generated_files(built.docs)[f"{SUB}/index.md"]
    assert line.format(human_size(len(other))) in files[f"{SUB}/index.md"]
    assert human_size(len(other)) != human_size(len(made))
    assert golden_differences(files, read_golden()) == []


def test_a_golden_difference_names_its_page_and_line() -> None:
    golden = {"a.md": "one\ntwo\nthree\n", "gone.md": "x\n"}
    files = {"a.md": "one\n2\nthree\n", "new.md": "y\n"}
    assert golden_differences(files, golden) == [
        "new.md: generated, not in tests/golden",
        "gone.md: in tests/golden, not generated",
        "a.md:2: tests/golden has\n    'two'\n  the build wrote\n    '2'",
    ]
    assert golden_differences({"a.md": "one\n"}, {"a.md": "one\ntwo\n"}) == ["a.md:2: tests/golden has more lines"]
    sized = "- [The PDF](../downloads/x.pdf) (75.4 KB)\n"
    assert golden_differences({"a.md": sized}, {"a.md": "- [The PDF](../downloads/x.pdf) (size)\n"}) == []


def test_every_finding_and_recommendation_has_an_element_id(built: Project) -> None:
    _, kb = load_knowledge_base(Project.at(built.data.parent))
    sub = kb.submissions[0]
    for section in sub.sections:
        page = built.site / "kb" / SUB / section.id / "index.html"
        ids = set(lxml_html.parse(str(page)).getroot().xpath("//@id"))
        for record in [*section.findings(), *section.recommendations()]:
            assert record.id in ids, f"{record.id} has no anchor on {page}"
    full = set(lxml_html.parse(str(built.site / "kb" / SUB / "full-text" / "index.html")).getroot().xpath("//@id"))
    assert {r.id for r in sub.recommendations} <= full


def test_every_internal_link_and_fragment_resolves(built: Project) -> None:
    problems = check_site(built.site)
    assert [p.format() for p in problems] == []


def test_a_broken_anchor_is_caught_with_page_and_link(built: Project, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built.site, site)
    page = site / "kb" / SUB / "right-to-life" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            'href="#r-investigate-csto-weapons"', 'href="#r-renamed-meanwhile"', 1
        ),
        encoding="utf-8",
    )
    problems = check_site(site)
    assert problems, "lychee found nothing"
    assert problems[0].location.path == f"kb/{SUB}/right-to-life/index.html"
    assert problems[0].location.line > 0
    assert "#r-renamed-meanwhile" in problems[0].message


@pytest.mark.slow
def test_a_template_that_links_to_a_missing_anchor_fails_the_strict_build(project: Project) -> None:
    template = project.templates / "section.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n[broken](#no-such-anchor)\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        build_site(project)
    messages = " ".join(p.message for p in info.value.problems)
    assert "no-such-anchor" in messages
    assert "right-to-life.md" in messages or "legal-framework.md" in messages
    assert not project.site.exists()


def test_downloads(built: Project) -> None:
    payload = json.loads((built.site / "kb" / "downloads" / "knowledge-base.json").read_text(encoding="utf-8"))
    records = payload["records"]
    by_id = {r["id"]: r for r in records}
    kinds = {r["kind"] for r in records}
    assert {"submission", "section", "finding", "recommendation", "source", "theme", "sdg-target"} <= kinds
    assert sum(r["kind"] == "recommendation" for r in records) == 19
    for r in records:
        # The publishing address is still the placeholder: permalinks stay relative to the site's root.
        assert r["permalink"].startswith("kb/"), r
        assert r.get("text") or r.get("title"), r
    for r in records:
        if r["kind"] == "recommendation":
            for key in ("themes", "findings", "sdg_targets", "sources"):
                for ref in r[key]:
                    assert ref in by_id, (r["id"], key, ref)
    assert all(r["url"] for r in records if r["kind"] == "source")
    # permalinks point at real anchors of the built site
    for r in records:
        if r["kind"] in ("recommendation", "finding", "source"):
            path, _, anchor = r["permalink"].partition("#")
            page = built.site / path / "index.html"
            assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), r["permalink"]
    csv_text = (built.site / "kb" / "downloads" / "recommendations.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len(rows) == 19
    assert {
        "recommendation_id",
        "state_under_review",
        "cycle",
        "session",
        "action_category",
        "response",
        "sdg_targets",
        "permalink",
    } <= set(rows[0])
    assert rows[0]["state_iso3"] == "KAZ" and rows[0]["cycle"] == "4"
    # Each submission's own files, linked from its page with their sizes.
    for name in (f"{SUB}.json", f"{SUB}-recommendations.csv", f"{SUB}.txt"):
        assert (built.site / "kb" / "downloads" / name).stat().st_size > 1000, name
    overview = (built.site / "kb" / SUB / "index.html").read_text(encoding="utf-8")
    # The document OHCHR receives, as Word and (with LibreOffice) as PDF, offered beside them.
    docx = built.site / "kb" / "downloads" / f"{SUB}.docx"
    assert docx.read_bytes()[:2] == b"PK" and f'href="../downloads/{SUB}.docx"' in overview
    if shutil.which("soffice") or shutil.which("libreoffice"):
        pdf = built.site / "kb" / "downloads" / f"{SUB}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-" and f'href="../downloads/{SUB}.pdf"' in overview
    assert f'href="../downloads/{SUB}-recommendations.csv"' in overview
    assert re.search(r"Recommendations \(CSV\)</a> \(\d+\.\d KB\)", overview)


def test_an_absolute_publishing_address_makes_absolute_permalinks(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uprkb.build.site import generate_docs

    monkeypatch.setenv("UPRKB_SITE_URL", "https://ngo.example.net/upr/")
    generate_docs(project)
    payload = json.loads((project.docs / "kb" / "downloads" / "knowledge-base.json").read_text(encoding="utf-8"))
    permalinks = [r["permalink"] for r in payload["records"]]
    assert permalinks and all(p.startswith("https://ngo.example.net/upr/kb/") for p in permalinks)


def test_no_request_to_another_host_in_the_html(built: Project) -> None:
    for page in built.site.rglob("*.html"):
        doc = lxml_html.parse(str(page)).getroot()
        for el in doc.xpath("//script[@src] | //link[@href and not(@rel='canonical')] | //img[@src] | //iframe"):
            url = el.get("src") or el.get("href") or ""
            assert not re.match(r"^(https?:)?//", url), f"{page}: {url}"
    assert "fonts.googleapis" not in (built.site / "index.html").read_text(encoding="utf-8")


def test_nav_stays_small(built: Project) -> None:
    """Generated record pages are reached through hubs, not the nav rendered into every page."""
    page = lxml_html.parse(str(built.site / "kb" / SUB / "right-to-life" / "index.html")).getroot()
    nav_links = page.xpath("//nav[contains(@class,'md-nav--primary')]//a[contains(@class,'md-nav__link')]")
    pages = len(list(built.site.rglob("index.html")))
    assert pages > 60
    assert len(nav_links) < 30


def test_generation_is_deterministic_and_incremental(project: Project) -> None:
    _, _, first, _ = generate_docs(project)
    assert first.written and not first.removed
    _, _, again, _ = generate_docs(project)
    # Every page and download is unchanged the second time.
    assert again.written == [] and again.unchanged == len(first.written)
    stale = project.docs / "kb" / "old-page.md"
    stale.write_text("stale", encoding="utf-8")
    handwritten = (project.docs / "editing.md").read_bytes()
    section = project.data / "submissions" / SUB / "sections" / "05-freedom-of-torture.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace("Ensure fair punishment", "Ensure fair and prompt punishment"),
        encoding="utf-8",
    )
    _, _, edit, _ = generate_docs(project)
    assert edit.removed == ["old-page.md"]
    assert f"{SUB}/freedom-of-torture.md" in edit.written
    assert f"{SUB}/right-to-life.md" not in edit.written
    assert (project.docs / "editing.md").read_bytes() == handwritten


def test_section_pages_show_footnotes_linking_to_sources(built: Project) -> None:
    page = lxml_html.parse(str(built.site / "kb" / SUB / "right-to-life" / "index.html")).getroot()
    notes = page.xpath("//div[contains(@class,'footnote')]//li")
    assert len(notes) == 2
    hrefs = [a.get("href") for li in notes for a in li.xpath(".//a")]
    assert any(h.endswith("sources/#hrw-2022-almaty") for h in hrefs)
    sources = lxml_html.parse(str(built.site / "kb" / SUB / "sources" / "index.html")).getroot()
    entry = sources.xpath("//*[@id='hrw-2022-almaty']")
    assert entry
    text = sources.text_content()
    assert "Cited in" in text and "Link health" in text


def test_every_page_kind_is_built(built: Project) -> None:
    expected = [
        "index.html",
        "kb/index.html",
        f"kb/{SUB}/index.html",
        f"kb/{SUB}/right-to-life/index.html",
        f"kb/{SUB}/full-text/index.html",
        f"kb/{SUB}/sources/index.html",
        "kb/recommendations/index.html",
        "kb/findings/index.html",
        "kb/sources/index.html",
        "kb/timeline/index.html",
        "kb/themes/index.html",
        "kb/themes/right-to-life/index.html",
        "kb/affected-persons/index.html",
        "kb/sdgs/index.html",
        "kb/sdgs/sdg-16-3/index.html",
        "kb/instruments/index.html",
        "kb/instruments/iccpr/index.html",
        "kb/reference/data-model/index.html",
        "kb/reference/error-codes/index.html",
        "editing/index.html",
        "kb/downloads/knowledge-base.json",
        "kb/downloads/recommendations.csv",
        "search/search_index.json",
    ]
    missing = [p for p in expected if not (built.site / p).exists()]
    assert missing == []
    timeline = (built.site / "kb" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert timeline.index("2022") < timeline.index("2023")


def test_full_text_shows_the_word_documents_paragraph_numbers(built: Project) -> None:
    """OHCHR cites a submission by paragraph: "ILI, para. 12" resolves on the site (#para-12), to the same record."""
    from uprkb.present.numbering import numbered_paragraphs

    _, kb = load_knowledge_base(Project.at(built.data.parent))
    doc = lxml_html.parse(str(built.site / "kb" / SUB / "full-text" / "index.html")).getroot()
    numbered = numbered_paragraphs(kb.submissions[0])
    assert len(numbered) > 40
    for p in numbered:
        (anchor,) = doc.xpath(f"//*[@id='{p.anchor}']")
        holders = [a.get("id") for a in anchor.iterancestors()]
        assert p.id in holders, f"{p.anchor} is not inside {p.id}"
