"""Reading a Word document for the import: the zip checked at the door, the XML parsed safely,
paragraphs with their styles, numbering, emphasis and footnotes.

The first phase of ``import docx`` (:mod:`uprkb.importers.docx_submission` classifies
what this module reads into a submission's sections and records).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprkb.core import limits
from uprkb.core.errors import DataError, UserError, display_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _refuse(path: Path, message: str, hint: str) -> UserError:
    return UserError(message, hint=hint, where=path)


def open_docx(path: Path) -> Any:
    """The document opened with python-docx, or a :class:`UserError` saying why it cannot be read."""
    import docx

    if not path.exists() and not path.is_symlink():
        raise _refuse(path, "there is no such file", "check the path and the file name")
    data = limits.read_file(path, limits.MAX_INPUT_BYTES)
    save_as = "open it in Word or LibreOffice and save it as a Word document (.docx)"
    if not data.strip():
        raise _refuse(path, "the file is empty (0 bytes)", save_as)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(
                path,
                "the Word document is password-protected, so it cannot be read",
                "open it in Word, remove the password (File > Info > Protect Document), save, and import again",
            )
        raise _refuse(path, "this is an old-style Word file (.doc), not a .docx", save_as)
    if data.startswith(b"%PDF"):
        raise _refuse(path, "this is a PDF, not a Word document", "import the Word file the PDF was made from")
    if not data.startswith(b"PK"):
        raise _refuse(path, "this is not a Word document (.docx)", save_as)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                kind = "an OpenDocument text (.odt)" if "content.xml" in names else "a zip archive"
                raise _refuse(path, f"this is {kind}, not a Word document (.docx)", save_as)
            # Sizes and ratios from the zip's directory, and each XML part parsed safely, before unpacking.
            problems = limits.zip_problems(data, display_path(path))
            if problems:
                raise DataError(problems, footer="Nothing was imported.")
            bad = zf.testzip()
            if bad:
                raise _refuse(path, f"the Word document is damaged (its part {bad} is corrupt)", save_as)
    except zipfile.BadZipFile:
        raise _refuse(path, "the Word document is damaged and cannot be opened", save_as) from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError or lxml's XMLSyntaxError
        raise _refuse(
            path, f"the Word document is damaged and cannot be read ({type(exc).__name__})", save_as
        ) from None


@dataclass
class Para:
    """One paragraph of the Word document, with the inline subset of the data text."""

    text: str
    style: str
    level: int  # heading level, 0 for a body paragraph
    numbered: tuple[str, int] | None  # (numId, level) of Word list numbering
    index: int  # 1-based position among the document's paragraphs
    has_picture: bool = False


class _Reader:
    """Walks the document's XML: paragraphs in order, their runs, footnotes and links."""

    def __init__(self, document: Any, shown: str = "document") -> None:
        self.document = document
        self.shown = shown
        self.footnotes: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        self.bullet_lists: set[str] = set()
        self.paragraph_lists: set[str] = set()
        part = document.part
        for rel in part.rels.values():
            if rel.reltype.endswith("/footnotes"):
                self._read_footnotes(rel.target_part)
            elif rel.reltype.endswith("/numbering"):
                self._read_numbering(rel.target_part)

    def _parse(self, part: Any) -> Any:
        """A part's XML, parsed without DTDs or entities; a damaged part is a located error."""
        name = str(part.partname).lstrip("/")
        root, problem = limits.parse_xml(part.blob, limits.part_name(self.shown, name))
        if problem is not None:
            raise DataError([problem], footer="Nothing was imported.")
        return root

    def _read_numbering(self, part: Any) -> None:
        root = self._parse(part)
        bullets = set()
        for absnum in root.iter(W + "abstractNum"):
            fmt = absnum.find(f"{W}lvl/{W}numFmt")
            if fmt is not None and fmt.get(W + "val") == "bullet":
                bullets.add(absnum.get(W + "abstractNumId"))
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None and ref.get(W + "val") in bullets:
                self.bullet_lists.add(str(num.get(W + "numId")))

    def _read_footnotes(self, part: Any) -> None:
        root = self._parse(part)
        targets = {rid: rel.target_ref for rid, rel in part.rels.items() if rel.is_external}
        for note in root.iter(W + "footnote"):
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            links: list[tuple[str, str]] = []
            for link in note.iter(W + "hyperlink"):
                text = "".join(t.text or "" for t in link.iter(W + "t"))
                url = targets.get(link.get(R + "id") or "", "")
                if url:
                    links.append((text.strip(), url))
            text = " ".join(self.inline(p, notes=False) for p in note.iter(W + "p"))
            self.footnotes[str(note.get(W + "id"))] = (re.sub(r"\s+", " ", text).strip(), links)

    def inline(self, p: Any, notes: bool = True) -> str:
        """A paragraph's text with ``*em*``/``**strong**`` and ``\\x00N\\x00`` for footnote N."""
        pieces: list[tuple[str, bool, bool]] = []
        for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "footnoteReference"):
            run = el.getparent()
            if run is None or run.tag != W + "r":
                continue  # tab stops of the paragraph's properties, not text
            if el.tag == W + "footnoteReference":
                if notes:
                    pieces.append((f"\x00{el.get(W + 'id')}\x00", False, False))
                continue
            text = el.text or "" if el.tag == W + "t" else ("\t" if el.tag == W + "tab" else "\n")
            rpr = run.find(W + "rPr")
            pieces.append((text, _flag(rpr, "i"), _flag(rpr, "b")))
        out: list[str] = []
        for (italic, bold), group in _groups(pieces):
            text = "".join(group)
            core = text.strip(" ")
            if not core or not (italic or bold) or "*" in core or "\n" in core or "\t" in core:
                out.append(text)
                continue
            mark = "**" if bold else "*"
            lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
            out.append(f"{lead}{mark}{core}{mark}{trail}")
        return "".join(out)

    def paragraphs(self) -> list[Para]:
        body = self.document.element.body
        out: list[Para] = []
        styles = {s.style_id: s for s in self.document.styles}
        for el in body.iterchildren():
            if el.tag == W + "p":
                out.append(self._para(el, styles, len(out) + 1))
            elif el.tag == W + "tbl":
                for row in el.iter(W + "tr"):
                    cells = [" ".join(self.inline(p) for p in tc.iter(W + "p")).strip() for tc in row.iter(W + "tc")]
                    text = " | ".join(c for c in cells if c)
                    out.append(Para(text, "table", 0, None, len(out) + 1))
        return out

    def _para(self, el: Any, styles: dict[str, Any], index: int) -> Para:
        ppr = el.find(W + "pPr")
        style_id = ""
        numbered = None
        outline = None
        if ppr is not None:
            ps = ppr.find(W + "pStyle")
            style_id = ps.get(W + "val") if ps is not None else ""
            num = ppr.find(W + "numPr")
            if num is not None:
                nid = num.find(W + "numId")
                ilvl = num.find(W + "ilvl")
                if nid is not None and nid.get(W + "val") != "0":
                    numbered = (str(nid.get(W + "val")), int(ilvl.get(W + "val")) if ilvl is not None else 0)
            ol = ppr.find(W + "outlineLvl")
            outline = int(ol.get(W + "val")) + 1 if ol is not None else None
        style = styles.get(style_id)
        name = (style.name if style is not None else style_id) or "Normal"
        level = 0
        m = re.match(r"^heading (\d)$", name.lower())
        if m:
            level = int(m.group(1))
        elif outline and outline < 9:
            level = outline
        if style is not None and numbered is None:
            sppr = style.element.find(W + "pPr")
            snum = sppr.find(W + "numPr") if sppr is not None else None
            if snum is not None and snum.find(W + "numId") is not None:
                numbered = (str(snum.find(W + "numId").get(W + "val")), 0)
        picture = any(True for _ in el.iter(W + "drawing", W + "pict", W + "object"))
        return Para(self.inline(el), name, level, numbered, index, picture)


def _flag(rpr: Any, name: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(W + name)
    return el is not None and el.get(W + "val", "true") not in ("false", "0", "off")


def _groups(pieces: list[tuple[str, bool, bool]]) -> list[tuple[tuple[bool, bool], list[str]]]:
    out: list[tuple[tuple[bool, bool], list[str]]] = []
    for text, italic, bold in pieces:
        key = (italic, bold)
        if text.strip() == "" and out and "\x00" not in text:
            out[-1][1].append(text)  # a space between two italic runs stays inside the emphasis
        elif out and out[-1][0] == key:
            out[-1][1].append(text)
        else:
            out.append((key, [text]))
    return out


# ---------------------------------------------------------------------------
# Classifying
# ---------------------------------------------------------------------------
