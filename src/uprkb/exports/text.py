"""Plain-text export of a submission, read from the knowledge base.

``export text`` prints a submission in document order: the title, each
numbered section with its paragraphs, quotations, findings and
recommendations, and the footnotes at the end, numbered in order of first use.
Paragraphs carry the continuous numbers of the Word document, and list items the
numbers the site gives them (:mod:`uprkb.present.numbering`). Under a finding or
recommendation that follows up, assesses or was taken up as received
recommendations, indented, the lines of :mod:`uprkb.present.followup` (given the
knowledge base's follow-up index).
"""

from __future__ import annotations

import re
import textwrap

from uprkb.core.markup import FOOTNOTE, plain
from uprkb.index.followup import FollowUpIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import (
    Finding,
    FindingBlock,
    FindingList,
    Paragraph,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    TextList,
)
from uprkb.present.citations import footnote_text
from uprkb.present.followup import document_lines
from uprkb.present.numbering import paragraph_numbers, record_number, section_number


def export_text(sub: SubmissionIndex, width: int = 0, followup: FollowUpIndex | None = None) -> str:
    """The submission as plain text; ``width`` > 0 wraps paragraphs; ``followup`` adds the follow-up lines."""
    numbers: dict[str, int] = {}
    lines: list[str] = []

    def mark(m: re.Match[str]) -> str:
        sid = m.group(1)
        if sid not in sub.sources:
            return ""
        numbers.setdefault(sid, len(numbers) + 1)
        return f"[{numbers[sid]}]"

    def text(value: str) -> str:
        out = plain(FOOTNOTE.sub(mark, value))
        return textwrap.fill(out, width) if width else out

    def followed(record: Finding | Recommendation) -> list[str]:
        found = document_lines(followup.record(sub.id, record.id)) if followup else []
        indent = "    "
        if width:
            return [textwrap.fill(line.text, width, initial_indent=indent, subsequent_indent=indent) for line in found]
        return [indent + line.text for line in found]

    paras = paragraph_numbers(sub)
    meta = sub.submission
    lines += [meta.title, ""]
    if meta.organisation.description:
        lines += [text(meta.organisation.description), ""]
    for section in sub.sections:
        lines += [f"{section_number(section)} {text(section.title)}", ""]
        for block in section.body:
            if isinstance(block, Paragraph):
                lines += [f"{paras[block.id]}. " + text(block.text), ""]
            elif isinstance(block, QuoteBlock):
                lines += [textwrap.indent(text(block.text), "    "), ""]
            elif isinstance(block, FindingBlock):
                lines += [f"{paras[block.finding.id]}. " + text(block.finding.text), *followed(block.finding), ""]
            elif isinstance(block, (FindingList, RecommendationList)):
                if block.label:
                    lines += [text(block.label), ""]
                items: list[Finding | Recommendation] = list(block.items)
                for item in items:
                    rn = record_number(sub, item)
                    prefix = (
                        f"{rn}. " if block.style.value == "ordered" else ("- " if block.style.value == "bullet" else "")
                    )
                    lines += [f"{paras[item.id]}. " + prefix + text(item.text), *followed(item), ""]
            elif isinstance(block, TextList):
                for i, line in enumerate(block.items, 1):
                    prefix = (
                        f"{i}. " if block.style.value == "ordered" else ("- " if block.style.value == "bullet" else "")
                    )
                    lines.append((f"{paras[block.id]}. " if i == 1 else "") + prefix + text(line))
                lines.append("")
    if numbers:
        lines += ["Footnotes", ""]
        for sid, n in numbers.items():
            lines.append(f"[{n}] " + footnote_text(sub.sources[sid]))
        lines.append("")
    return "\n".join(lines)
