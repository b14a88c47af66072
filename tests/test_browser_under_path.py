"""A site published under a path (``https://ORG.github.io/REPO/``, every GitHub Pages project site).

The build used to fail there: the safety scan read the theme's own scripts on ``404.html``
(``/REPO/assets/javascripts/bundle…js``, an inline script naming ``"/REPO/"``) as scripts the site
does not ship. Here the site is built with such an address and served under ``/repo/`` on loopback;
in Chromium its pages load every script with no error, and search finds a word and lands on its page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM_ARGS, SKIP_ENV, NetworkGuard, PageWatch, chromium_executable, origin, skip_requested
from tests.conftest import copy_project, serve_folder
from uprkb.build.site import build_site
from uprkb.core.project import Project


@pytest.fixture(scope="module")
def under_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    root = tmp_path_factory.mktemp("pages")
    paths = copy_project(root / "project").with_(site=root / "host" / "repo")
    config = paths.config.read_text(encoding="utf-8")
    paths.config.write_text(re.sub(r"(?m)^site_url: .*$", "site_url: https://org.github.io/repo/", config), "utf-8")
    mp = pytest.MonkeyPatch()
    mp.delenv("UPRKB_SITE_URL", raising=False)
    try:
        build_site(paths)
    finally:
        mp.undo()
    with serve_folder(root / "host") as url:
        yield paths, url + "repo/"


@pytest.mark.slow
def test_the_site_builds_under_a_path(under_path: tuple[Project, str]) -> None:
    paths, _url = under_path
    missing = (paths.site / "404.html").read_text(encoding="utf-8")
    assert 'src="/repo/assets/javascripts/' in missing, "MkDocs writes the 404 page's paths from the root"


@pytest.mark.browser
@pytest.mark.skipif(skip_requested(), reason=f"{SKIP_ENV}=1: browser tests skipped on request")
def test_pages_scripts_and_search_work_under_the_path(under_path: tuple[Project, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    paths, url = under_path
    guard = NetworkGuard(origin(url))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
            ctx.set_default_timeout(15_000)
            ctx.route("**/*", guard.handle)
            page: Any = ctx.new_page()
            watch = PageWatch(guard)
            watch.attach(page)
            for where in ("", "404.html"):
                page.goto(url + where, wait_until="networkidle")
                scripts = [u for u in watch.requests if u.endswith(".js")]
                assert any("/repo/assets/javascripts/bundle." in u for u in scripts), scripts
            page.goto(url, wait_until="networkidle")
            page.keyboard.press("/")
            query = page.locator("input.md-search__input")
            expect(query).to_be_focused()
            query.press_sequentially("CSTO", delay=20)
            first = page.locator(".md-search-result__item .md-search-result__link", has_text="CSTO").first
            expect(first).to_be_visible()
            target = first.get_attribute("href") or ""
            first.click()
            page.wait_for_url(re.compile(re.escape(target.split("#")[0]) + "(#.*)?$"))
            assert page.url.startswith(url), page.url
            expect(page.locator("article")).to_contain_text("CSTO")
            assert not watch.foreign, watch.foreign
            assert not watch.problems(), watch.problems()
            ctx.close()
        finally:
            browser.close()


def test_paths_below_the_root_are_read_below_it(tmp_path: Path) -> None:
    """The scan reads ``/repo/…`` scripts and the theme's ``"/repo/"`` base as the site's own."""
    from uprkb.build.safety import Rules, allowed_script_sources, scan_html, site_roots

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nsite_url: https://org.github.io/repo/\n", encoding="utf-8")
    rules = Rules(allowed_script_sources(config), page="404.html", roots=site_roots(config))
    bundle = next(s for s in rules.scripts if "bundle." in s)
    ok = f'<script src="/repo/{bundle}"></script>'
    assert scan_html(ok, rules) == []
    assert scan_html(f'<script src="/other/{bundle}"></script>', rules), "another root is not the site's"
