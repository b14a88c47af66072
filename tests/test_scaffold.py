"""`new submission` and `new section`: skeletons that validate (and build) at once, comments and layout of
submission.yaml kept, nothing overwritten, located errors for bad arguments."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import copy_seed_data
from uprkb.build.site import build_site
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.project import Project

from .conftest import copy_project

SUB = "ili-kazakhstan-upr4"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    copy_seed_data(out)
    return out


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def new_submission(data: Path, *extra: str, sid: str = "ngo-kaz-upr4") -> tuple[int, str]:
    return run(
        "new",
        "submission",
        sid,
        "--organisation",
        'Example "NGO": Kazakhstan',
        "--state",
        "kaz",
        "--cycle",
        "4",
        "--session",
        "48",
        "--data",
        str(data),
        *extra,
    )


@pytest.mark.parametrize("joint", [False, True])
def test_new_submission_validates_at_once(data: Path, joint: bool) -> None:
    code, out = new_submission(data, *(["--joint"] if joint else []))
    assert code == 0, out
    folder = data / "submissions" / "ngo-kaz-upr4"
    meta = folder / "submission.yaml"
    assert (folder / "sections" / "01-introduction.yaml").is_file()
    text = meta.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/submission.schema.json\n")
    assert '  name: "Kazakhstan"\n  iso3: KAZ\n' in text
    assert ("submission_type: joint" in text) is joint
    section = (folder / "sections" / "01-introduction.yaml").read_text(encoding="utf-8")
    for line in ("#   1 minimal action", "#   4 general action", "#   5 specific action"):
        assert line in section  # the skeleton explains UPR Info's action categories
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    sub = next(s for s in result.dataset.submissions if s.submission.id == "ngo-kaz-upr4")
    assert sub.submission.organisation.name == 'Example "NGO": Kazakhstan'
    assert [s.id for s in sub.sections] == ["introduction"]


def test_new_section_lists_it_and_keeps_the_file_as_it_was(data: Path) -> None:
    meta = data / "submissions" / SUB / "submission.yaml"
    before = meta.read_text(encoding="utf-8")
    code, out = run("new", "section", SUB, "06-right-to-education", "Right to education", "--data", str(data))
    assert code == 0, out
    after = meta.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == ["+- right-to-education"]
    assert after.splitlines()[-1] == "- right-to-education"
    assert check(data).ok


def test_new_section_goes_where_its_number_puts_it(data: Path) -> None:
    code, out = new_submission(data)
    assert code == 0
    run("new", "section", "ngo-kaz-upr4", "03-third", "Third", "--data", str(data))
    code, out = run("new", "section", "ngo-kaz-upr4", "02-second", "Second", "--data", str(data))
    assert code == 0, out
    text = (data / "submissions" / "ngo-kaz-upr4" / "submission.yaml").read_text(encoding="utf-8")
    assert "sections:\n- introduction\n- second\n- third\n" in text
    assert "# The sections in document order" in text  # comments kept
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]


def test_nothing_is_overwritten(data: Path) -> None:
    assert new_submission(data)[0] == 0
    meta = data / "submissions" / "ngo-kaz-upr4" / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, out = new_submission(data)
    assert code == 1
    assert "ngo-kaz-upr4 already exists; nothing was written" in out
    assert meta.read_text(encoding="utf-8").endswith("# edited\n")
    code, out = run("new", "section", SUB, "02-right-to-life", "Again", "--data", str(data))
    assert code == 1 and "02-right-to-life.yaml already exists; nothing was written" in out


@pytest.mark.parametrize(
    "args, expected",
    [
        (["new", "section", SUB, "6-Bad", "T"], "argument NN-slug: '6-Bad' is not a section file name"),
        (["new", "section", SUB, "00-zero", "T"], "argument NN-slug: '00-zero' is not a section file name"),
        (["new", "section", SUB, "07-index", "T"], "argument section ID: 'index' is not a valid section ID"),
        (["new", "section", "nobody", "07-x", "T"], "argument SUBMISSION: there is no submission 'nobody'"),
        (["new", "section", SUB, "07-x", " "], "argument TITLE: the section title is empty"),
        (["new", "section", SUB, "03-another", "T"], "section number already used by 03-freedom-of-association.yaml"),
        (["new", "section", SUB, "07-right-to-life", "T"], "section ID already used by 02-right-to-life.yaml"),
    ],
)
def test_bad_section_arguments_are_located(data: Path, args: list[str], expected: str) -> None:
    before = sorted(p.name for p in (data / "submissions" / SUB / "sections").iterdir())
    code, out = run(*args, "--data", str(data))
    assert code == 1
    assert expected in out, out
    assert "hint:" in out
    assert sorted(p.name for p in (data / "submissions" / SUB / "sections").iterdir()) == before


@pytest.mark.parametrize(
    "sid, extra, expected",
    [
        ("Bad_ID", [], "argument submission ID: 'Bad_ID' is not a valid submission ID"),
        ("ok-id", ["--state", "ZZZ"], "option --state: 'ZZZ' is neither a State's name nor an ISO 3166-1 alpha-3 code"),
        ("ok-id", ["--cycle", "12"], "option --cycle: cycle 12 is out of range"),
        ("ok-id", ["--session", "0"], "option --session: session 0 is out of range"),
    ],
)
def test_bad_submission_arguments_are_located(data: Path, sid: str, extra: list[str], expected: str) -> None:
    code, out = new_submission(data, *extra, sid=sid)
    assert code == 1
    assert expected in out, out
    assert "write 'bad-id'" in out or sid != "Bad_ID"
    assert not (data / "submissions" / sid).exists()


@pytest.mark.slow
def test_the_skeleton_builds_at_once(tmp_path: Path) -> None:
    paths: Project = copy_project(tmp_path / "project")
    assert new_submission(paths.data, "--joint")[0] == 0
    assert run("new", "section", "ngo-kaz-upr4", "02-second", "Second", "--data", str(paths.data))[0] == 0
    build_site(paths)
    assert (paths.site / "kb" / "ngo-kaz-upr4" / "index.html").is_file()
