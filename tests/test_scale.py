"""Structural properties that must hold at any corpus size (not timed).

The synthetic corpus of ``benchmarks/synth.py`` validates cleanly; the
generator is incremental (a no-op rebuild writes nothing, a one-record edit
rewrites exactly the pages that show that record); and the navigation
rendered into every page stays the same size when records are added.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks.synth import edit_recommendation, read_vocabularies, recommendation_id, write_corpus
from tests.project import PROJECT, SEED_VOCABULARIES
from uprkb.build.site import generate_docs, run_mkdocs
from uprkb.check.validate import check
from uprkb.core.project import Project


def _synthetic_project(dest: Path, submissions: int) -> tuple[Project, dict[str, int]]:
    """A copy of the project (as ``conftest.copy_project``) whose data is a synthetic corpus."""
    shutil.copytree(PROJECT / "overrides", dest / "overrides")
    shutil.copytree(PROJECT / "docs", dest / "docs", ignore=shutil.ignore_patterns("kb"))
    shutil.copy(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    paths = Project.at(dest)
    counts = write_corpus(paths.data, submissions, vocabularies=SEED_VOCABULARIES)
    return paths, counts


def test_synthetic_corpus_validates_with_zero_problems(tmp_path: Path) -> None:
    counts = write_corpus(tmp_path / "data", 3, vocabularies=SEED_VOCABULARIES)
    result = check(tmp_path / "data")
    assert [str(p) for p in result.problems.errors] == []
    # The synthetic submissions are longer than OHCHR's word limit and cover invented periods, as drafts can:
    # OHCHR's rules for what is sent (word-limit, ohchr-rule) warn about them; nothing else may.
    assert [str(p) for p in result.problems.warnings if p.code not in ("word-limit", "ohchr-rule")] == []
    assert counts["submissions"] == len(result.dataset.submissions) == 3
    sections = [s for sd in result.dataset.submissions for s in sd.sections]
    assert counts["sections"] == len(sections) == 15
    assert counts["findings"] == sum(len(s.findings()) for s in sections)
    assert counts["recommendations"] == sum(len(s.recommendations()) for s in sections)
    assert counts["sources"] == sum(len(s.sources) for s in sections)
    # Tags come from the vocabularies, text carries footnote markers, findings are cross-referenced.
    vocab = read_vocabularies(SEED_VOCABULARIES)
    recs = [r for s in sections for r in s.recommendations()]
    assert {t for r in recs for t in r.themes} <= set(vocab.themes)
    assert all(r.findings for r in recs)
    assert all(100 <= len(r.text) <= 300 for r in recs)
    paragraphs = [b for s in sections for b in s.body if b.type == "paragraph"]
    assert all(300 <= len(p.text) <= 900 + 60 for p in paragraphs)
    assert any("[^" in p.text for p in paragraphs)
    assert any(f.events for s in sections for f in s.findings())


def test_synthetic_corpus_is_deterministic_and_grows_by_prefix(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 2, vocabularies=SEED_VOCABULARIES)
    write_corpus(tmp_path / "b", 3, vocabularies=SEED_VOCABULARIES)

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}

    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a == {k: v for k, v in b.items() if k in a}
    assert len(b) > len(a)
    write_corpus(tmp_path / "a", 2, vocabularies=SEED_VOCABULARIES)
    assert files(tmp_path / "a") == a


def test_noop_rebuild_writes_no_file(tmp_path: Path) -> None:
    paths, _ = _synthetic_project(tmp_path / "p", 2)
    _r, _kb, first, _v = generate_docs(paths)
    assert first.pages > 0 and len([p for p in first.written if p.endswith(".md")]) == first.pages
    _r, _kb, again, _v = generate_docs(paths)
    assert again.written == []
    assert again.removed == []
    # Every page, download and chart is unchanged.
    assert again.unchanged == len(first.written)


def test_one_recommendation_edit_rewrites_exactly_the_pages_that_show_it(tmp_path: Path) -> None:
    paths, _ = _synthetic_project(tmp_path / "p", 3)
    generate_docs(paths)
    rec = recommendation_id(2, 3, 2)
    edited = edit_recommendation(
        paths.data,
        rec,
        "Ensure that this edited recommendation is implemented in full before the next cycle of the review.",
    )
    assert edited.exists()
    _r, _kb, stats, _permalinks = generate_docs(paths)
    expected = {path for path, ids in stats.shows.items() if rec in ids}
    sub = "synth-00002-kgz"
    # The section page, the printable full text, the recommendation index and the term pages.
    assert {f"{sub}/section-3.md", f"{sub}/full-text.md", "recommendations.md"} <= expected
    assert any(p.startswith("themes/") for p in expected)
    # And the pages that give the sizes of the downloads holding it (the knowledge base's and the submission's).
    assert {p for p in stats.written if p.endswith(".md")} == expected | {"index.md", f"{sub}/index.md"}
    # The downloads that hold the recommendation change with it; no other file does.
    assert {p for p in stats.written if not p.endswith(".md")} == {
        "downloads/knowledge-base.json",
        "downloads/recommendations.csv",
        f"downloads/{sub}.json",
        f"downloads/{sub}-recommendations.csv",
        f"downloads/{sub}.txt",
    }
    assert stats.removed == []
    assert "edited recommendation" in (paths.docs / "kb" / sub / "section-3.md").read_text(encoding="utf-8")


_SECONDARY = re.compile(r'class="md-nav md-nav--secondary"')


def _primary_nav_links(html: str) -> int:
    """``md-nav__link`` elements before the page's own table of contents (the secondary nav)."""
    m = _SECONDARY.search(html)
    return html[: m.start() if m else len(html)].count('class="md-nav__link')


@pytest.mark.slow
def test_navigation_does_not_grow_with_the_number_of_records(tmp_path: Path) -> None:
    pages = ("index.html", "kb/index.html", "kb/synth-00001-kaz/section-1/index.html", "kb/themes/torture/index.html")
    counts: dict[int, dict[str, int]] = {}
    sizes: dict[int, int] = {}
    for n in (1, 4):
        paths, _ = _synthetic_project(tmp_path / f"p{n}", n)
        _r, _kb, stats, _v = generate_docs(paths)
        sizes[n] = stats.pages
        assert run_mkdocs(paths.config, paths.docs, paths.site) == []
        counts[n] = {p: _primary_nav_links((paths.site / p).read_text(encoding="utf-8")) for p in pages}
    assert sizes[4] > sizes[1] + 20
    assert counts[1] == counts[4]
    assert all(0 < c < 40 for c in counts[1].values()), counts[1]
