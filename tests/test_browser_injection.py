"""Hostile strings planted in every kind of field stay inert in a real headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from uprkb.build.site import build_site

from .browser import CHROMIUM_ARGS, NetworkGuard, PageWatch, chromium_executable, origin, skip_requested
from .conftest import copy_project, serve_folder
from .hostile.test_site_attacks import plant_labels
from .injection import plant_everywhere

pytestmark = [pytest.mark.browser, pytest.mark.skipif(skip_requested(), reason="UPRKB_SKIP_BROWSER is set")]

PAGES = [
    "",
    "kb/",
    "kb/ili-kazakhstan-upr4/",
    "kb/ili-kazakhstan-upr4/injected/",
    "kb/ili-kazakhstan-upr4/full-text/",
    "kb/ili-kazakhstan-upr4/sources/",
    "kb/recommendations/",
    "kb/findings/",
    "kb/themes/inj-theme/",
    "kb/themes/",
    "kb/timeline/",
    "kb/sdgs/sdg-16-3/",
    "kb/states/",
    "kb/instruments/",
    "kb/affected-persons/",
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    paths = copy_project(tmp_path_factory.mktemp("hostile-browser"))
    plant_everywhere(paths.data)
    plant_labels(paths.data)  # titles, State name, section, instrument and vocabulary labels: page titles and nav
    build_site(paths)
    with serve_folder(paths.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(hostile_url: str) -> Iterator[tuple[Any, NetworkGuard, list[str]]]:
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        guard = NetworkGuard(origin(hostile_url))
        context = browser.new_context(service_workers="block")
        context.route("**/*", guard.handle)
        context.add_init_script("window.__executed = [];")
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            yield page, guard, dialogs
        finally:
            context.close()
            browser.close()


@pytest.mark.parametrize("path", PAGES)
def test_payloads_are_inert_in_chromium(
    browser_page: tuple[Any, NetworkGuard, list[str]], hostile_url: str, path: str
) -> None:
    page, guard, dialogs = browser_page
    watch = PageWatch(guard)
    watch.attach(page)
    response = page.goto(hostile_url + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    page.wait_for_timeout(200)
    assert dialogs == [], f"a script ran: {dialogs}"
    article = page.locator("article").first
    assert article.locator("script, iframe, svg, style, object, embed").count() == 0
    # The only images are the site's own charts (static SVG files drawn at build time).
    for src in article.locator("img").evaluate_all("(els) => els.map(e => e.getAttribute('src'))"):
        assert re.fullmatch(r"(\.\./)*charts/[a-z0-9-]+\.svg", src), src
    handlers = page.evaluate("""() => Array.from(document.querySelectorAll('article *')).flatMap(
        el => Array.from(el.attributes).filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    assert handlers == []
    assert guard.blocked == [], guard.blocked
    text = article.inner_text()
    if path in ("kb/ili-kazakhstan-upr4/injected/", "kb/ili-kazakhstan-upr4/full-text/"):
        assert "<script>alert('xss-1')</script>" in text
        assert "{: onclick=\"alert('xss-5')\" }" in text
