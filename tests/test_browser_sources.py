"""Pages that say where their data came from and read lightly, in a real headless Chromium at 1280 and
390 px: a section page's cards (key facts on one line, the rest and "Cite this" folded), the
recommendations table (IDs never broken, a review not held said once), review pages (their sources), and
the printed full text (no half-empty first page). Screenshots go to test-artifacts/ (gitignored):
sources-<page>-<width>.png and sources-full-text-print-<n>.png.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    ARTIFACTS,
    SKIP_ENV,
    NetworkGuard,
    PageWatch,
    launched_chromium,
    origin,
    skip_requested,
)
from tests.conftest import copy_project, import_samples, serve_folder
from tests.kazakhstan import plant_review
from uprkb.build.site import build_site
from uprkb.core.project import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(skip_requested(), reason=f"{SKIP_ENV}=1: browser tests skipped on request"),
]

SEED = "ili-kazakhstan-upr4"
WIDTHS = {"desktop": 1280, "phone": 390}
PAGES = {
    "section": f"kb/{SEED}/right-to-life/",
    "recommendations": "kb/recommendations/",
    "review": "kb/reviews/isl-upr4/",
    "review-upr-info": "kb/reviews/mkd-upr2/",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed, Iceland's sample review (report, addendum), the UPR Info sample and Kazakhstan's 2nd cycle."""
    paths = copy_project(tmp_path_factory.mktemp("sources-browser"))
    import_samples(paths.data)
    plant_review(paths.data)
    build_site(paths)
    return paths


@pytest.fixture(scope="module")
def base(site: Project) -> Iterator[str]:
    with serve_folder(site.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def tab(request: pytest.FixtureRequest, browser: Any, base: str) -> Iterator[tuple[Any, int, PageWatch]]:
    width = WIDTHS[request.param]
    guard = NetworkGuard(origin(base))
    context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
    context.set_default_timeout(10_000)
    context.route("**/*", guard.handle)
    page = context.new_page()
    watch = PageWatch(guard)
    watch.attach(page)
    page.set_default_navigation_timeout(20_000)
    page.base = base  # type: ignore[attr-defined]
    try:
        yield page, width, watch
    finally:
        context.close()


def open_page(page: Any, path: str) -> Any:
    response = page.goto(page.base + path, wait_until="networkidle")
    assert response is not None and response.status == 200, path
    return page


def shoot(page: Any, name: str, width: int) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"sources-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    return shot


@pytest.mark.parametrize("name", list(PAGES))
def test_screenshots_without_sideways_scrolling(tab: tuple[Any, int, PageWatch], name: str) -> None:
    page, width, watch = tab
    open_page(page, PAGES[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, name, width)
    assert not watch.problems(), watch.problems()


def test_cards_fold_their_details_and_citation(tab: tuple[Any, int, PageWatch]) -> None:
    page, width, watch = tab
    open_page(page, PAGES["section"])
    card = page.locator("#f-january-2022-deaths")
    assert card.locator(".uprkb-keys").inner_text().startswith("Themes:")
    more, cite = card.locator("details.uprkb-more"), card.locator("details.uprkb-cite")
    assert more.get_attribute("open") is None and cite.get_attribute("open") is None
    assert not card.locator("text=Affected persons:").is_visible()
    # Quiet: no admonition box around "Cite this".
    assert cite.evaluate("(e) => getComputedStyle(e).borderTopWidth") == "0px"
    if width > 800:  # the two folded parts sit on one line (on a phone they may stack)
        tops = [more.bounding_box()["y"], cite.bounding_box()["y"]]  # type: ignore[index]
        assert abs(tops[0] - tops[1]) < 4, tops
    more.locator("summary").click()
    assert card.locator("text=Affected persons:").is_visible()
    assert not watch.problems(), watch.problems()


def test_numbers_are_never_broken_and_the_not_held_review_is_said_once(tab: tuple[Any, int, PageWatch]) -> None:
    page, width, watch = tab
    open_page(page, PAGES["recommendations"])
    assert page.locator("text=Kazakhstan's 4th-cycle review is not in this knowledge base").count() == 1
    number = page.locator(".uprkb-table tbody tr a.uprkb-id").first
    assert number.evaluate("(e) => getComputedStyle(e).whiteSpace") == "nowrap"
    # The table shows the document's numbers; internal IDs stand only in "Cite this" and the downloads.
    assert page.locator(".uprkb-table tbody code.uprkb-id").count() == 0
    assert not watch.problems(), watch.problems()


def test_review_page_names_its_sources(tab: tuple[Any, int, PageWatch]) -> None:
    page, _, watch = tab
    open_page(page, PAGES["review"])
    link = page.locator("a[href='https://undocs.org/A/HRC/99/10']").first
    assert link.inner_text() == "A/HRC/99/10"
    assert page.locator(".uprkb-imports").count() == 0  # the files imported: an internal build's page only
    open_page(page, PAGES["review-upr-info"])
    assert page.locator('text=What "no official number" means.').count() == 1
    assert not watch.problems(), watch.problems()


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")


def test_printed_full_text_has_no_half_empty_first_page(browser: Any, base: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(base + f"kb/{SEED}/full-text/", wait_until="networkidle")
        page.emulate_media(media="print")
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = ARTIFACTS / "sources-full-text-print.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        context.close()
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "2",
                str(pdf),
                str(ARTIFACTS / "sources-full-text-print"),
            ],
            check=True,
        )
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: the page fill is not measured")
    pages = [p for p in page_texts(pdf) if p.strip()]
    assert len(pages) >= 3
    lines = [len([line for line in p.splitlines() if line.strip()]) for p in pages]
    middle = sorted(lines[1:-1])[len(lines[1:-1]) // 2]
    assert lines[0] >= 0.75 * middle, f"the first page has {lines[0]} lines, a typical page {middle}"
