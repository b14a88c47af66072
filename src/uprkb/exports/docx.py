"""Word export: the submission as the .docx document OHCHR receives, read from the knowledge base.

The document is built as a pandoc document tree (pandoc's JSON AST, so no text
is ever parsed as markup) and written by pandoc's Word writer with the styles of
``reference.docx`` beside this module (A4, a page-number field in the footer; see
``tools/make_reference_docx.py``). In order:

* the cover block: the title; the organisation, or for a joint submission every
  co-submitter; the contact; the State under review, the cycle, the Working
  Group session and its date; then the organisation's description, the summary
  and the key words;
* each section as a heading numbered in Roman numerals (``II. Right to life``), as
  OHCHR's own reports number their chapters, so that no heading number reads as a
  paragraph number;
* the body, one number per paragraph, as OHCHR's technical guidelines for stakeholders
  ask: every paragraph, finding and recommendation numbered continuously (``12.``
  then a tab; the numbers come from :mod:`uprkb.present.numbering`, the same the site
  prints), each paragraph bookmarked ``para-N``. A recommendation is a numbered
  paragraph like any other and carries that number only (OHCHR's summary cites it
  as "ILI, para. 21"; the site's "Recommendation 2.3" is not printed beside it). A
  plain list stands in its one numbered paragraph, an item a line, lettered ``(a)``,
  ``(b)`` when ordered and bulleted otherwise. Quotations are set apart in the
  ``Block Text`` style;
* under a finding or recommendation that follows up or assesses recommendations of an
  earlier review, after a line break and in italics, one line for each
  (:mod:`uprkb.present.followup`: the recommendation's number and report, the State's
  position, the organisation's assessment), as OHCHR's guidelines for stakeholders ask.
  Only lines that can exist before the review the submission informs are printed: no
  "Taken up as", no recommendation of that review's cycle;
* real Word footnotes where the ``[^id]`` markers stand, each the source's citation as
  :mod:`uprkb.present.citations` formats it (the site and the text export print the same), its
  link text and URL as links.

The word count printed with it (:func:`uprkb.present.wordcount.word_counts`) counts what this
document prints after its cover facts, numbers and item marks left out.

Given a mark (``export docx``), the document carries it as the custom property ``uprkb-export``
(the submission and a digest of the project's folder), so the command replaces only documents it
wrote (:func:`read_mark`). The file is made as any file the user writes (``0666`` less the umask:
``0644`` under the usual ``022``), so it can be shared as it is.

Paragraph numbers are written as text, not as Word list numbering, so that they
stay exactly the numbers the site shows, in Word, LibreOffice and the PDF alike.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import re
import secrets
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprkb.core import markup
from uprkb.core.errors import UserError
from uprkb.core.project import PACKAGE
from uprkb.index.followup import FollowUpIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import (
    Finding,
    FindingBlock,
    FindingList,
    ListStyle,
    Paragraph,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    Source,
    SubmissionType,
    TextList,
)
from uprkb.present.citations import note_parts
from uprkb.present.followup import document_lines
from uprkb.present.labels import KEYWORDS_LABEL, SUMMARY_LABEL
from uprkb.present.numbering import heading_number, item_mark, paragraph_numbers
from uprkb.present.wordcount import word_counts, word_limit

log = logging.getLogger(__name__)

REFERENCE_DOCX = PACKAGE / "exports" / "reference.docx"
"""The Word styles of the export (made by ``tools/make_reference_docx.py``)."""
MARK_PROPERTY = "uprkb-export"
"""The custom document property holding the mark of the command that wrote the document."""
CUSTOM_PROPERTIES = "docProps/custom.xml"

STYLE_PARAGRAPH = "Numbered Paragraph"
STYLE_FINDING = "Numbered Finding"
STYLE_RECOMMENDATION = "Numbered Recommendation"
STYLE_LEAD = "List Lead"
STYLE_COVER = "Cover"
STYLE_INTRODUCTION = "Introduction"
STYLE_SUMMARY = "Summary"
STYLE_KEYWORDS = "Keywords"
STYLE_TITLE = "Title"

# Labels of the cover block; the Word import reads them back.
COVER_BY = "Submitted by:"
COVER_JOINT = "Joint submission by:"
COVER_CONTACT = "Contact:"
COVER_STATE = "State under review:"
COVER_CYCLE = "Universal Periodic Review:"
COVER_SESSION = "Working Group session:"

_TAB = {"t": "RawInline", "c": ["openxml", "<w:r><w:tab/></w:r>"]}


@dataclass
class DocxResult:
    """What an export wrote, with the figures it prints."""

    path: Path
    paragraphs: int
    footnotes: int
    words_body: int
    words_with_notes: int
    word_limit: int
    seconds: float

    @property
    def over_limit(self) -> bool:
        """True when the body alone is over OHCHR's limit (the figure ``--strict`` checks)."""
        return self.words_body > self.word_limit


# ---------------------------------------------------------------------------
# Pandoc AST helpers
# ---------------------------------------------------------------------------


def _words(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, word in enumerate(re.split(r"\s+", text)):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _strip_space(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    while inlines and inlines[0]["t"] == "Space":
        inlines = inlines[1:]
    while inlines and inlines[-1]["t"] == "Space":
        inlines = inlines[:-1]
    return inlines


def _link(label: str, url: str) -> dict[str, Any]:
    return {"t": "Link", "c": [["", [], []], _words(label), [url, ""]]}


def _para(inlines: list[dict[str, Any]], style: str | None = None, ident: str = "") -> dict[str, Any]:
    para = {"t": "Para", "c": inlines}
    if style is None and not ident:
        return para
    attrs = [["custom-style", style]] if style else []
    return {"t": "Div", "c": [[ident, [], attrs], [para]]}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Builder:
    """Turns one indexed submission into a pandoc document tree."""

    def __init__(self, sub: SubmissionIndex, followup: FollowUpIndex | None = None) -> None:
        self.sub = sub
        self.followup = followup
        self.numbers = paragraph_numbers(sub)
        self.footnotes = 0

    def note(self, source: Source) -> dict[str, Any]:
        self.footnotes += 1
        inlines: list[dict[str, Any]] = []
        for part in note_parts(source):
            if inlines:
                inlines.append({"t": "Space"})
            if source.url and part == source.link_text:
                inlines.append(_link(part, source.url))
            elif source.url and part == source.url:
                inlines.append(_link(part, part))
            else:
                inlines += _words(part)
        return {"t": "Note", "c": [{"t": "Para", "c": inlines}]}

    def inline(self, text: str) -> list[dict[str, Any]]:
        """Data text (with ``*em*``, ``**strong**`` and ``[^id]``) as pandoc inlines."""
        out: list[dict[str, Any]] = []
        for kind, value in markup.tokens(text):
            if kind == "text":
                out += _words(value)
            elif kind == "strong":
                out.append({"t": "Strong", "c": _words(value)})
            elif kind == "em":
                out.append({"t": "Emph", "c": _words(value)})
            else:
                source = self.sub.sources.get(value)
                if source is not None:
                    # A footnote reference sticks to the word before it.
                    while out and out[-1]["t"] == "Space":
                        out.pop()
                    out.append(self.note(source))
        return out

    def numbered(self, record_id: str, inlines: list[dict[str, Any]], style: str) -> dict[str, Any]:
        n = self.numbers[record_id]
        inlines = _strip_space(inlines)
        if self.followup is not None:
            before = self.sub.submission.cycle
            for line in document_lines(self.followup.record(self.sub.id, record_id), before_cycle=before):
                inlines += [{"t": "LineBreak"}, {"t": "Emph", "c": _words(line.text)}]
        return _para([{"t": "Str", "c": f"{n}."}, _TAB, *inlines], style, f"para-{n}")

    def cover(self) -> list[dict[str, Any]]:
        meta = self.sub.submission
        blocks = [_para(self.inline(meta.title), STYLE_TITLE)]
        orgs = [meta.organisation, *meta.co_submitters]
        joint = meta.submission_type is SubmissionType.joint or len(orgs) > 1
        if joint:
            blocks.append(_para(_words(COVER_JOINT), STYLE_COVER))
            for org in orgs:
                blocks.append(_para(_words(_org_name(org)), STYLE_COVER))
        else:
            blocks.append(_para(_words(f"{COVER_BY} {_org_name(meta.organisation)}"), STYLE_COVER))
        if meta.contact:
            c = meta.contact
            parts = [p for p in (c.name, c.email, c.phone, c.address) if p]
            if parts:
                blocks.append(_para(_words(f"{COVER_CONTACT} " + ", ".join(parts)), STYLE_COVER))
        blocks.append(_para(_words(f"{COVER_STATE} {meta.state.name}"), STYLE_COVER))
        blocks.append(_para(_words(f"{COVER_CYCLE} {_ordinal(meta.cycle)} cycle"), STYLE_COVER))
        session = f"{COVER_SESSION} {_ordinal(meta.session)} session"
        if meta.review_date:
            d = meta.review_date
            session += f", {d.day} {d:%B %Y}"
        blocks.append(_para(_words(session), STYLE_COVER))
        if meta.organisation.description:
            blocks.append(_para(self.inline(meta.organisation.description), STYLE_INTRODUCTION))
        if meta.summary:
            lead = {"t": "Strong", "c": _words(SUMMARY_LABEL)}
            blocks.append(_para([lead, {"t": "Space"}, *self.inline(meta.summary)], STYLE_SUMMARY))
        if meta.keywords:
            lead = {"t": "Strong", "c": _words(KEYWORDS_LABEL)}
            words = _words("; ".join(re.sub(r"\s+", " ", k) for k in meta.keywords))
            blocks.append(_para([lead, {"t": "Space"}, *words], STYLE_KEYWORDS))
        return blocks

    def item_prefix(self, style: ListStyle, index: int) -> list[dict[str, Any]]:
        """The mark of a plain list's item inside its paragraph: ``(a)`` when ordered, ``•`` for bullets."""
        if style is ListStyle.ordered:
            return [{"t": "Str", "c": item_mark(index)}, {"t": "Space"}]
        if style is ListStyle.bullet:
            return [{"t": "Str", "c": "•"}, {"t": "Space"}]
        return []

    def body(self) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        for section in self.sub.sections:
            title = [{"t": "Str", "c": heading_number(section)}, {"t": "Space"}, *self.inline(section.title)]
            blocks.append({"t": "Header", "c": [1, [section.id, [], []], title]})
            for block in section.body:
                if isinstance(block, Paragraph):
                    blocks.append(self.numbered(block.id, self.inline(block.text), STYLE_PARAGRAPH))
                elif isinstance(block, QuoteBlock):
                    blocks.append({"t": "BlockQuote", "c": [{"t": "Para", "c": self.inline(block.text)}]})
                elif isinstance(block, FindingBlock):
                    f = block.finding
                    blocks.append(self.numbered(f.id, self.inline(f.text), STYLE_FINDING))
                elif isinstance(block, (FindingList, RecommendationList)):
                    if block.label:
                        blocks.append(_para(self.inline(block.label), STYLE_LEAD))
                    style = STYLE_FINDING if isinstance(block, FindingList) else STYLE_RECOMMENDATION
                    items: list[Finding | Recommendation] = list(block.items)
                    for item in items:  # a numbered paragraph each: its paragraph number is its one number
                        blocks.append(self.numbered(item.id, self.inline(item.text), style))
                elif isinstance(block, TextList):
                    inlines: list[dict[str, Any]] = []
                    for i, line in enumerate(block.items):
                        if inlines:
                            inlines.append({"t": "LineBreak"})
                        inlines += self.item_prefix(block.style, i) + self.inline(line)
                    blocks.append(self.numbered(block.id, inlines, STYLE_PARAGRAPH))
        return blocks


def _org_name(org: Any) -> str:
    return f"{org.name} ({org.abbreviation})" if org.abbreviation else str(org.name)


@functools.lru_cache(maxsize=1)
def _api_version() -> tuple[int, ...]:
    """The document-tree version of the pandoc that pypandoc-binary ships (asked once per process)."""
    import subprocess

    import pypandoc

    out = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"], input=b"", capture_output=True, check=True
    )
    return tuple(json.loads(out.stdout)["pandoc-api-version"])


def document_tree(sub: SubmissionIndex, followup: FollowUpIndex | None = None) -> tuple[dict[str, Any], int]:
    """The submission as a pandoc document tree, and the number of footnotes in it (``followup``: the knowledge
    base's follow-up index, for the lines on earlier recommendations)."""
    builder = _Builder(sub, followup)
    blocks = builder.cover() + builder.body()
    meta = sub.submission
    # No title or author in the metadata: pandoc's Word writer would print its own title block.
    doc_meta: dict[str, Any] = {"lang": {"t": "MetaString", "c": meta.language}}
    if meta.keywords:
        doc_meta["keywords"] = {"t": "MetaList", "c": [{"t": "MetaInlines", "c": _words(k)} for k in meta.keywords]}
    return {"pandoc-api-version": [], "meta": doc_meta, "blocks": blocks}, builder.footnotes


def new_file_beside(output: Path, suffix: str) -> Path:
    """A new, empty file in ``output``'s folder to write a document into and then move over ``output``.

    Made as any file the user writes is (``0666`` less the umask, so ``0644`` under the usual ``022``), not
    ``0600`` as :func:`tempfile.mkstemp` makes it: the document is moved into place as it is, to be shared."""
    output.parent.mkdir(parents=True, exist_ok=True)
    while True:
        candidate = output.parent / f".{output.name}-{secrets.token_hex(6)}{suffix}"
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return candidate


def read_mark(path: Path) -> str | None:
    """The mark :func:`export_docx` left in a Word document's custom properties; ``None`` when it has none
    (or is no Word document, or not a regular file: nothing is opened that could block or inflate)."""
    from uprkb.core import limits

    try:
        with zipfile.ZipFile(io.BytesIO(limits.read_file(path, limits.MAX_INPUT_BYTES))) as z:
            info = z.getinfo(CUSTOM_PROPERTIES)
            if info.file_size > limits.MAX_DATA_FILE_BYTES:
                return None
            blob = z.read(info)
    except (limits.Refused, KeyError, ValueError, OSError, zipfile.BadZipFile, NotImplementedError, EOFError):
        return None
    root, problem = limits.parse_xml(blob, CUSTOM_PROPERTIES)
    if problem is not None:
        return None
    for prop in root:
        if prop.get("name") == MARK_PROPERTY:
            return "".join(prop.itertext()).strip()
    return None


def export_docx(
    sub: SubmissionIndex,
    output: Path,
    reference: Path = REFERENCE_DOCX,
    followup: FollowUpIndex | None = None,
    mark: str | None = None,
) -> DocxResult:
    """Write the submission as a Word document to ``output`` (replaced atomically); returns the figures.

    ``mark``: written as the custom property :data:`MARK_PROPERTY`, so the command that wrote the
    document can tell it from any other (:func:`read_mark`).
    """
    import pypandoc

    t0 = time.perf_counter()
    if not reference.is_file():
        raise UserError(
            f"the Word reference document {reference} is missing",
            hint="run: .venv/bin/python tools/make_reference_docx.py",
        )
    tree, footnotes = document_tree(sub, followup)
    tree["pandoc-api-version"] = list(_api_version())
    if mark is not None:
        tree["meta"][MARK_PROPERTY] = {"t": "MetaString", "c": mark}  # pandoc writes it to docProps/custom.xml
    tmp = new_file_beside(output, ".docx")
    try:
        pypandoc.convert_text(
            json.dumps(tree),
            "docx",
            format="json",
            outputfile=str(tmp),
            extra_args=[f"--reference-doc={reference}"],
        )
        os.replace(tmp, output)
    except RuntimeError as exc:
        raise UserError(f"pandoc could not write the Word document: {exc}", where=output) from None
    finally:
        tmp.unlink(missing_ok=True)
    body, with_notes = word_counts(sub, followup)
    return DocxResult(
        path=output,
        paragraphs=len(paragraph_numbers(sub)),
        footnotes=footnotes,
        words_body=body,
        words_with_notes=with_notes,
        word_limit=word_limit(sub),
        seconds=time.perf_counter() - t0,
    )
