"""The preview's regeneration: every save renders every page, only the files whose bytes
changed are written, and the generated folder always ends up as a full generation would
leave it. (The MkDocs side, compared with a full build, is in test_preview_edits.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from uprkb.build.site import generate_docs
from uprkb.core.project import Project
from uprkb.present.links import GENERATED
from uprkb.preview.server import Preview

SECTION = "submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml"
RECOMMENDATION = "r-punish-mass-torture-of-migrants"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def same_as_full_generation(project: Project, tmp_path: Path) -> None:
    """``docs/kb`` of ``project`` is byte for byte what a fresh full generation gives."""
    fresh = Project.at(tmp_path / "fresh").with_(templates=tmp_path / "fresh" / "templates")
    shutil.rmtree(fresh.data.parent, ignore_errors=True)
    shutil.copytree(project.data.parent, fresh.data.parent, ignore=shutil.ignore_patterns("site", ".cache", "kb"))
    generate_docs(fresh)
    ours, theirs = project.docs / GENERATED, fresh.docs / GENERATED
    files = sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())
    assert sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file()) == files
    assert [f for f in files if (ours / f).read_bytes() != (theirs / f).read_bytes()] == []


def test_first_run_renders_everything_then_nothing_changes(project: Project) -> None:
    preview = Preview(project)
    first = preview.regenerate()
    assert first.stats is not None and first.stats.pages > 50 and first.stats.written
    again = preview.regenerate()
    assert again.stats is not None and again.stats.pages == first.stats.pages
    assert again.stats.written == [] and again.stats.removed == []


def test_a_text_edit_writes_only_the_files_that_change(project: Project, tmp_path: Path) -> None:
    preview = Preview(project)
    first = preview.regenerate()
    assert first.stats is not None
    # Long enough to change the sizes of the downloads that pages show (a kilobyte and more).
    longer = "Ensure prompt and fair punishment" + ", that is, a punishment in proportion to the crime" * 40
    edit(project.data / SECTION, "Ensure fair punishment", longer)
    out = preview.regenerate()
    assert out.stats is not None and out.stats.pages == first.stats.pages
    written = {w for w in out.stats.written if not w.startswith("downloads/")}
    assert "ili-kazakhstan-upr4/freedom-of-torture.md" in written
    # Every page was rendered; the unchanged ones were not written again.
    assert len(written) < 0.5 * out.stats.pages
    same_as_full_generation(project, tmp_path)


def test_structural_changes_leave_nothing_stale(project: Project, tmp_path: Path) -> None:
    preview = Preview(project)
    preview.regenerate()
    # A vocabulary: its labels stand on many pages.
    themes = project.data / "vocabularies" / "themes.yaml"
    text = themes.read_text(encoding="utf-8")
    label = next(line for line in text.splitlines() if line.strip().startswith("label:"))
    edit(themes, label, label + " (edited)")
    out = preview.regenerate()
    assert out.stats is not None and out.stats.written
    same_as_full_generation(project, tmp_path / "vocabulary")
    # A new record: the pages that list records change, whether or not a dependency list names them.
    edit(project.data / SECTION, "id: f-mass-torture-of-migrants\n", "id: f-mass-torture-of-migrants\n    number: 3\n")
    out = preview.regenerate()
    assert out.stats is not None and out.stats.written
    same_as_full_generation(project, tmp_path / "numbered")
    # A template.
    template = next(project.templates.glob("*.j2"))
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out = preview.regenerate()
    assert out.stats is not None
    same_as_full_generation(project, tmp_path / "template")


def test_an_error_keeps_the_last_good_pages_and_the_fix_catches_up(project: Project, tmp_path: Path) -> None:
    preview = Preview(project)
    preview.regenerate()
    section = project.data / SECTION
    edit(section, "Ensure fair punishment", "Ensure swift and fair punishment")
    edit(section, "\nnumber: 5", "\nnumbr: 5")
    page = project.docs / GENERATED / "ili-kazakhstan-upr4" / "freedom-of-torture.md"
    before = page.read_bytes()
    out = preview.regenerate()
    assert out.stats is None and any(p.code == "unknown-field" for p in out.problems)
    assert page.read_bytes() == before
    edit(section, "\nnumbr: 5", "\nnumber: 5")
    out = preview.regenerate()
    assert out.stats is not None and not out.problems
    assert "swift" in page.read_text(encoding="utf-8")
    same_as_full_generation(project, tmp_path)


def test_an_edit_in_a_larger_corpus_leaves_nothing_stale(project: Project, tmp_path: Path) -> None:
    """With several submissions the index pages are paginated and show the sizes of the downloads:
    after an edit every page is rendered again, and only those that change are written."""
    from benchmarks.synth import edit_recommendation, recommendation_id, write_corpus

    vocabularies = tmp_path / "vocabularies"
    shutil.copytree(project.data / "vocabularies", vocabularies)
    shutil.rmtree(project.data)
    write_corpus(project.data, 12, vocabularies=vocabularies)
    preview = Preview(project)
    first = preview.regenerate()
    assert first.stats is not None and first.stats.pages > 150
    rec = recommendation_id(6, 2, 2)
    edit_recommendation(project.data, rec, "Ensure that the edited recommendation is implemented in full. " * 60)
    out = preview.regenerate()
    assert out.stats is not None and out.stats.pages == first.stats.pages
    assert len(out.stats.written) < 0.25 * out.stats.pages
    same_as_full_generation(project, tmp_path)
