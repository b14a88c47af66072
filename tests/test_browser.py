"""The built site in a real headless Chromium, served on loopback.

Covers what only a browser shows: pages load without console errors and without
contacting any other host, Material's search finds a recommendation, the citation
links round-trip (card -> source entry -> "cited in" -> card), the recommendations
table sorts and filters, screenshots, axe-core accessibility checks and the print
stylesheet.

Needs the system Chromium (a missing one fails the tests; ``UPRKB_SKIP_BROWSER=1``
skips them) and axe-core from npm in ``.cache/npm`` for the accessibility checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    SKIP_ENV,
    NetworkGuard,
    PageWatch,
    axe_script,
    chromium_executable,
    describe_violations,
    origin,
    png_size,
    run_axe,
    skip_requested,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_requested(), reason=f"{SKIP_ENV}=1: browser tests skipped on request"),
]

SUBMISSION = "kb/ili-kazakhstan-upr4/"
SECTION = SUBMISSION + "right-to-life/"
SOURCES = SUBMISSION + "sources/"
FULL_TEXT = SUBMISSION + "full-text/"
RECOMMENDATIONS = "kb/recommendations/"
REC_ID = "r-investigate-csto-weapons"
REC_TEXT = "Conduct an investigation into the use of weapons by CSTO troops."

KEY_PAGES = {
    "home": "",
    "kb-index": "kb/",
    "section": SECTION,
    "recommendations": RECOMMENDATIONS,
    "sources": SOURCES,
    "sources-hub": "kb/sources/",
    "full-text": FULL_TEXT,
}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_executable()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        pytest.fail(f"the playwright package is missing ({exc}); install the test extra", pytrace=False)
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"Chromium at {executable} did not start: {exc}", pytrace=False)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def guard(site_url: str) -> NetworkGuard:
    return NetworkGuard(origin(site_url))


@pytest.fixture(scope="module")
def context(browser: Any, guard: NetworkGuard) -> Iterator[Any]:
    """One browser context for the module; the guard sees every request it makes."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light", service_workers="block")
    ctx.set_default_timeout(10_000)
    ctx.route("**/*", guard.handle)
    try:
        yield ctx
    finally:
        ctx.close()


@dataclass
class Tab:
    page: Any
    watch: PageWatch = field(repr=False)
    base: str

    def open(self, path: str) -> None:
        """Load a page of the site and wait until the network is quiet (search index included)."""
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{path or '/'}: HTTP {response and response.status}"

    def assert_clean(self) -> None:
        problems = self.watch.problems()
        assert not problems, "the page misbehaved:\n  " + "\n  ".join(problems)

    def at(self, path: str) -> bool:
        return urlsplit(self.page.url).path == urlsplit(self.base + path).path


@pytest.fixture(scope="module")
def axe_js() -> Path:
    return axe_script()


@pytest.fixture
def tab(context: Any, guard: NetworkGuard, site_url: str) -> Iterator[Tab]:
    guard.blocked.clear()
    page = context.new_page()
    watch = PageWatch(guard)
    watch.attach(page)
    try:
        yield Tab(page, watch, site_url)
    finally:
        page.close()


# ---------------------------------------------------------------- loading and network


@pytest.mark.parametrize("path", list(KEY_PAGES.values()), ids=list(KEY_PAGES))
def test_page_loads_without_errors_or_foreign_requests(tab: Tab, path: str) -> None:
    from playwright.sync_api import expect

    tab.open(path)
    expect(tab.page.locator("article h1").first).to_be_visible()
    assert "UPR submission knowledge base" in tab.page.title()
    # The search worker's request is seen too, so nothing the page does goes unrecorded.
    assert any(u.endswith("/search/search_index.json") for u in tab.watch.requests), tab.watch.requests
    tab.assert_clean()


def test_network_guard_blocks_and_reports_other_hosts(tab: Tab) -> None:
    """The guard the other tests rely on: a request elsewhere is aborted and reported."""
    tab.open("")
    outcome = tab.page.evaluate(
        """async () => {
            try { await fetch('https://example.org/probe.json'); return 'fetched'; }
            catch (e) { return 'blocked'; }
        }"""
    )
    assert outcome == "blocked"
    assert "https://example.org/probe.json" in tab.watch.foreign
    assert any("non-loopback" in p for p in tab.watch.problems())


# ---------------------------------------------------------------- search and links


def test_search_finds_the_csto_recommendation(tab: Tab) -> None:
    from playwright.sync_api import expect

    page = tab.page
    tab.open("")
    page.keyboard.press("/")  # Material's shortcut opens the search dialog
    query = page.locator("input.md-search__input")
    expect(query).to_be_focused()
    query.press_sequentially("CSTO", delay=20)  # Material searches on key events, not on .fill()
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    hit = results.filter(has=page.locator(f"a[href*='/{SECTION}']")).first
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("CSTO")
    hit.locator(f"a[href*='/{SECTION}']").first.click()
    page.wait_for_url(re.compile(re.escape(SECTION)))
    assert tab.at(SECTION), page.url
    card = page.locator(f"#{REC_ID}")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(REC_TEXT)
    tab.assert_clean()


def test_sources_link_and_cited_in_backlink_round_trip(tab: Tab) -> None:
    from playwright.sync_api import expect

    page = tab.page
    tab.open(SECTION)
    card = page.locator(f"#{REC_ID}")
    expect(card).to_contain_text(REC_TEXT)
    card.locator("details.uprkb-more > summary").click()  # the card's sources are folded under "Details"
    source_link = card.locator("li").filter(has_text=re.compile(r"^\s*Sources:")).locator("a").first
    href = source_link.get_attribute("href") or ""
    path, _, source_id = href.partition("#")
    assert path.endswith("sources/") and source_id, f"unexpected Sources link {href!r}"

    source_link.click()
    page.wait_for_url(re.compile(re.escape(SOURCES) + "#" + re.escape(source_id) + "$"))
    assert tab.at(SOURCES) and urlsplit(page.url).fragment == source_id, page.url
    entry = page.locator(f"[id='{source_id}']")
    expect(entry).to_have_count(1)
    expect(entry).to_be_visible()
    expect(entry).to_be_in_viewport()
    assert page.evaluate("() => document.querySelector(':target')?.id") == source_id

    # The recommendation rests on a finding that cites the source: listed apart from direct citations.
    entry_items = page.locator(f"[id='{source_id}'] + .uprkb-source li")
    expect(entry_items.filter(has_text=re.compile(r"^\s*Cited in:"))).to_have_count(1)
    cited_in = entry_items.filter(has_text=re.compile(r"^\s*Also supports, through a finding that cites it:"))
    expect(cited_in).to_have_count(1)
    back = cited_in.locator(f"a[href$='right-to-life/#{REC_ID}']")
    expect(back).to_have_count(1)
    back.click()
    page.wait_for_url(re.compile(re.escape(SECTION) + "#" + re.escape(REC_ID) + "$"))
    assert tab.at(SECTION) and urlsplit(page.url).fragment == REC_ID, page.url
    target = page.locator(f"#{REC_ID}")
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()
    assert page.evaluate("() => document.querySelector(':target')?.id") == REC_ID
    tab.assert_clean()


# ---------------------------------------------------------------- the recommendations table


_ROWS_JS = """(table) => {
    const heads = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
    const col = name => heads.indexOf(name);
    return [...table.tBodies[0].rows].map(r => ({
        no: r.cells[col('No.')].textContent.trim(),
        text: r.cells[col('Recommendation')].textContent.trim(),
        themes: [...r.cells[col('Themes')].querySelectorAll('a')].map(a => a.textContent.trim()),
        shown: r.getClientRects().length > 0,
    }));
}"""


def _dotted(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def test_recommendations_table_sorts_and_filters(tab: Tab) -> None:
    from playwright.sync_api import expect

    page = tab.page
    tab.open(RECOMMENDATIONS)
    wrapper = page.locator(".uprkb-table[data-ready]")
    expect(wrapper).to_have_count(1)
    table = wrapper.locator("table")
    rows: list[dict[str, Any]] = table.evaluate(_ROWS_JS)
    total = len(rows)
    assert total >= 5 and all(r["shown"] for r in rows)
    pairs = {(r["no"], r["text"]) for r in rows}

    def column_header(name: str) -> Any:
        return table.locator("thead th").filter(has=page.locator(".uprkb-sort", has_text=re.compile(f"^{name}$")))

    # Sort by the recommendation's text: ascending, then descending; rows move whole.
    texts_before = [r["text"] for r in rows]
    expected = page.evaluate("(xs) => xs.slice().sort((a, b) => a.localeCompare(b))", texts_before)
    assert expected != texts_before, "the seed's rows are already in text order; the sort check would prove nothing"
    column_header("Recommendation").locator(".uprkb-sort").click()
    expect(column_header("Recommendation")).to_have_attribute("aria-sort", "ascending")
    rows = table.evaluate(_ROWS_JS)
    assert [r["text"] for r in rows] == expected
    assert {(r["no"], r["text"]) for r in rows} == pairs
    column_header("Recommendation").locator(".uprkb-sort").click()
    expect(column_header("Recommendation")).to_have_attribute("aria-sort", "descending")
    assert [r["text"] for r in table.evaluate(_ROWS_JS)] == expected[::-1]

    # Sort by No.: dotted numbers compare numerically (2.9 before 2.10).
    column_header("No.").locator(".uprkb-sort").click()
    expect(column_header("No.")).to_have_attribute("aria-sort", "ascending")
    expect(column_header("Recommendation")).to_have_attribute("aria-sort", "none")
    numbers = [r["no"] for r in table.evaluate(_ROWS_JS)]
    assert numbers == sorted(numbers, key=_dotted)

    # Filter by a theme that some rows carry and others do not.
    counts: dict[str, int] = {}
    for r in rows:
        for t in set(r["themes"]):
            counts[t] = counts.get(t, 0) + 1
    partial = sorted((n, t) for t, n in counts.items() if 0 < n < total)
    assert partial, "no theme splits the table; the filter check would prove nothing"
    n_theme, theme = partial[0]
    select = wrapper.locator("select[data-param='themes']")
    count = wrapper.locator(".uprkb-count")
    expect(count).to_have_text(re.compile(rf"^\s*{total} of {total} rows\s*$"))
    options = select.locator("option").all_inner_texts()
    assert options[0] == "all"
    assert sorted(o.rpartition(" (")[0] for o in options[1:]) == sorted(counts)
    assert all(o.endswith(f" ({counts[o.rpartition(' (')[0]]})") for o in options[1:]), options

    select.select_option(value=theme)
    expect(count).to_have_text(re.compile(rf"^\s*{n_theme} of {total} rows\s*$"))
    filtered = table.evaluate(_ROWS_JS)
    wrong = [r["id"] for r in filtered if r["shown"] != (theme in r["themes"])]
    assert not wrong, f"rows shown/hidden wrongly for theme {theme!r}: {wrong}"
    expect(table.locator("tbody tr:visible")).to_have_count(n_theme)

    select.select_option(value="")
    expect(count).to_have_text(re.compile(rf"^\s*{total} of {total} rows\s*$"))
    assert all(r["shown"] for r in table.evaluate(_ROWS_JS))
    tab.assert_clean()


# ---------------------------------------------------------------- screenshots


@pytest.mark.parametrize(("name", "path"), [("home", ""), ("section-right-to-life", SECTION)], ids=["home", "section"])
def test_screenshot_saved_as_artifact(tab: Tab, name: str, path: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    tab.open(path)
    tab.page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file()
    assert shot.stat().st_size > 20_000, f"{shot} is only {shot.stat().st_size} bytes"
    width, height = png_size(shot)
    assert width == 1280 and height >= 900, (width, height)
    tab.assert_clean()


# ---------------------------------------------------------------- accessibility


A11Y_PAGES = {"home": "", "section": SECTION, "recommendations": RECOMMENDATIONS, "sources": SOURCES}


@pytest.mark.parametrize("path", list(A11Y_PAGES.values()), ids=list(A11Y_PAGES))
def test_no_serious_accessibility_violations(tab: Tab, axe_js: Path, path: str) -> None:
    tab.open(path)
    violations = run_axe(tab.page, axe_js)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core on /{path}:\n{describe_violations(serious)}"
    tab.assert_clean()


# ---------------------------------------------------------------- print


def _display(page: Any, selector: str) -> str | None:
    return page.evaluate(
        "(s) => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : null; }", selector
    )


def test_print_stylesheet_hides_chrome_and_keeps_content(tab: Tab) -> None:
    from playwright.sync_api import expect

    page = tab.page
    tab.open(FULL_TEXT)
    chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]
    on_screen = {s: _display(page, s) for s in chrome}
    assert all(d not in (None, "none") for d in on_screen.values()), on_screen

    page.emulate_media(media="print")
    try:
        printed = {s: _display(page, s) for s in chrome}
        assert all(d == "none" for d in printed.values()), printed
        for s in chrome:
            expect(page.locator(s)).to_be_hidden()
        assert _display(page, ".md-content") != "none"
        expect(page.locator(".md-content")).to_be_visible()
        expect(page.locator(".uprkb-fulltext h1")).to_be_visible()
        para = page.locator(".uprkb-fulltext .uprkb-para").first
        expect(para).to_be_visible()
        number = para.get_attribute("data-n")
        assert number
        before = para.evaluate("(e) => getComputedStyle(e, '::before').content")
        assert number in before, f"printed paragraphs should be numbered, got ::before {before!r}"
    finally:
        page.emulate_media(media="screen")
    tab.assert_clean()
