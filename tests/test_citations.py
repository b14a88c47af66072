"""One citation formatter: a footnote is built from a source's structured fields (author, title, publisher,
published, URL, accessed) the same way on the site, in the Word/PDF document and in the text export;
``citation`` overrides the author-title-date part."""

from __future__ import annotations

import json
from pathlib import Path

from tests.project import SEED_ID
from uprkb.check.validate import check
from uprkb.exports.docx import document_tree
from uprkb.exports.text import export_text
from uprkb.model.records import Source
from uprkb.present.citations import citation_text, note_parts

HRW = Source(
    id="hrw-2022-almaty",
    kind="ngo",
    title="Kazakhstan: Killings, Excessive Use of Force in Almaty",
    author="Human Rights Watch",
    url="https://www.hrw.org/news/2022/01/26/kazakhstan-killings-excessive-use-force-almaty",
    published="2022-01-26",
)


def test_structured_fields_make_the_citation() -> None:
    assert citation_text(HRW) == (
        "Human Rights Watch, “Kazakhstan: Killings, Excessive Use of Force in Almaty”, 26 January 2022"
    )
    full = HRW.model_copy(update={"publisher": "HRW Press", "accessed": "2024-05-01"})
    assert note_parts(full) == [
        "Human Rights Watch, “Kazakhstan: Killings, Excessive Use of Force in Almaty”, HRW Press, 26 January 2022",
        HRW.url,
        "(accessed 1 May 2024)",
    ]


def test_citation_overrides_the_fields() -> None:
    s = HRW.model_copy(update={"citation": "HRW, Almaty report"})
    assert citation_text(s) == "HRW, Almaty report"
    bare = Source(id="x", kind="media", url="https://example.org/a")
    assert note_parts(bare) == ["https://example.org/a"]


def _notes(node: object) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        if node.get("t") == "Note":
            out.append(json.dumps(node, ensure_ascii=False))
            return out
        for v in node.values():
            out += _notes(v)
    elif isinstance(node, list):
        for v in node:
            out += _notes(v)
    return out


def test_word_text_and_site_print_the_hrw_footnote_in_full(data: Path) -> None:
    result = check(data)
    assert result.kb is not None
    sub = next(s for s in result.kb.submissions if s.id == SEED_ID)
    tree, _ = document_tree(sub)
    hrw = [n for n in _notes(tree) if "hrw.org" in n]
    assert hrw and all('"Watch,"' in n and "Almaty”," in n and '"January"' in n for n in hrw), hrw[:1]
    text = export_text(sub)
    assert (
        "Human Rights Watch, “Kazakhstan: Killings, Excessive Use of Force in Almaty”, 26 January 2022 https://www.hrw.org"
        in text
    )


def test_guide_and_model_agree_on_the_source_fields() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "editing.md").read_text(encoding="utf-8")
    for name in ("author", "title", "publisher", "published", "url", "accessed", "citation"):
        assert name in Source.model_fields
        assert f"  {name}:" in guide or f"`{name}:`" in guide, f"the guide does not name the source field {name!r}"
