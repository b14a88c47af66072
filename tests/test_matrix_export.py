"""export matrix: OHCHR's matrix of a review's recommendations with the organisation's assessment column filled in.

The scenario runs everywhere: the made-up review of Iceland imported with the command line from our own samples
(tests/samples: the report, the addendum and the thematic list) and the mid-term sample submission
(tests/samples/midterm-submission) that follows it. Every expected row, position, status and footnote is worked
out here from those files, read with PyYAML (not the project's loader), and compared with the document read back
with python-docx.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from tests.conftest import import_samples
from tests.project import copy_seed_data
from uprkb.cli import main

SAMPLES = Path(__file__).parent / "samples"
MIDTERM = SAMPLES / "midterm-submission"
SID = "test-midterm-isl-upr4"
REVIEW = "isl-upr4"
SYMBOL = "A/HRC/99/10"
IMPORTS = (
    ("wg-report", "wg-report-sample.txt"),
    ("responses", "addendum-sample.txt"),
    ("ohchr-matrix", "matrix-sample.txt"),
)
STATUS = {
    "not-implemented": "not implemented",
    "partially-implemented": "partially implemented",
    "fully-implemented": "fully implemented",
    "no-information": "no information",
    "contrary-measures": "contrary measures",
}
POSITION = {"supported": "Supported", "noted": "Noted", "supported-in-part": "Supported in part"}
CLAIMS = {
    "implemented-or-in-progress": "the State considers it already implemented or in the process of implementation",
    "implemented": "the State considers it already implemented",
    "in-progress": "the State considers it in the process of implementation",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_data(root: Path) -> Path:
    """The seed's vocabularies and submission, the sample review imported, the mid-term sample copied in."""
    data = copy_seed_data(root / "data")
    import_samples(data, IMPORTS)
    shutil.copytree(MIDTERM / SID, data / "submissions" / SID)
    return data


@dataclass
class Expected:
    """What the files say, read with PyYAML."""

    received: dict[str, dict[str, Any]]
    """ID → the imported recommendation."""
    themes: dict[str, str]
    """Theme ID → label, in the vocabulary's order."""
    persons: dict[str, str]
    followed: set[str] = field(default_factory=set)
    assessments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Received ID → the sample's assessments of it (each with its finding), oldest first."""
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def latest(self, rid: str) -> dict[str, Any] | None:
        found = self.assessments.get(rid)
        return found[-1] if found else None

    def notes_of(self, rid: str) -> list[str]:
        """The source IDs the latest assessment's footnotes cite: the finding's markers, then its other sources."""
        latest = self.latest(rid)
        if latest is None:
            return []
        finding = latest["finding"]
        markers = re.findall(r"\[\^([^\]]+)\]", finding["text"])
        return markers + [s for s in finding.get("sources", []) if s not in markers]

    def status(self, rid: str) -> str:
        latest = self.latest(rid)
        return STATUS[latest["status"]] if latest else "not yet assessed"


def rec_id(ref: str) -> str | None:
    for prefix in (f"{REVIEW}/", f"{SYMBOL}#"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return None


def number_key(rid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in rid.split("."))


def read_expected(data: Path) -> Expected:
    recs = yaml.safe_load((data / "reviews" / REVIEW / "recommendations.yaml").read_text(encoding="utf-8"))
    themes = yaml.safe_load((data / "vocabularies" / "themes.yaml").read_text(encoding="utf-8"))
    persons = yaml.safe_load((data / "vocabularies" / "affected-persons.yaml").read_text(encoding="utf-8"))
    out = Expected(
        {r["id"]: r for r in recs["recommendations"]},
        {t["id"]: t["label"] for t in themes["terms"]},
        {t["id"]: t["label"] for t in persons["terms"]},
    )
    for path in sorted((MIDTERM / SID / "sections").glob("*.yaml")):
        section = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.sources.update({s["id"]: s for s in section.get("sources", [])})
        for block in section["body"]:
            items = block.get("items", [block.get("finding")] if block["type"] == "finding" else [])
            for record in items:
                if not isinstance(record, dict):
                    continue
                refs = record.get("follows_up", []) + record.get("taken_up_as", [])
                refs += [a["recommendation"] for a in record.get("assessments", [])]
                out.followed |= {r for r in map(rec_id, refs) if r}
                for a in record.get("assessments", []):
                    rid = rec_id(a["recommendation"])
                    if rid:
                        out.assessments.setdefault(rid, []).append({**a, "finding": record})
    for found in out.assessments.values():
        found.sort(key=lambda a: a["as_of"])
    return out


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def footnotes(path: Path) -> tuple[int, list[str]]:
    """The footnote references in the body, and the text of each real footnote (separators left out)."""
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml") if "word/footnotes.xml" in z.namelist() else b""
    texts = []
    if notes:
        from lxml import etree

        for note in etree.fromstring(notes).iter(f"{W}footnote"):
            if note.get(f"{W}type") in (None, "normal") and int(note.get(f"{W}id")) > 0:
                texts.append("".join(note.itertext()).strip())
    return body.count("<w:footnoteReference "), texts


def headings_and_tables(path: Path) -> list[tuple[str, Any]]:
    """The document's theme headings and tables in order: ("heading", text) or ("table", table)."""
    doc = Document(str(path))
    tables = iter(doc.tables)
    paragraphs = {p._p: p for p in doc.paragraphs}
    out: list[tuple[str, Any]] = []
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}tbl":
            out.append(("table", next(tables)))
        elif child in paragraphs and paragraphs[child].style.name.startswith("Heading"):
            out.append(("heading", paragraphs[child].text))
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data(tmp_path_factory.mktemp("matrix"))


@pytest.fixture(scope="module")
def expected(data: Path) -> Expected:
    return read_expected(data)


@pytest.fixture(scope="module")
def whole(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("matrix-out") / "isl-matrix.docx"
    return out, run("export", "matrix", "--data", str(data), "--review", REVIEW, "-o", str(out))


def rows_by_id(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Recommendation ID → (the theme heading above its table, its four cells' text)."""
    out: dict[str, tuple[str, list[str]]] = {}
    heading = ""
    for kind, item in headings_and_tables(path):
        if kind == "heading":
            heading = item
            continue
        header, *rows = item.rows
        assert [c.text for c in header.cells] == [
            "Recommendation",
            "Position",
            "Full list of themes",
            "Assessment/comments on level of implementation",
        ]
        for row in rows:
            cells = [c.text for c in row.cells]
            rid = cells[0].split()[0]
            assert rid not in out, f"{rid} printed twice"
            out[rid] = (heading, cells)
    return out


def test_every_recommendation_once_under_its_first_theme(whole: tuple[Path, str], expected: Expected) -> None:
    path, _ = whole
    rows = rows_by_id(path)
    assert sorted(rows, key=number_key) == sorted(expected.received, key=number_key)
    for rid, rec in expected.received.items():
        heading, cells = rows[rid]
        first = rec.get("themes", [None])[0]
        assert heading == (f"Theme: {expected.themes[first]}" if first else "Theme: Recommendations without a theme")
        states = ", ".join(s["name"] for s in rec["recommending_states"])
        assert cells[0].startswith(f"{rid} {rec['text']} ({states})")
        source = rec.get("position_source")
        if source:
            assert f"Source of position: {source['document']}, para. {source['paragraph']}" in cells[0]
        else:
            assert "Source of position" not in cells[0]
        claim = f"; {CLAIMS[rec['claim']]}" if rec.get("claim") else ""
        assert cells[1] == POSITION.get(rec["position"], "Position not known") + claim
        for tid in rec.get("themes", []):
            assert expected.themes[tid] in cells[2]
        for pid in rec.get("affected_persons", []):
            assert expected.persons[pid] in cells[2]
    # theme headings in the vocabulary's order, the recommendations without a theme last
    headings = [item for kind, item in headings_and_tables(path) if kind == "heading"]
    order = list(expected.themes)
    labels = {f"Theme: {label}": i for i, label in enumerate(expected.themes.values())}
    assert headings == sorted(headings, key=lambda h: labels.get(h, len(order)))
    assert headings[-1] == "Theme: Recommendations without a theme"


def test_the_assessment_column(whole: tuple[Path, str], expected: Expected) -> None:
    path, output = whole
    rows = rows_by_id(path)
    for rid in expected.received:
        cell = rows[rid][1][3]
        latest = expected.latest(rid)
        if latest is not None:
            status = expected.status(rid)
            assert cell.startswith(f"{status[0].upper()}{status[1:]} as of "), (rid, cell)
            assert re.sub(r"\[\^[^\]]+\]", "", latest["finding"]["text"]) in cell
        elif rid in expected.followed:
            assert cell == "Not yet assessed."
        else:
            assert cell == ""
    assert {rid for rid in expected.received if rows[rid][1][3]} == expected.followed
    # the figures printed
    assessed = [rid for rid in expected.followed if expected.latest(rid)]
    assert f"{len(expected.received)} recommendation(s)" in output
    assert f"{len(expected.followed)} followed, {len(assessed)} assessed" in output
    counts = {label: 0 for label in [*STATUS.values(), "not yet assessed"]}
    for rid in expected.followed:
        counts[expected.status(rid)] += 1
    assert "Statuses: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + "." in output


def test_footnotes_are_real_and_cite_the_evidence(whole: tuple[Path, str], expected: Expected) -> None:
    path, output = whole
    cited = [sid for rid in sorted(expected.received, key=number_key) for sid in expected.notes_of(rid)]
    assert len(cited) == 5  # the sample: two markers, one source listed without a marker, two single markers
    references, texts = footnotes(path)
    assert references == len(texts) == len(cited)
    assert f"{len(cited)} footnotes" in output
    titles = sorted(expected.sources[sid]["title"] for sid in cited)
    assert sorted(next(t for t in titles if t in text) for text in texts) == titles


def test_a_theme_or_the_followed_recommendations(data: Path, expected: Expected, tmp_path: Path) -> None:
    out = tmp_path / "torture.docx"
    run("export", "matrix", "--data", str(data), "--review", REVIEW, "--theme", "torture", "-o", str(out))
    with_theme = sorted(rid for rid, r in expected.received.items() if "torture" in r.get("themes", []))
    rows = rows_by_id(out)
    assert sorted(rows) == with_theme
    assert {heading for heading, _ in rows.values()} == {f"Theme: {expected.themes['torture']}"}
    out = tmp_path / "followed.docx"
    run("export", "matrix", "--data", str(data), "--review", REVIEW, "--followed", "-o", str(out))
    assert set(rows_by_id(out)) == expected.followed
    assert footnotes(out)[0] == sum(len(expected.notes_of(rid)) for rid in expected.followed)


def test_an_unknown_theme_or_review_is_refused_with_a_hint(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.docx"
    result = CliRunner().invoke(
        main, ["export", "matrix", "--data", str(data), "--review", REVIEW, "--theme", "tortur", "-o", str(out)]
    )
    assert result.exit_code == 1 and "no theme 'tortur'" in result.output and "did you mean 'torture'" in result.output
    result = CliRunner().invoke(main, ["export", "matrix", "--data", str(data), "--review", "isl-upr9", "-o", str(out)])
    assert result.exit_code == 1 and "no review 'isl-upr9'" in result.output and "isl-upr4" in result.output
    assert not out.exists()


def test_only_its_own_document_is_replaced(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.docx"
    args = ["export", "matrix", "--data", str(data), "--review", REVIEW, "-o", str(out)]
    run(*args)
    run(*args)  # its own document, for the same review: replaced
    foreign = tmp_path / "foreign.docx"
    foreign.write_bytes(b"a document someone wrote")
    result = CliRunner().invoke(main, [*args[:-1], str(foreign)])
    assert result.exit_code == 1 and "carries no export mark" in result.output and "--force" in result.output
    assert foreign.read_bytes() == b"a document someone wrote"
    # a mid-term report is not a matrix: refused too
    midterm = tmp_path / "midterm.docx"
    run("export", "midterm", "--data", str(data), "--review", REVIEW, "-o", str(midterm))
    before = midterm.read_bytes()
    result = CliRunner().invoke(main, [*args[:-1], str(midterm)])
    assert result.exit_code == 1 and "is another export" in result.output
    assert midterm.read_bytes() == before
    run(*args[:-1], str(foreign), "--force")
    assert rows_by_id(foreign)


def test_two_organisations_need_a_submission(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "data"
    shutil.copytree(data, other)
    second = other / "submissions" / "test-midterm-b-isl-upr4"
    shutil.copytree(other / "submissions" / SID, second)
    meta = second / "submission.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8")
        .replace(f"id: {SID}", "id: test-midterm-b-isl-upr4")
        .replace("Sample Mid-term Watch", "Second Sample Watch"),
        encoding="utf-8",
    )
    section = next((second / "sections").glob("*.yaml"))
    section.write_text(section.read_text(encoding="utf-8").replace("t-mt-", "t-mt2-"), encoding="utf-8")
    out = tmp_path / "m.docx"
    result = CliRunner().invoke(main, ["export", "matrix", "--data", str(other), "--review", REVIEW, "-o", str(out)])
    assert result.exit_code == 1 and "several organisations follow" in result.output and "--submission" in result.output
    run("export", "matrix", "--data", str(other), "--review", REVIEW, "--submission", SID, "-o", str(out))
    assert footnotes(out)[0] == 5


def test_the_matrix_is_written_to_be_shared(whole: tuple[Path, str]) -> None:
    """The document is made as the user's files are (0644 under the usual umask), as the submission's is."""
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(whole[0].stat().st_mode) == 0o666 & ~umask
