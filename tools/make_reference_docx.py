#!/usr/bin/env python3
"""Make ``src/uprkb/exports/reference.docx``, the Word styles of the exported submission.

Usage: ``.venv/bin/python tools/make_reference_docx.py [OUTPUT]`` (default: the package's own copy,
this script). The result is reproducible byte for byte: it starts from the reference document of
the pinned pandoc (``pypandoc-binary``), changes it with python-docx, and is written with fixed
timestamps, so a test can rebuild it and compare.

What it sets: A4 paper with 2.5 cm margins; Times New Roman 12 pt (Liberation Serif, its
metric twin, where Times is not installed); black headings; a centred page number (a ``PAGE``
field) in the footer; and the paragraph styles the export uses:

=========================  =====================================================
``Numbered Paragraph``     a body paragraph: its number, a tab, the text (hanging indent)
``Numbered Finding``       a finding; looks like a numbered paragraph
``Numbered Recommendation`` a recommendation; looks like a numbered paragraph
``List Lead``              the lead-in before a list (``Recommendations:``), bold
``Cover``                  a line of the cover block (``State under review: …``)
``Introduction``           the organisation's description, under the cover block
``Summary``, ``Keywords``  the summary paragraph and the key words
``Block Text``             a quotation set apart (pandoc's block-quote style)
=========================  =====================================================

Edit this script, not the .docx, and run it again; restyling in Word works too, for a one-off.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pypandoc
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
HANG = Cm(1.0)


def pandoc_default_reference() -> bytes:
    """The reference document built into the pinned pandoc."""
    out = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    )
    return out.stdout


def _font(style: docx.styles.style.BaseStyle, size: float | None = None, bold: bool | None = None) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def _paragraph_style(document: docx.document.Document, name: str, base: str) -> docx.styles.style.ParagraphStyle:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style  # type: ignore[return-value]


def _page_number_footer(document: docx.document.Document) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""


def make_reference(output: Path) -> None:
    """Write the reference document to ``output``."""
    document = docx.Document(io.BytesIO(pandoc_default_reference()))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.footer_distance = Cm(1.25)
    # Footnotes count on through the whole document: pandoc's default restarts them "each section",
    # which LibreOffice reads as restarting at every chapter (every section heading).
    for pr in section._sectPr.findall(qn("w:footnotePr")):
        section._sectPr.remove(pr)
    _page_number_footer(document)

    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        _font(styles[name], 12)
    for name in ("Body Text", "First Paragraph"):
        fmt = styles[name].paragraph_format  # type: ignore[attr-defined]
        fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    _font(styles["Title"], 16, bold=True)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    for level, size in ((1, 13), (2, 12), (3, 12)):
        heading = styles[f"Heading {level}"]
        _font(heading, size, bold=True)
        heading.font.italic = level == 3  # type: ignore[attr-defined]
        fmt = heading.paragraph_format  # type: ignore[attr-defined]
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(12), Pt(6), True
    _font(styles["Footnote Text"], 10)
    styles["Footnote Text"].paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]
    quote = styles["Block Text"]
    _font(quote, 11)
    qfmt = quote.paragraph_format  # type: ignore[attr-defined]
    qfmt.left_indent, qfmt.right_indent = HANG + Cm(1), Cm(1)
    qfmt.space_before, qfmt.space_after = Pt(0), Pt(6)

    numbered = _paragraph_style(document, "Numbered Paragraph", "Body Text")
    nfmt = numbered.paragraph_format
    nfmt.left_indent, nfmt.first_line_indent = HANG, -HANG
    nfmt.tab_stops.add_tab_stop(HANG)
    for name in ("Numbered Finding", "Numbered Recommendation"):
        _paragraph_style(document, name, "Numbered Paragraph")
    lead = _paragraph_style(document, "List Lead", "Body Text")
    lead.font.bold = True
    lead.paragraph_format.keep_with_next = True
    lead.paragraph_format.left_indent = HANG
    cover = _paragraph_style(document, "Cover", "Normal")
    cover.paragraph_format.space_after = Pt(2)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    intro = _paragraph_style(document, "Introduction", "Body Text")
    intro.paragraph_format.space_before = Pt(12)
    _paragraph_style(document, "Summary", "Body Text")
    _paragraph_style(document, "Keywords", "Body Text")

    props = document.core_properties
    props.title, props.author, props.last_modified_by, props.revision = "", "", "", 1
    props.created = props.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    _write_reproducibly(buffer.getvalue(), output)


def _write_reproducibly(data: bytes, output: Path) -> None:
    """Rewrite the zip with fixed timestamps so the same script makes the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    output.write_bytes(out.getvalue())


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "src" / "uprkb" / "exports" / "reference.docx"
    make_reference(target)
    print(f"Wrote {target}")
