"""What a reader sees on the public site: no command, no file name, no internal record ID.

Every page of a built public site is read as a reader reads it (its text, with the titles and labels a
screen reader speaks; scripts, styles and the "Cite this" blocks left out) and must not show
``build_site.py``, a ``.yaml`` file or an internal record ID: a submission's finding and recommendation
IDs, a received recommendation's review-prefixed ID (``svn-upr4/140.7``) or an ID the knowledge base
assigned (``u-3f2a9c1b``). The official numbers and symbols stand in their place. Internal IDs remain in
the "Cite this" blocks (and the downloads), where a person citing a record wants them.

The editors' pages (the editing guide, the data-model reference, the error codes) are published at their
addresses, as the hints of ``validate`` link to them, but stand in no reader's menu and no reader's page
links to them; an internal build lists them in its menu under "For editors".
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import FOLLOWUP_SAMPLES, FOLLOWUP_SUBS, copy_project, has_slovenia, import_samples, import_slovenia
from uprkb.build.site import build_site, load_knowledge_base
from uprkb.core.project import Project

pytestmark = pytest.mark.slow

EDITORS_PAGES = ("editing/index.html", "kb/reference/data-model/index.html", "kb/reference/error-codes/index.html")
"""The editors' pages, as the built site holds them."""
CITE_CLASS = "uprkb-cite"
"""The HTML class of a record's "Cite this" block (``_macros.md.j2``)."""
TOOLING = re.compile(r"build_site\.py|\S+\.yaml\b")
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
SPOKEN = ("alt", "title", "aria-label", "placeholder")


class ReaderText(HTMLParser):
    """The text of a page as a reader gets it: its text and spoken attributes, outside scripts, styles and
    "Cite this" blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag not in VOID:
            hide = tag in ("script", "style", "template") or CITE_CLASS in (a.get("class") or "").split()
            self.open.append((tag, hide))
            self.hidden += hide
        if not self.hidden:
            self.parts += [v for k in SPOKEN if (v := a.get(k))]

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, hide = self.open.pop()
            self.hidden -= hide
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def reader_text(page: Path) -> str:
    parser = ReaderText()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(parser.parts)


def internal_ids(paths: Project) -> set[str]:
    """The knowledge base's internal record IDs that a reader must not be shown."""
    _result, kb = load_knowledge_base(paths)
    ids = {r.id for sub in kb.submissions for r in [*sub.findings, *sub.recommendations]}
    for review_id, review in kb.reviews.items():
        ids |= {f"{review_id}/{rec.id}" for rec in review.recommendations}
        ids |= {rec.id for rec in review.recommendations if rec.id_assigned}
    return ids


def id_pattern(ids: set[str]) -> re.Pattern[str]:
    """Any of ``ids`` standing as a whole word (not part of a longer ID, a path or an address)."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w/#.-])(?:{alternatives})(?![\w/-])")


def what_readers_see(paths: Project) -> dict[str, list[str]]:
    """Each reader page of the built site that shows tooling or an internal ID, with what it shows."""
    ids = id_pattern(internal_ids(paths))
    out: dict[str, list[str]] = {}
    for page in sorted(paths.site.rglob("*.html")):
        rel = page.relative_to(paths.site).as_posix()
        if rel in EDITORS_PAGES:
            continue
        text = reader_text(page)
        shown = sorted({m.group(0) for m in TOOLING.finditer(text)} | {m.group(0) for m in ids.finditer(text)})
        if shown:
            out[rel] = shown
    return out


@pytest.fixture(scope="module")
def with_reviews(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The seed with reviews and follow-up, built as the public site: Iceland's sample review (report,
    addendum, UPR Info rows with assigned IDs) and, where the real material is beside the checkout,
    Slovenia's 4th-cycle review with the two follow-up test submissions."""
    paths = copy_project(tmp_path_factory.mktemp("readers"))
    import_samples(paths.data)
    if has_slovenia():
        import_slovenia(paths.data)
        for sid in FOLLOWUP_SUBS:
            shutil.copytree(FOLLOWUP_SAMPLES / sid, paths.data / "submissions" / sid)
    build_site(paths)
    yield paths


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}: {', '.join(shown[:6])}{' …' if len(shown) > 6 else ''}" for page, shown in found.items())


def test_no_reader_page_of_the_seed_shows_tooling_or_internal_ids(built: Project) -> None:
    found = what_readers_see(built)
    assert not found, f"{len(found)} reader page(s) show tooling or internal IDs:\n{_report(found)}"


def test_no_reader_page_with_reviews_shows_tooling_or_internal_ids(with_reviews: Project) -> None:
    assert internal_ids(with_reviews), "the knowledge base holds no IDs: the check would prove nothing"
    found = what_readers_see(with_reviews)
    assert not found, f"{len(found)} reader page(s) show tooling or internal IDs:\n{_report(found)}"


def test_the_cite_this_blocks_keep_the_permalink(built: Project) -> None:
    page = next(built.site.glob("kb/ili-kazakhstan-upr4/*/index.html"))
    html = page.read_text(encoding="utf-8")
    assert f'class="{CITE_CLASS}"' in html
    assert re.search(r'class="uprkb-cite-text">[^<]*kb/ili-kazakhstan-upr4/[^<]*#r-', html)


_LINK = re.compile(r'<a\b[^>]*\bhref="([^"#]*)')


def _links_to_editors(paths: Project, page: Path) -> list[str]:
    here = page.parent
    out = []
    for href in _LINK.findall(page.read_text(encoding="utf-8")):
        if not href or "://" in href or href.startswith(("mailto:", "/")):
            continue
        target = (here / href).resolve()
        target = target / "index.html" if not target.suffix else target
        rel = target.relative_to(paths.site.resolve()).as_posix() if target.is_relative_to(paths.site.resolve()) else ""
        if rel in EDITORS_PAGES:
            out.append(href)
    return out


def test_no_reader_page_or_menu_leads_to_the_editors_pages(built: Project) -> None:
    for rel in EDITORS_PAGES:
        assert (built.site / rel).is_file(), f"{rel}: the hints of validate link to it"
    leading = {
        page.relative_to(built.site).as_posix(): links
        for page in sorted(built.site.rglob("*.html"))
        if page.relative_to(built.site).as_posix() not in EDITORS_PAGES and (links := _links_to_editors(built, page))
    }
    assert not leading, f"{len(leading)} reader page(s) link to the editors' pages: " + "; ".join(
        f"{page}: {', '.join(sorted(set(links)))}" for page, links in list(leading.items())[:5]
    )
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert "For editors" not in home and "Editing this knowledge base" not in home


def test_the_editors_pages_are_left_out_of_the_public_search(built: Project) -> None:
    index = (built.site / "search" / "search_index.json").read_text(encoding="utf-8").replace(" ", "")
    indexed = [rel for rel in EDITORS_PAGES if f'"location":"{rel.removesuffix("index.html")}' in index]
    assert not indexed, f"the public search finds the editors' pages {indexed}"


def test_an_internal_build_lists_the_editors_pages_under_for_editors(tmp_path: Path) -> None:
    paths = copy_project(tmp_path / "internal")
    import_samples(paths.data)
    build_site(paths, include_confidential=True)
    home = (paths.site / "index.html").read_text(encoding="utf-8")
    menu = home[home.index("md-sidebar--primary") : home.index("md-sidebar--secondary")]
    assert "For editors" in menu
    for rel in EDITORS_PAGES:
        assert f'href="{rel.removesuffix("index.html")}"' in menu, rel
    kb_home = (paths.site / "kb" / "index.html").read_text(encoding="utf-8")
    assert _links_to_editors(paths, paths.site / "kb" / "index.html"), "the internal home links the editors' pages"
    assert "For editors:" in kb_home
    review = reader_text(paths.site / "kb" / "reviews" / "isl-upr4" / "index.html")
    assert "wg-report-sample.txt" in review, "an internal build's review page names the files imported"
