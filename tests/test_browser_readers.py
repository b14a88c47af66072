"""What readers see, in a real headless Chromium at 1280 and 390 px, with two submissions.

The seed plus a small sample submission of our own (tests/samples/second-submission,
marked as test data) are built together: the recommendations table shows submission,
State and cycle columns and filters that combine and live in the address; no page
scrolls sideways on a phone; download links resolve; the printed full text carries
its header and each footnote URL once; citations read right; the filters work by
keyboard; axe-core finds nothing serious on the new page kinds. Screenshots go to
test-artifacts/ at both widths.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import (
    ARTIFACTS,
    SKIP_ENV,
    NetworkGuard,
    PageWatch,
    axe_script,
    describe_violations,
    launched_chromium,
    origin,
    run_axe,
    skip_requested,
)
from tests.conftest import SAMPLE_REVIEW, copy_project, import_samples, serve_folder
from uprkb.build.site import build_site
from uprkb.core.project import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(skip_requested(), reason=f"{SKIP_ENV}=1: browser tests skipped on request"),
]

SAMPLES = Path(__file__).parent / "samples"
SAMPLE = SAMPLES / "second-submission" / "test-sample-svn-upr4"
SEED = "ili-kazakhstan-upr4"
WIDTHS = {"desktop": 1280, "phone": 390}
PAGES = {
    "recommendations": "kb/recommendations/",
    "submission": f"kb/{SEED}/",
    "section": f"kb/{SEED}/right-to-life/",
    "theme": "kb/themes/freedom-of-association/",
    "full-text": f"kb/{SEED}/full-text/",
    "home": "",
}


@pytest.fixture(scope="module")
def two_submissions(tmp_path_factory: pytest.TempPathFactory) -> Project:
    paths = copy_project(tmp_path_factory.mktemp("readers"))
    shutil.copytree(SAMPLE, paths.data / "submissions" / SAMPLE.name)
    # A review of our own samples (tests/samples), so the review and State pages are read too.
    import_samples(paths.data, SAMPLE_REVIEW[:2])
    build_site(paths)
    return paths


def review_path(paths: Project) -> str:
    (review,) = [p.name for p in (paths.site / "kb" / "reviews").iterdir() if p.is_dir()]
    return f"kb/reviews/{review}/"


@pytest.fixture(scope="module")
def base(two_submissions: Project) -> Iterator[str]:
    with serve_folder(two_submissions.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


class Reader:
    """One tab at a given width; every request it makes is guarded and every error recorded."""

    def __init__(self, browser: Any, base: str, width: int) -> None:
        self.guard = NetworkGuard(origin(base))
        self.context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
        self.context.set_default_timeout(10_000)
        self.context.route("**/*", self.guard.handle)
        self.page = self.context.new_page()
        self.watch = PageWatch(self.guard)
        self.watch.attach(self.page)
        self.base = base

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        return self.page

    def assert_clean(self) -> None:
        assert not self.watch.problems(), self.watch.problems()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def reader(request: pytest.FixtureRequest, browser: Any, base: str) -> Iterator[Reader]:
    r = Reader(browser, base, WIDTHS[request.param])
    try:
        yield r
    finally:
        r.close()


@pytest.fixture
def desktop(browser: Any, base: str) -> Iterator[Reader]:
    r = Reader(browser, base, WIDTHS["desktop"])
    try:
        yield r
    finally:
        r.close()


ROWS_JS = """(table) => {
  const heads = Array.from(table.tHead.rows[0].cells).map(c => c.textContent.trim());
  return Array.from(table.tBodies[0].rows).map(r => {
    const o = {shown: !r.hidden};
    heads.forEach((h, i) => { o[h] = Array.from(r.cells[i].querySelectorAll('a')).map(a => a.textContent.trim());
                              o[h + ' text'] = r.cells[i].textContent.trim(); });
    return o;
  });
}"""


def test_table_columns_and_combined_filters_in_the_address(desktop: Reader) -> None:
    from playwright.sync_api import expect

    page = desktop.open(PAGES["recommendations"])
    wrapper = page.locator(".uprkb-table[data-ready]")
    table = wrapper.locator("table")
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert heads[:5] == ["No.", "Recommendation", "Submission", "State", "Cycle"], heads
    rows = table.evaluate(ROWS_JS)
    total = len(rows)
    assert total == 21
    by_state = {s: sum(r["State text"] == s for r in rows) for s in ("Kazakhstan", "Slovenia")}
    assert by_state == {"Kazakhstan": 19, "Slovenia": 2}
    assert {r["Submission text"] for r in rows} == {"ILI, 4th cycle", "SRN, 4th cycle"}
    assert any(r["Action category text"] == "3 · considering action" for r in rows)

    labels = wrapper.locator(".uprkb-filters label").all_inner_texts()
    assert {"Submission", "State", "Themes", "Action category"} <= set(labels)
    count = wrapper.locator(".uprkb-count")
    expect(count).to_have_text(f"{total} of {total} rows")

    page.select_option("#" + page.locator("label", has_text=re.compile("^State$")).get_attribute("for"), "Slovenia")
    expect(count).to_have_text(f"2 of {total} rows")
    themes = page.locator("label", has_text=re.compile("^Themes$")).get_attribute("for")
    page.select_option("#" + themes, "Freedom of association")
    expected = sum(r["State text"] == "Slovenia" and "Freedom of association" in r["Themes"] for r in rows)
    assert 0 < expected < 2
    expect(count).to_have_text(f"{expected} of {total} rows")
    shown = [r for r in table.evaluate(ROWS_JS) if r["shown"]]
    assert all(r["State text"] == "Slovenia" and "Freedom of association" in r["Themes"] for r in shown)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"state": ["Slovenia"], "themes": ["Freedom of association"]}

    # The address is the view: opening it again shows the same rows.
    desktop.page.goto(page.url, wait_until="networkidle")
    expect(desktop.page.locator(".uprkb-count")).to_have_text(f"{expected} of {total} rows")
    desktop.page.locator(".uprkb-reset").click()
    expect(desktop.page.locator(".uprkb-count")).to_have_text(f"{total} of {total} rows")
    assert urlsplit(desktop.page.url).query == ""
    desktop.assert_clean()


def test_filters_work_from_the_keyboard(desktop: Reader) -> None:
    from playwright.sync_api import expect

    page = desktop.open(PAGES["recommendations"])
    first = page.locator(".uprkb-filters select").first
    # Tab from the page's start until the first filter has the focus.
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if first.evaluate("(e) => e === document.activeElement"):
            break
    else:
        pytest.fail("the first filter cannot be reached with the Tab key")
    before = page.locator(".uprkb-count").inner_text()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".uprkb-count")).not_to_have_text(before)
    desktop.assert_clean()


@pytest.mark.parametrize("name", list(PAGES), ids=list(PAGES))
def test_no_sideways_scrolling_and_screenshots(reader: Reader, name: str) -> None:
    page = reader.open(PAGES[name])
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{PAGES[name]} at {width} px is {scroll} px wide"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"readers-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 5_000
    reader.assert_clean()


def test_phone_table_reads_as_stacked_labelled_entries(browser: Any, base: str) -> None:
    r = Reader(browser, base, WIDTHS["phone"])
    try:
        page = r.open(PAGES["recommendations"])
        cell = page.locator(".uprkb-table tbody tr").first.locator("td").nth(2)
        assert cell.get_attribute("data-label") == "Submission"
        before = cell.evaluate("(e) => getComputedStyle(e, '::before').content")
        assert "Submission" in before
        assert cell.evaluate("(e) => getComputedStyle(e).display") == "block"
    finally:
        r.close()


@pytest.mark.parametrize("path", ["", "kb/", f"kb/{SEED}/", "kb/recommendations/"])
def test_download_links_resolve(desktop: Reader, path: str) -> None:
    page = desktop.open(path)
    hrefs = page.eval_on_selector_all("a[href*='downloads/']", "(as) => as.map(a => a.href)")
    assert hrefs, f"no download link on /{path}"
    for href in hrefs:
        response = desktop.context.request.get(href)
        assert response.status == 200, href
        assert len(response.body()) > 500, href
    desktop.assert_clean()


def test_print_full_text_header_and_footnotes(desktop: Reader) -> None:
    page = desktop.open(PAGES["full-text"])
    page.emulate_media(media="print")
    facts = page.locator(".uprkb-fulltext .uprkb-facts")
    text = facts.inner_text()
    for expected in ("International Legal Initiative", "Kazakhstan", "4th", "48", "23 January 2025"):
        assert expected in text, expected
    assert facts.is_visible()
    url_link = page.locator(".footnote a.uprkb-url").first
    assert url_link.evaluate("(e) => getComputedStyle(e, '::after').content") in ("none", "normal")
    for hidden in (".uprkb-entry", ".footnote-backref", ".uprkb-cite"):
        assert page.locator(hidden).first.evaluate("(e) => getComputedStyle(e).display") == "none", hidden
    # Paragraph numbers the Word export uses, with their anchors.
    assert page.locator("#para-1").count() == 1
    page.emulate_media(media="screen")
    desktop.assert_clean()


def test_printed_links_give_their_address_once(desktop: Reader) -> None:
    after = "(e) => getComputedStyle(e, '::after').content"
    page = desktop.open(f"kb/{SEED}/sources/")
    page.emulate_media(media="print")
    urls = page.locator(".md-content a[href^='http']")
    own = [
        urls.nth(i)
        for i in range(urls.count())
        if urls.nth(i).inner_text().strip() == urls.nth(i).get_attribute("href")
    ]
    assert len(own) >= 5
    for link in own:
        # The text is the address already: nothing is added after it.
        assert link.evaluate(after) in ("none", "normal"), link.get_attribute("href")
    page = desktop.open(f"kb/{SEED}/")
    page.emulate_media(media="print")
    symbol = page.locator(".md-content a[href^='https://undocs.org/']").first
    assert "<https://undocs.org/" in symbol.evaluate(after)
    desktop.assert_clean()


def test_citation_text_and_copy(desktop: Reader) -> None:
    from playwright.sync_api import expect

    page = desktop.open(PAGES["section"])
    card = page.locator("#r-investigate-csto-weapons")
    card.locator(".uprkb-cite summary").click()
    text = card.locator(".uprkb-cite-text").inner_text()
    assert text.startswith("International Legal Initiative (ILI), “Submission of the International Legal Initiative")
    assert "submission to the 4th UPR cycle, Kazakhstan" in text
    assert re.search(
        r"Recommendation 2\.\d+ \(para\. \d+\)\. kb/ili-kazakhstan-upr4/right-to-life/#r-investigate-csto-weapons$",
        text,
    )
    card.locator(".uprkb-copy").click()
    expect(card.locator(".uprkb-copied")).to_have_text("Copied")
    desktop.assert_clean()


@pytest.mark.parametrize("name", ["recommendations", "submission", "theme", "full-text"])
def test_new_page_kinds_have_no_serious_accessibility_violations(desktop: Reader, name: str) -> None:
    page = desktop.open(PAGES[name])
    serious = [v for v in run_axe(page, axe_script()) if v["impact"] in ("serious", "critical")]
    assert not serious, describe_violations(serious)


@pytest.mark.parametrize("kind", ["review", "states", "state"])
def test_review_and_state_pages_read_well(desktop: Reader, two_submissions: Project, kind: str) -> None:
    path = {"review": review_path(two_submissions), "states": "kb/states/", "state": "kb/states/kaz/"}[kind]
    page = desktop.open(path)
    serious = [v for v in run_axe(page, axe_script()) if v["impact"] in ("serious", "critical")]
    assert not serious, describe_violations(serious)
    if kind == "review":
        # The table filters by position; its first row has its permanent anchor.
        select = page.locator("select[data-param='position']")
        assert select.count() == 1
        first = page.locator(".uprkb-table tbody tr").first.locator("span[id^='rec-']")
        assert first.count() == 1
    desktop.assert_clean()


def test_review_page_on_a_phone(browser: Any, base: str, two_submissions: Project) -> None:
    r = Reader(browser, base, WIDTHS["phone"])
    try:
        page = r.open(review_path(two_submissions))
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "readers-review-390.png"))
        r.assert_clean()
    finally:
        r.close()
