"""A submission imported from Word and not yet complete: the action category filled in from the verb, the
submission reported and left out of the site while the rest of the site builds."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from tests.project import SEED_ID
from uprkb.build.site import build_site, generate_docs, load_knowledge_base
from uprkb.cli import main
from uprkb.core.errors import DataError
from uprkb.core.project import Project

NEW_ID = "example-upr4"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def word_file(tmp_path: Path) -> Path:
    """An NGO's Word file, made here with python-docx; it does not name the State under review."""
    document = docx.Document()
    document.add_paragraph("Submission on Examplestan", style="Title")
    document.add_paragraph("Submitted by: Example Rights Centre (ERC)")
    document.add_paragraph("Universal Periodic Review, 4th cycle, 50th session")
    document.add_heading("I. Detention", level=1)
    document.add_paragraph("Conditions in pre-trial detention remain poor.")
    document.add_heading("Recommendations", level=2)
    document.add_paragraph("Ratify the Optional Protocol to the Convention against Torture.", style="List Number")
    document.add_paragraph("Continue the reform of the prison service.", style="List Number")
    document.add_paragraph("Consider a moratorium on new prisons.", style="List Number")
    document.add_paragraph("Reduce pre-trial detention.", style="List Number")
    path = tmp_path / "ngo.docx"
    document.save(str(path))
    return path


@pytest.fixture
def imported(project: Project, tmp_path: Path) -> Project:
    code, output = run("import", "docx", str(word_file(tmp_path)), "--data", str(project.data), "--submission", NEW_ID)
    assert code == 0, output
    assert "state.name (or give --state)" in output
    return project


def recommendations(project: Project) -> list[dict[str, object]]:
    section = next((project.data / "submissions" / NEW_ID / "sections").glob("01-*.yaml"))
    body = yaml.safe_load(section.read_text(encoding="utf-8"))["body"]
    return next(b for b in body if b["type"] == "recommendations")["items"]  # type: ignore[no-any-return]


def test_the_action_category_comes_from_the_verb(imported: Project) -> None:
    found = [(r["action_verb"], r.get("action_category")) for r in recommendations(imported)]
    # "reduce" is one of the verbs UPR Info files under two categories: left for a person to decide.
    assert found == [("Ratify", 5), ("Continue", 2), ("Consider", 3), ("Reduce", None)]


def test_validate_still_lists_what_to_fill_in(imported: Project) -> None:
    code, output = run("validate", "--data", str(imported.data))
    assert code == 1
    assert f"submissions/{NEW_ID}/submission.yaml" in output and f"missing in submission '{NEW_ID}', state" in output


def test_the_incomplete_import_is_reported_and_left_out(imported: Project) -> None:
    result, kb = load_knowledge_base(imported)
    assert [s.id for s in kb.submissions] == [SEED_ID]
    (left,) = [w for w in result.problems.warnings if w.code == "submission-left-out"]
    assert NEW_ID in left.message and "state" in left.message and "action_category" in left.message
    assert left.location.path.endswith(f"{NEW_ID}/submission.yaml")
    _, _, stats, _ = generate_docs(imported)
    assert (imported.docs / "kb" / SEED_ID / "index.md").is_file()
    assert not (imported.docs / "kb" / NEW_ID).exists()


def test_a_submission_written_by_hand_with_errors_still_stops_the_build(imported: Project) -> None:
    """Only an import still carrying its note is left out: an error in any other submission stops the build."""
    seed = imported.data / "submissions" / SEED_ID / "submission.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("cycle: 4", "cycle: four", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_knowledge_base(imported)
    assert any(p.code == "wrong-type" or "cycle" in p.message for p in exc.value.problems)


@pytest.mark.slow
def test_the_rest_of_the_site_builds(imported: Project) -> None:
    out = build_site(imported)
    assert out.site is not None and (out.site / "kb" / SEED_ID / "index.html").is_file()
    assert not (out.site / "kb" / NEW_ID).exists()
    assert any(w.code == "submission-left-out" for w in out.warnings)
