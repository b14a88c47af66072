"""The shipped data encodes the seed document verbatim: every sentence survives the round trip."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from uprkb.build.site import load_knowledge_base
from uprkb.cli import main
from uprkb.core.project import Project
from uprkb.model.records import FindingKind

from .conftest import SEED, SHARED_SEED

GLYPHS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


def normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;:])", r"\1", text)


def seed_units() -> tuple[list[str], list[str]]:
    """The seed's sentences and its footnotes, after removing footnote glyphs and emphasis."""
    raw = SEED.read_text(encoding="utf-8")
    paragraphs: list[str] = []
    footnotes: list[str] = []
    for block in re.split(r"\n\s*\n", raw):
        block = block.strip()
        if not block:
            continue
        if block[0] in GLYPHS:
            note = block.lstrip(GLYPHS).strip()
            note = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 \2", note)  # [label](url) -> label url
            note = note.replace("\\(", "(").replace("\\)", ")").replace("<", "").replace(">", "")
            footnotes.append(normalise(note))
            continue
        block = re.sub(f"[{GLYPHS}]", "", block).replace("*", "")
        block = re.sub(r"^(?:-\s+)?(?:\d+\.\s+)?", "", block, flags=re.M)
        if paragraphs and block[0].islower():
            paragraphs[-1] += " " + block  # a page break split this paragraph
        else:
            paragraphs.append(block)
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?;:])\s+", normalise(p)) if s]
    return sentences, footnotes


@pytest.fixture(scope="module")
def exported() -> str:
    result = CliRunner().invoke(main, ["export", "text", "--submission", "ili-kazakhstan-upr4"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_sentence_of_the_seed_is_in_the_export(exported: str) -> None:
    text = normalise(re.sub(r"\[\d+\]", "", exported))
    sentences, _ = seed_units()
    assert len(sentences) > 100
    missing = [s for s in sentences if s not in text]
    assert missing == []


def test_every_footnote_of_the_seed_is_in_the_export(exported: str) -> None:
    notes_part = normalise(exported.split("\nFootnotes\n", 1)[1])
    _, footnotes = seed_units()
    assert len(footnotes) == 5
    assert [f for f in footnotes if f not in notes_part] == []


def test_footnote_markers_stand_where_the_document_puts_them(exported: str) -> None:
    assert "tried to deny[1]." in exported
    assert "including children[2]." in exported
    assert "to escape persecution.[3]" in exported
    assert "recognized as such by the legislation of the Republic of Kazakhstan.”[4]" in exported
    assert "forced disappearance.[5]" in exported


def test_counts_match_the_document(exported: str) -> None:
    _, kb = load_knowledge_base(Project.find())
    (sub,) = kb.submissions
    assert [s.number for s in sub.sections] == [1, 2, 3, 4, 5]
    per_section = [len(s.recommendations()) for s in sub.sections]
    assert per_section == [1, 10, 3, 3, 2]
    conclusions = [f for f in sub.findings if f.kind is FindingKind.conclusion]
    assert [c.number for c in conclusions] == list(range(1, 10))
    assert all(c.status.value == "preliminary" for c in conclusions)
    urls = [s.url for s in sub.sources.values() if s.url]
    assert len(urls) == 5
    assert len(re.findall(r"^§\d\. ", exported, flags=re.M)) == 5
    assert len(re.findall(r"^\[\d\] .*https?://", exported, flags=re.M)) == 5


def test_seed_metadata() -> None:
    _, kb = load_knowledge_base(Project.find())
    meta = kb.submissions[0].submission
    assert (meta.state.name, meta.state.iso3, meta.cycle, meta.session) == ("Kazakhstan", "KAZ", 4, 48)
    assert meta.review_date is not None and meta.review_date.isoformat() == "2025-01-23"
    assert meta.organisation.founded == 2010


def test_every_recommendation_is_tagged() -> None:
    _, kb = load_knowledge_base(Project.find())
    for r in kb.submissions[0].recommendations:
        assert r.themes and r.affected_persons and r.sdg_targets, r.id
        assert 1 <= r.action_category.value <= 5 and r.action_verb, r.id


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/seeds is not beside this checkout")
def test_the_fixture_is_the_shared_seed() -> None:
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()
