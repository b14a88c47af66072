"""Builders of hostile files: zip bombs, XML entity tricks, broken CSV and JSON, special files.

Each builder returns bytes (or makes a file); the catalogue in :mod:`tests.hostile.catalogue`
says where each payload goes and what must come out.
"""

from __future__ import annotations

import io
import zipfile
import zlib

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

CSV_HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"


def csv_row(text: str, state: str = "Kazakhstan", session: int = 34, source: str = "France") -> str:
    quoted = '"' + text.replace('"', '""') + '"'
    return f"{state},Asia-Pacific,,{quoted},{source},WEOG,,Accepted,5,Rights of the Child,{session}\n"


def good_csv(rows: int = 3) -> str:
    return CSV_HEADER + "".join(csv_row(f"Ratify measure number {i} on the rights of the child.") for i in range(rows))


def docx_bytes(footnotes: bytes | None = None, table: bool = False) -> bytes:
    """A small real Word document; with ``footnotes``, that part (and its relationship) is added."""
    import docx

    d = docx.Document()
    d.add_heading("Introduction", 1)
    d.add_paragraph("The organisation reports on the situation.")
    if table:
        t = d.add_table(rows=2, cols=3)
        t.cell(0, 0).text = "Recommendation"
        t.cell(1, 0).text = "140.1 Ratify the convention (France);"
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    if footnotes is None:
        return data
    return rewrite_zip(
        data,
        {
            "word/footnotes.xml": footnotes,
            "word/_rels/document.xml.rels": lambda old: old.replace(
                b"</Relationships>",
                f'<Relationship Id="rId99" Type="{FOOTNOTES_TYPE}" Target="footnotes.xml"/></Relationships>'.encode(),
            ),
            "[Content_Types].xml": lambda old: old.replace(
                b"</Types>",
                f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_CT}"/></Types>'.encode(),
            ),
        },
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Symbol", "Text", "UPR Reccomending States", "Countries", "UPR Cycle"])
    ws.append(["A/HRC/99/10", "98.1 Ratify the convention (France);", "- France", "- Kazakhstan", "- 4"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_zip(data: bytes, changes: dict[str, object]) -> bytes:
    """The zip with members replaced (bytes) or transformed (a function of the old bytes), or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            old = src.read(info.filename)
            change = changes.get(info.filename)
            new = change(old) if callable(change) else change if change is not None else old
            dst.writestr(info.filename, new)  # type: ignore[arg-type]
        for name, change in changes.items():
            if name not in src.namelist() and not callable(change):
                dst.writestr(name, change)  # type: ignore[arg-type]
    return out.getvalue()


def bomb(base: bytes, member: str, inflated: int) -> bytes:
    """``base`` with ``member`` padded by ``inflated`` bytes of spaces before its last tag: a zip bomb
    whose XML stays well-formed (the padding compresses about a thousand to one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            old = src.read(info.filename)
            if info.filename != member:
                dst.writestr(info.filename, old)
                continue
            cut = old.rstrip().rfind(b"</")
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(zi, "w", force_zip64=True) as fh:
                fh.write(old[:cut])
                chunk = b" " * (1 << 20)
                left = inflated
                while left > 0:
                    fh.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
                fh.write(old[cut:])
    return out.getvalue()


def footnotes(body: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>{body}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    ).encode()


XXE = footnotes("&xxe;", '<!DOCTYPE w:footnotes [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
LAUGHS = footnotes(
    "&lol9;",
    '<!DOCTYPE w:footnotes [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>\n",
)
MALFORMED = footnotes("unclosed <w:r>")


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def long_digits_json() -> bytes:
    return b'[{"Symbol": "A/HRC/1/1", "Text": "x", "UprRecommendingCountry": ' + b"9" * 5000 + b"}]"


def deflate_ratio(data: bytes) -> float:
    return len(data) / max(1, len(zlib.compress(data)))
