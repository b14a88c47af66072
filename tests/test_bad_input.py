"""Every class of bad input gives its located error, all at once, and never a traceback;
a failed build leaves the last good site byte-identical."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprkb.build.site import build_site
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.errors import CODES
from uprkb.core.project import Project

from .badinput import BASE, CASES, PROBE, WARNINGS, Case, plant
from .conftest import copy_project


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project copy with a good site built once; each case works on a copy of its data."""
    paths = copy_project(tmp_path_factory.mktemp("good"))
    build_site(paths)
    return paths


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def fresh_data(good: Project, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(good.data, data)
    return data


def test_the_probe_itself_is_valid(good: Project, tmp_path: Path) -> None:
    data = fresh_data(good, tmp_path)
    plant(data, Case("base", "", BASE))
    result = check(data)
    assert result.problems.items == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_located_and_the_site_survives(case: Case, good: Project, tmp_path: Path) -> None:
    data = fresh_data(good, tmp_path)
    target = plant(data, case)
    before = tree_digest(good.site)
    result = CliRunner().invoke(
        main, ["--root", str(good.root), "build", "--data", str(data), "--site-dir", str(good.site)]
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    problems = [p for p in check(data).problems.errors if p.code == case.code]
    assert problems, f"expected [{case.code}], got {[p.format() for p in check(data).problems.items]}"
    where = problems[0].location
    assert Path(where.path).resolve() == target.resolve() or where.path.endswith(case.path)
    assert where.line == case.expected_line(), problems[0].format()
    assert f"[{case.code}]" in result.output
    assert "hint:" in result.output
    assert tree_digest(good.site) == before
    assert not list(good.site.parent.glob(".site-tmp-*"))


@pytest.mark.slow
@pytest.mark.parametrize("case", WARNINGS, ids=[c.name for c in WARNINGS])
def test_warnings_do_not_stop_the_build(case: Case, project: Project) -> None:
    plant(project.data, case)
    result = check(project.data)
    assert result.ok, [p.format() for p in result.problems.errors]
    (warning,) = [p for p in result.problems.warnings if p.code == case.code]
    assert warning.location.line in (0, case.expected_line())
    if case.code == "stray-file":
        build_site(project)
        names = {p.name for p in project.site.rglob("*")}
        assert Path(case.path).name not in names


def test_all_problems_are_reported_at_once(good: Project, tmp_path: Path) -> None:
    data = fresh_data(good, tmp_path)
    plant(
        data,
        Case(
            "many",
            "",
            BASE.replace("themes: [right-to-life]", "themes: [right-to-lief]").replace(
                "text: A probe finding.", "text: A probe finding[^nowhere]."
            ),
        ),
    )
    themes = data / "vocabularies" / "instruments.yaml"
    themes.write_text(themes.read_text(encoding="utf-8") + "extra: 1\n", encoding="utf-8")
    meta = data / "submissions" / "ili-kazakhstan-upr4" / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("cycle: 4", "cycle: four"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    for code in ("unknown-field", "unknown-reference", "unknown-footnote", "wrong-type"):
        assert f"[{code}]" in result.output, code
    assert len([line for line in result.output.splitlines() if "] " in line and "hint:" not in line]) >= 5


def test_did_you_mean_hints(good: Project, tmp_path: Path) -> None:
    data = fresh_data(good, tmp_path)
    plant(data, Case("typo", "", BASE.replace("    text: Probe text", "    txet: Probe text")))
    hints = {(p.code, p.hint) for p in check(data).problems.errors}
    assert (
        "unknown-field",
        "did you mean 'text'? The fields of a paragraph are: confidential, id, quotes, text, type",
    ) in hints
    assert ("missing-field", "add 'text:' (The paragraph's words; '[^source-id]' marks a footnote.)") in hints
    plant(data, Case("typo", "", BASE.replace("themes: [right-to-life]", "themes: [right-to-lief]")))
    (problem,) = check(data).problems.errors
    assert (problem.code, problem.hint) == ("unknown-reference", "did you mean 'right-to-life' (Right to life)?")


def test_every_reported_code_is_documented() -> None:
    assert {c.code for c in CASES + WARNINGS} <= set(CODES)


def test_utf8_bom_is_accepted(good: Project, tmp_path: Path) -> None:
    data = fresh_data(good, tmp_path)
    plant(data, Case("bom", "", b"\xef\xbb\xbf" + BASE.encode("utf-8")))
    assert check(data).problems.items == []


def test_probe_path_is_a_section() -> None:
    assert PROBE.endswith(".yaml")


def test_every_code_the_source_reports_is_documented() -> None:
    """Every problem code written in the source (``problems.add``/``warn``, ``Problem(…)``) has its entry in CODES."""
    import ast

    from tests.project import PROJECT

    found: dict[str, str] = {}
    for path in (PROJECT / "src" / "uprkb").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            code = node.args[1]
            if name in {"add", "warn", "Problem"} and isinstance(code, ast.Constant) and isinstance(code.value, str):
                if code.value.replace("-", "").isalpha() and code.value.islower():
                    found.setdefault(code.value, f"{path.relative_to(PROJECT)}:{node.lineno}")
    assert len(found) > 40, "the scan found too few codes: it no longer reads the calls"
    assert {c: where for c, where in found.items() if c not in CODES} == {}
