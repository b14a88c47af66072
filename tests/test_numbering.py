"""One numbering: the paragraph number the site gives a recommendation (``#para-21``) is the one number the Word
document and the PDF print before it (OHCHR's guidelines: numbered paragraphs; a recommendation is one); the text
export prints the site's "Recommendation 3.1" number beside it, after the same paragraph number."""

from __future__ import annotations

import json
from pathlib import Path

from tests.project import SEED_ID
from uprkb.check.validate import check
from uprkb.exports.docx import document_tree
from uprkb.exports.text import export_text
from uprkb.present.labels import record_label
from uprkb.present.numbering import paragraph_numbers


def test_site_document_and_text_share_one_numbering(data: Path) -> None:
    result = check(data)
    assert result.kb is not None
    sub = next(s for s in result.kb.submissions if s.id == SEED_ID)
    paras = paragraph_numbers(sub)
    tree = json.dumps(document_tree(sub)[0], ensure_ascii=False)
    text = export_text(sub)
    assert sub.recommendations
    for rec in sub.recommendations:
        number = record_label(sub, rec).removeprefix("Recommendation ")
        assert f'"{number}."' not in tree, number  # the document prints one number per paragraph
        assert f'["para-{paras[rec.id]}", [], [["custom-style", "Numbered Recommendation"]]]' in tree, rec.id
        assert f"\n{paras[rec.id]}. {number}. " in text, (paras[rec.id], number)
