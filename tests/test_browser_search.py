"""Search with Pagefind in Chromium: the build a large knowledge base gets, forced on the seed.

The seed is small enough for Material's search (``tests/test_browser.py`` tests that);
here ``UPRKB_SEARCH=pagefind`` makes the build index it with Pagefind, and a reader
types into the same dialog. Every request must stay on the loopback server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM_ARGS, SKIP_ENV, NetworkGuard, PageWatch, chromium_executable, origin, skip_requested
from tests.conftest import copy_project, serve_folder
from tests.project import SEED_ID
from uprkb.build.site import build_site
from uprkb.core.project import Project
from uprkb.site import search

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_requested(), reason=f"{SKIP_ENV}=1: browser tests skipped on request"),
]


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    if search.pagefind_command() is None:
        pytest.fail("Pagefind is not installed: pip install -r requirements.lock", pytrace=False)
    paths = copy_project(tmp_path_factory.mktemp("pagefind"))
    mp = pytest.MonkeyPatch()
    mp.setenv(search.ENV, "pagefind")
    try:
        build_site(paths)
    finally:
        mp.undo()
    with serve_folder(paths.site) as url:
        yield paths, url


def test_the_build_indexes_with_pagefind_and_drops_materials_index(pagefind_site: tuple[Project, str]) -> None:
    paths, _url = pagefind_site
    assert (paths.site / "pagefind" / "pagefind.js").is_file()
    assert not (paths.site / "search" / "search_index.json").exists()
    home = (paths.site / "index.html").read_text(encoding="utf-8")
    assert 'data-uprkb-search="pagefind"' in home
    assert 'name="search"' not in home  # Material's search (and its index request) stays off
    # Indexed: the pages Material's search would index; not those whose front matter excludes them.
    kb = paths.site / "kb"
    section = next(p for p in kb.glob(f"{SEED_ID}/*/index.html") if p.parent.name not in ("full-text", "sources"))
    assert "data-pagefind-body" in section.read_text(encoding="utf-8")
    for excluded in [kb / SEED_ID / "full-text" / "index.html", kb / "recommendations" / "index.html"]:
        assert "data-pagefind-body" not in excluded.read_text(encoding="utf-8"), excluded


@pytest.mark.parametrize("width", [1280, 390])
def test_typing_a_query_shows_results_and_nothing_leaves_loopback(
    pagefind_site: tuple[Project, str], width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    _paths, url = pagefind_site
    guard = NetworkGuard(origin(url))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
            ctx.set_default_timeout(15_000)
            ctx.route("**/*", guard.handle)
            page: Any = ctx.new_page()
            watch = PageWatch(guard)
            watch.attach(page)
            page.goto(url, wait_until="networkidle")
            page.keyboard.press("/")  # the same shortcut as Material's search
            query = page.locator("input.md-search__input")
            expect(query).to_be_focused()
            query.press_sequentially("CSTO", delay=20)
            results = page.locator(".md-search-result__item")
            expect(results.first).to_be_visible()
            first = results.first.locator(".md-search-result__link").first
            expect(first).to_contain_text("CSTO")
            expect(page.locator(".md-search-result__meta")).to_contain_text(re.compile(r"\d+ matching document"))
            # The full text repeats the section pages: it is not indexed, as in Material's search.
            links = results.locator(".md-search-result__link")
            hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
            assert hrefs and not [h for h in hrefs if "/full-text/" in h], hrefs
            # Only Pagefind's own files were fetched for search, and no whole-site index.
            fetched = [u for u in watch.requests if "/pagefind/" in u]
            assert any(u.endswith("/pagefind/pagefind.js") for u in fetched), watch.requests
            assert not any("search_index.json" in u for u in watch.requests), watch.requests
            target = first.get_attribute("href") or ""
            first.click()
            page.wait_for_url(re.compile(re.escape(target.split("#")[0]) + "(#.*)?$"))
            expect(page.locator("article")).to_contain_text("CSTO")
            assert not watch.foreign, watch.foreign
            assert not watch.problems(), watch.problems()
            ctx.close()
        finally:
            browser.close()


def test_excerpts_keep_only_text_and_marks(pagefind_site: tuple[Project, str], tmp_path: Path) -> None:
    """An excerpt is rebuilt from its text and <mark>s: markup in an index cannot run."""
    from playwright.sync_api import sync_playwright

    _paths, url = pagefind_site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            page: Any = browser.new_page()
            page.goto(url, wait_until="networkidle")
            page.keyboard.press("/")
            page.locator("input.md-search__input").press_sequentially("torture", delay=20)
            page.locator(".md-search-result__item").first.wait_for()
            tags = page.evaluate(
                "[...new Set([...document.querySelectorAll('.md-search-result__article p *')].map(e => e.tagName))]"
            )
            assert set(tags) <= {"MARK"}, tags
        finally:
            browser.close()
