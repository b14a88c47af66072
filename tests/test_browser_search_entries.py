"""A search lands on one recommendation: its row of a review, or its card of a submission, in both engines.

A review page lists every recommendation the State received as a row of one table, with its anchor
(``#rec-98-12``); a submission's section page shows findings and recommendations as cards with theirs.
Each row and card is a search entry of its own, with its own excerpt, that leads to its anchor, in
Material's search (small sites, ``search_index.json`` split by ``uprkb.site.search.split_entries``)
and in Pagefind's (``overrides/assets/javascripts/pagefind-search.js`` reads the page's anchors).
Typographic quotes and apostrophes do not stand between a word and its query, either way round.

The site is the seed with Iceland's sample review (tests/samples) imported, one recommendation
given a word in typographic quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import (
    CHROMIUM_ARGS,
    SKIP_ENV,
    NetworkGuard,
    PageWatch,
    chromium_executable,
    origin,
    skip_requested,
)
from tests.conftest import SAMPLE_REVIEW, copy_project, import_samples, serve_folder
from tests.project import SEED_ID
from uprkb.build.site import build_site
from uprkb.site import search

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(skip_requested(), reason=f"{SKIP_ENV}=1: browser tests skipped on request"),
]

REVIEW = "kb/reviews/isl-upr4/"
QUOTED = "Adopt the seventeenth sample measure, so that no name is “erased”"
"""98.17's text as the test gives it: a word in typographic quotes."""


def quote_one_recommendation(data: Any) -> None:
    path = data / "reviews" / "isl-upr4" / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Adopt the seventeenth sample measure" in text
    path.write_text(text.replace("Adopt the seventeenth sample measure", QUOTED), encoding="utf-8")


@pytest.fixture(scope="module", params=["material", "pagefind"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = request.param
    if engine == "pagefind" and search.pagefind_command() is None:
        pytest.fail("Pagefind is not installed: pip install -r requirements.lock", pytrace=False)
    paths = copy_project(tmp_path_factory.mktemp(f"entries-{engine}"))
    import_samples(paths.data, SAMPLE_REVIEW[:2])
    quote_one_recommendation(paths.data)
    mp = pytest.MonkeyPatch()
    mp.setenv(search.ENV, engine)
    try:
        build_site(paths)
    finally:
        mp.undo()
    with serve_folder(paths.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def tab(browser: Any, site: str) -> Iterator[tuple[Any, PageWatch]]:
    guard = NetworkGuard(origin(site))
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    ctx.set_default_timeout(15_000)
    ctx.route("**/*", guard.handle)
    page = ctx.new_page()
    watch = PageWatch(guard)
    watch.attach(page)
    page.goto(site, wait_until="networkidle")
    try:
        yield page, watch
    finally:
        ctx.close()


def results_for(page: Any, query: str) -> Any:
    """Type ``query`` into the search dialog; the result links once the list shows some."""
    from playwright.sync_api import expect

    page.keyboard.press("/")
    field = page.locator("input.md-search__input")
    expect(field).to_be_focused()
    field.press_sequentially(query, delay=20)
    links = page.locator(".md-search-result__item .md-search-result__link")
    expect(links.first).to_be_visible()
    return links


def link_to(links: Any, anchor: str) -> Any:
    """The one result link that leads to ``#anchor``."""
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    found = [i for i, h in enumerate(hrefs) if h and h.endswith("#" + anchor)]
    assert found, f"no result leads to #{anchor}: {hrefs}"
    return links.nth(found[0])


def lands_on(page: Any, link: Any, anchor: str) -> None:
    from playwright.sync_api import expect

    link.click()
    page.wait_for_url(re.compile(re.escape("#" + anchor) + "$"))
    assert page.evaluate("location.hash") == "#" + anchor
    target = page.locator(f"[id='{anchor}']")
    row = target.locator("xpath=ancestor-or-self::tr[1]") if anchor.startswith("rec-") else target
    expect(row).to_be_in_viewport()


@pytest.mark.parametrize(
    ("query", "anchor", "said"),
    [
        ("twelfth", "rec-98-12", "twelfth"),  # a word of one row
        ("erased", "rec-98-17", "erased"),  # the plain word finds it in typographic quotes
        ("“twelfth”", "rec-98-12", "twelfth"),  # and the reverse
        ("seventeenth", "rec-98-17", "seventeenth"),
    ],
)
def test_a_word_of_one_recommendation_lands_on_its_row(
    tab: tuple[Any, PageWatch], query: str, anchor: str, said: str
) -> None:
    from playwright.sync_api import expect

    page, watch = tab
    links = results_for(page, query)
    link = link_to(links, anchor)
    # Its own excerpt: the recommendation's words, not the table's header.
    expect(link).to_contain_text(said)
    expect(link).not_to_contain_text("Recommended by")
    lands_on(page, link, anchor)
    assert not watch.problems(), watch.problems()


def test_a_word_of_one_card_lands_on_its_card(tab: tuple[Any, PageWatch]) -> None:
    page, watch = tab
    links = results_for(page, "stigmatize")
    link = link_to(links, "f-ili-listed-in-register")
    lands_on(page, link, "f-ili-listed-in-register")
    assert f"/kb/{SEED_ID}/" in page.url
    assert not watch.problems(), watch.problems()
