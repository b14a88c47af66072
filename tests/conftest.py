"""Shared fixtures: a copy of the project in tmp_path, a session-wide real build of
the seed, and a loopback HTTP server for the built site."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.project import PROJECT, copy_seed_data
from uprkb.build.site import build_site
from uprkb.core.project import TEMPLATES, Project

SEED = Path(__file__).parent / "fixtures" / "seed-ili-kazakhstan-upr4.txt"
"""The seed document, as shipped beside the project in shared/seeds/ (copied here so tests are self-contained)."""
SHARED_SEED = PROJECT.parent / "shared" / "seeds" / "000_e8e59496c4c75a30.txt"


# Test tiers: `pytest -m "not browser and not slow"` is the fast tier. A test is slow when it builds
# the site (the `built` fixture, or MkDocs called during the test) or waits on loopback servers.
SLOW_FIXTURES = {"built", "site_url", "good", "hostile"}
SLOW_MODULES = {"test_linkcheck", "test_links_cli", "test_serve", "test_atomic"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if getattr(item, "module", None) else ""
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


MISSING_SHARED = ("not beside the checkout", "not beside this checkout")
"""What every skip for lack of the real material beside the checkout (``../shared``) says."""


def in_ci() -> bool:
    """Whether the suite runs in continuous integration (``CI=true``, as GitHub Actions and others set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """In CI a test skipped because ``../shared`` is missing fails: a broken checkout is seen, not skipped."""
    report: pytest.TestReport = yield
    if report.skipped and in_ci() and isinstance(report.longrepr, tuple):
        path, line, reason = report.longrepr
        if any(words in reason for words in MISSING_SHARED):
            report.outcome = "failed"
            reason = reason.removeprefix("Skipped: ")
            report.longrepr = f"{path}:{line}: CI is set and the real material is missing: {reason}"
    return report


_running: list[pytest.Item] = []


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Module and session fixtures are set up during the setup of the first test that needs them.
    _running[:] = [item]


@pytest.fixture(scope="session", autouse=True)
def _tiers_tell_the_truth() -> Iterator[None]:
    """A test outside the slow and browser tiers that runs MkDocs (itself or through a fixture) fails."""
    import uprkb.build.site

    real = uprkb.build.site.run_mkdocs

    def guarded(*args: Any, **kwargs: Any) -> list[str]:
        item = _running[0] if _running else None
        if item is not None and not (item.get_closest_marker("slow") or item.get_closest_marker("browser")):
            pytest.fail(f"{item.nodeid} builds the site with MkDocs: mark it @pytest.mark.slow", pytrace=False)
        return real(*args, **kwargs)

    uprkb.build.site.run_mkdocs = guarded  # type: ignore[assignment]
    try:
        yield
    finally:
        uprkb.build.site.run_mkdocs = real  # type: ignore[assignment]


SLOVENIA = PROJECT.parent / "shared" / "fixtures" / "ohchr-slovenia-upr4"
"""Slovenia's 4th-cycle review documents (real UPR material beside the checkout; never copied in)."""
REPORT = SLOVENIA / "A_HRC_59_15_working-group-report.md"
ADDENDUM = SLOVENIA / "A_HRC_59_15_Add1_state-responses.txt"
MATRIX = SLOVENIA / "thematic-list-of-recommendations.txt"
FOLLOWUP_SAMPLES = Path(__file__).parent / "samples" / "followup-submission"
FOLLOWUP_SUBS = ("test-followup-svn-upr4", "test-followup-b-svn-upr4")
"""Test submissions (our own sentences) that follow up, assess and were taken up as Slovenia's recommendations."""


def has_slovenia() -> bool:
    return REPORT.exists() and ADDENDUM.exists() and MATRIX.exists()


def import_slovenia(data: Path) -> None:
    """The three Slovenia files, imported with the command line as an editor would."""
    from click.testing import CliRunner

    from uprkb.cli import main

    runner = CliRunner()
    for fmt, path in (("wg-report", REPORT), ("responses", ADDENDUM), ("ohchr-matrix", MATRIX)):
        result = runner.invoke(main, ["import", fmt, str(path), "--data", str(data), "--date", "2026-01-05"])
        assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def followup_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data, Slovenia's review imported and the follow-up test submissions (read-only: copy to edit)."""
    if not has_slovenia():
        pytest.skip(f"the Slovenia review material is not beside the checkout ({SLOVENIA})")
    root = tmp_path_factory.mktemp("followup") / "data"
    copy_seed_data(root)
    import_slovenia(root)
    for sid in FOLLOWUP_SUBS:
        shutil.copytree(FOLLOWUP_SAMPLES / sid, root / "submissions" / sid)
    return root


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the shipped data folder."""
    copy_seed_data(tmp_path / "data")
    return tmp_path / "data"


def import_options(data: Path, **kw: object) -> Any:
    """The importers' options for a data folder (its vocabulary mapping loaded)."""
    from uprkb.importers import ReadOptions, load_mapper

    return ReadOptions(data_dir=data, mapper=load_mapper(data), **kw)  # type: ignore[arg-type]


SAMPLE_REVIEW = (
    ("wg-report", "wg-report-sample.txt"),
    ("responses", "addendum-sample.txt"),
    ("upr-info", "upr-info-sample.csv", "--all"),
)
"""Our own review samples (tests/samples): Iceland's report and addendum, and the UPR Info sample."""


def import_samples(data: Path, imports: tuple[tuple[str, ...], ...] = SAMPLE_REVIEW) -> None:
    """Import review samples into ``data`` with the command line, as a user would."""
    from click.testing import CliRunner

    from uprkb.cli import main

    samples = Path(__file__).parent / "samples"
    for fmt, name, *more in imports:
        args = ["import", fmt, str(samples / name), *more, "--data", str(data), "--date", "2026-01-15"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output


def copy_project(dest: Path) -> Project:
    """Copy what a build reads (data, templates, hand-written docs, config) into ``dest``."""
    copy_seed_data(dest / "data")
    shutil.copytree(TEMPLATES, dest / "templates")
    shutil.copytree(PROJECT / "overrides", dest / "overrides")
    shutil.copytree(PROJECT / "schema", dest / "schema")
    shutil.copytree(PROJECT / "docs", dest / "docs", ignore=shutil.ignore_patterns("kb"))
    shutil.copy(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    return Project.at(dest).with_(templates=dest / "templates")


@pytest.fixture(scope="session", autouse=True)
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The project every command finds when a test names no ``--root`` or ``--data``: a copy of the seed.

    Tests never read the live ``data/``: an organisation that adds its own submissions and
    reviews there keeps a green suite.
    """
    project = copy_project(tmp_path_factory.mktemp("seed-project"))
    patch = pytest.MonkeyPatch()
    patch.setenv("UPRKB_ROOT", str(project.root))
    try:
        yield project
    finally:
        patch.undo()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A private copy of the project that a test may change and build."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed built once for the whole session with the real MkDocs (read-only for tests)."""
    paths = copy_project(tmp_path_factory.mktemp("built"))
    build_site(paths)
    return paths


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) for the duration of the block; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(built: Project) -> Iterator[str]:
    """The session's built site served on loopback."""
    with serve_folder(built.site) as url:
        yield url
