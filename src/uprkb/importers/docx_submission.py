"""Word import: a submission written in Word becomes a YAML skeleton under ``data/submissions/ID/``.

What it recognises, in document order:

* **metadata** before the first top-level heading: the title (the ``Title``
  style, or the first paragraph), the organisation(s), contact, State, cycle,
  session and its date (lines such as ``Submitted by: …``, ``State under review:
  …``, ``4th cycle``, ``48th session, 23 January 2025``), ``Summary:`` and
  ``Key words:``; the first other paragraph is the organisation's description;
* **sections** from top-level headings (``§2. Right to life``, ``2. …``, ``II. …``);
* **paragraphs**; a paragraph number the document prints itself (``12.`` then a
  tab, counting on from the last) is dropped, since the site numbers paragraphs;
* **quotations** from the quotation styles (``Block Text``, ``Quote``);
* **recommendations**: numbered or bulleted items under a "Recommendations"
  heading or lead-in (``Recommendation:``), keeping their numbers; the verb is
  taken from the first word, and the action category from the verb when
  ``data/vocabularies/action-categories.yaml`` lists it (not when it lists it as
  ambiguous: then a person decides);
* **lists** elsewhere become plain lists; tables become paragraphs (reported);
* **footnotes** become sources: the URL from the link (or the text), the link's
  words as ``link_text``, the rest as ``citation``; the same note twice is one source.

Editorial tags (themes, affected persons, SDG targets, a source's kind, a
quotation's provision, an action category the verb does not settle) are left for a person: ``validate``
names each one still missing. Nothing is written when the file cannot be read,
and an existing submission folder is never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprkb.core import limits, markup, yamlout
from uprkb.core.errors import DataError, Location, UserError, display_path
from uprkb.importers.docx_reader import Para, _Reader, open_docx
from uprkb.importers.text import date_in
from uprkb.model.records import RESERVED_IDS, _check_id

_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")
_ITEM = re.compile(
    r"^(?:(?:\d{1,3}\.)?(?P<num>\d{1,3})[.)]|\((?P<paren>\d{1,3})\)|\((?P<letter>[a-z]{1,2})\)|(?P<bullet>[•·\-–—▪◦]))"
    r"\s+(?P<text>\S.*)$",
    re.S,
)  # an item's number may carry its section's, as the export prints it: "2.1."
_REC_LABEL = re.compile(r"^\s*(?:key\s+)?recommendations?\b[^.]{0,40}:?\s*$", re.I)
_SECTION = re.compile(
    r"^\s*(?:§\s*(?P<sect>\d+)|(?P<num>\d{1,2})|(?P<roman>[IVXL]{1,6}))[.)]?\s+(?P<title>\S.*)$", re.S
)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
QUOTE_STYLES = {"block text", "quote", "intense quote", "quotation", "block quote"}


@dataclass
class Overrides:
    """Metadata given on the command line; it wins over what the document says."""

    organisation: str | None = None
    state: str | None = None
    iso3: str | None = None
    cycle: int | None = None
    session: int | None = None


@dataclass
class ImportResult:
    """What an import wrote and what a person still has to do."""

    folder: Path
    sections: int = 0
    paragraphs: int = 0
    recommendations: int = 0
    sources: int = 0
    unclassified: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        lines = [f"not classified: {u}" for u in self.unclassified]
        lines += [f"to fill in: {m}" for m in self.missing]
        return lines


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------


def slug(text: str, words: int = 6, limit: int = 48) -> str:
    """A valid ID made of the first words of ``text``."""
    plain = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")
    parts = [p for p in plain.split("-") if p][:words]
    out = "-".join(parts)[:limit].strip("-") or "item"
    return out + "-1" if out in RESERVED_IDS else out


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.used:
            candidate = f"{base[:60]}-{n}"
            n += 1
        self.used.add(candidate)
        return candidate


def _clean(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def _roman(value: str) -> int:
    total = 0
    for a, b in zip(value, value[1:] + " ", strict=True):
        total += -_ROMAN[a] if b != " " and _ROMAN[b] > _ROMAN[a] else _ROMAN[a]
    return total


def _org(text: str) -> dict[str, Any]:
    text = _clean(text).rstrip(".;,")
    m = re.match(r"^(?P<name>.+?)\s*\((?P<abbr>[^()]{1,20})\)$", text)
    if m:
        return {"name": m.group("name"), "abbreviation": m.group("abbr")}
    return {"name": text}


class _Importer:
    def __init__(self, path: Path, reader: _Reader, given: Overrides) -> None:
        self.path = path
        self.reader = reader
        self.given = given
        self.ids = _Ids()
        self.meta: dict[str, Any] = {}
        self.orgs: list[dict[str, Any]] = []
        self.sections: list[dict[str, Any]] = []
        self.unclassified: list[str] = []
        self.source_of_note: dict[str, str] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.source_key: dict[tuple[Any, ...], str] = {}
        self.source_section: dict[str, dict[str, Any]] = {}
        self.counts = {"paragraphs": 0, "recommendations": 0}
        self.expected_number = 1
        self.missing_quote = False

    def where(self, para: Para) -> str:
        return f"{self.path.name}, paragraph {para.index}"

    # -- footnotes -------------------------------------------------------
    def markers(self, text: str, section: dict[str, Any] | None) -> str:
        def repl(m: re.Match[str]) -> str:
            sid = self.source_for(m.group(1), section)
            return f"[^{sid}]" if sid else ""

        return re.sub(r"\x00(-?\d+)\x00", repl, text)

    def source_for(self, note_id: str, section: dict[str, Any] | None) -> str | None:
        note = self.reader.footnotes.get(note_id)
        if note is None:
            return None
        if section is None:
            self.unclassified.append(f"a footnote before the first section, not imported: {note[0][:80]!r}")
            return None
        text, links = note
        url = None
        link_text = None
        for label, target in links:
            if _URL.fullmatch(label) or label == target:
                url = url or target
            elif label:
                link_text, url = link_text or label, url or target
        if url is None:
            found = _URL.search(text)
            url = found.group(0) if found else None
        rest = text
        for piece in (link_text, url):
            if piece:
                rest = rest.replace(piece, " ")
        citation = re.sub(r"^[\s,;:.–-]+|[\s,;:–-]+$", "", _clean(rest)) or None
        key = (citation, link_text, url)
        if key in self.source_key:
            return self.source_key[key]
        if not (citation or url or link_text):
            return None
        base = slug(citation or link_text or "", 5, 40) if (citation or link_text) else ""
        if not base or base == "item":
            host = re.sub(r"^https?://(www\.)?", "", url or "").split("/")[0]
            base = slug(host.replace(".", " "), 4, 40)
        sid = self.ids.new(base)
        record: dict[str, Any] = {"id": sid}
        if citation:
            record["citation"] = citation
        if url:
            record["url"] = url
        if link_text:
            record["link_text"] = link_text
        self.source_key[key] = sid
        self.sources[sid] = record
        section.setdefault("sources", []).append(record)
        return sid

    # -- front matter ----------------------------------------------------
    def front(self, paras: list[Para]) -> None:
        description: list[str] = []
        joint = False
        for para in paras:
            text = _clean(para.text.replace("\n", " "))
            plain = re.sub(r"\*+", "", text)
            low = plain.lower()
            if not plain:
                continue
            if "title" not in self.meta and (para.style.lower() == "title" or not self.meta):
                self.meta["title"] = self.markers(text, None)
                continue
            m = re.match(r"^(?:joint\s+)?submi(?:tted|ssion)\s+by:?\s*(?P<who>.*)$", plain, re.I)
            if m:
                joint = joint or low.startswith("joint")
                if m.group("who"):
                    self.orgs += [_org(o) for o in re.split(r";\s*", m.group("who")) if o.strip()]
                continue
            if joint and para.style == "Cover" and ":" not in plain:
                self.orgs.append(_org(plain))
                continue
            if low.startswith("contact:"):
                self.meta["contact"] = _contact(plain.split(":", 1)[1])
                continue
            if low.startswith("state under review:"):
                self.meta.setdefault("state", {})["name"] = plain.split(":", 1)[1].strip().rstrip(".")
                continue
            if low.startswith("summary:"):
                self.meta["summary"] = self.markers(re.sub(r"^\**summary:\**\s*", "", text, flags=re.I), None)
                continue
            if low.startswith(("key words:", "keywords:")):
                value = plain.split(":", 1)[1]
                self.meta["keywords"] = [k.strip() for k in re.split(r"[;,]", value) if k.strip()]
                continue
            cyc = re.search(r"\b(\d)(?:st|nd|rd|th)\s+cycle\b|\bcycle\s+(\d)\b", low)
            ses = re.search(r"\b(\d{1,3})(?:st|nd|rd|th)\s+session\b|\bsession\s+(\d{1,3})\b", low)
            if (cyc or ses) and len(plain) < 160:
                if cyc:
                    self.meta["cycle"] = int(cyc.group(1) or cyc.group(2))
                if ses:
                    self.meta["session"] = int(ses.group(1) or ses.group(2))
                date = date_in(low)
                if date:
                    self.meta["review_date"] = date.isoformat()
                continue
            description.append(self.markers(text, None))
        if description:
            self.meta["description"] = description[0]
            for extra in description[1:]:
                self.unclassified.append(f"text before the first section, added to the description: {extra[:60]!r}")
            if len(description) > 1:
                self.meta["description"] = " ".join(description)
        self.meta["joint"] = joint or len(self.orgs) > 1

    # -- sections --------------------------------------------------------
    def section(self, para: Para, number: int) -> dict[str, Any]:
        text = _clean(re.sub(r"\*+", "", para.text).replace("\n", " "))
        m = _SECTION.match(text)
        title = text
        if m:
            title = m.group("title")
            if m.group("sect") or m.group("num"):
                number = int(m.group("sect") or m.group("num"))
            elif m.group("roman"):
                number = _roman(m.group("roman"))
        if any(s["number"] == number for s in self.sections) or not 1 <= number <= 99:
            number = max((s["number"] for s in self.sections), default=0) + 1
        sec: dict[str, Any] = {"id": self.ids.new(slug(title, 5, 40)), "number": number, "title": title, "body": []}
        self.sections.append(sec)
        return sec

    def body(self, sec: dict[str, Any], paras: list[Para]) -> None:
        prefix = f"s{sec['number']}"
        rec_block: dict[str, Any] | None = None
        list_block: dict[str, Any] | None = None
        auto_counts: dict[str, int] = {}
        for para in paras:
            raw = para.text.strip("\n ")
            if para.has_picture:
                self.unclassified.append(f"{self.where(para)}: a picture or drawing, not imported")
            if not raw.strip():
                continue
            if para.level > 1:
                heading = _clean(re.sub(r"\*+", "", raw))
                if _REC_LABEL.match(heading):
                    rec_block = {"type": "recommendations", "label": heading, "items": []}
                    sec["body"].append(rec_block)
                    list_block = None
                else:
                    self.unclassified.append(f"{self.where(para)}: sub-heading kept as a paragraph: {heading[:60]!r}")
                    self.paragraph(sec, prefix, heading)
                    rec_block = list_block = None
                continue
            text = self.strip_number(raw)  # a printed paragraph number ("12." and a tab) makes text != raw
            if para.style == "table":
                self.unclassified.append(f"{self.where(para)}: a table row, kept as a paragraph")
            if para.style.lower() in QUOTE_STYLES:
                qid = self.ids.new(f"{prefix}-quote-{len(sec['body']) + 1}")
                sec["body"].append({"type": "quote", "id": qid, "text": self.markers(_clean(text), sec)})
                self.missing_quote = True
                rec_block = list_block = None
                continue
            lines = [_ITEM.match(line.strip()) for line in text.split("\n") if line.strip()]
            if len(lines) > 1 and all(lines):
                # One paragraph holding a whole list, its items on lines of their own.
                style = "bullet" if lines[0] and lines[0].group("bullet") else "ordered"
                lid = self.ids.new(f"{prefix}-list-{len(sec['body']) + 1}")
                items = [self.markers(_clean(m.group("text")), sec) for m in lines if m]
                sec["body"].append({"type": "list", "id": lid, "style": style, "items": items})
                rec_block = list_block = None
                continue
            is_item, number, bullet, text = self.item_of(para, text, rec_block is not None, auto_counts, text != raw)
            body_text = self.markers(_clean(text), sec)
            plain = _clean(re.sub(r"\*+", "", body_text))
            lead_in = para.style == "List Lead" or plain.endswith(":")
            if not is_item and lead_in and _REC_LABEL.match(plain):
                rec_block = {"type": "recommendations", "label": body_text, "items": []}
                sec["body"].append(rec_block)
                list_block = None
                continue
            if is_item and rec_block is not None:
                self.recommendation(sec, rec_block, body_text, number, bullet)
                continue
            if is_item:
                if list_block is None:
                    lid = self.ids.new(f"{prefix}-list-{len(sec['body']) + 1}")
                    list_block = {"type": "list", "id": lid, "style": "bullet" if bullet else "ordered", "items": []}
                    sec["body"].append(list_block)
                list_block["items"].append(body_text)
                continue
            rec_block = list_block = None
            self.paragraph(sec, prefix, body_text)

    def item_of(
        self, para: Para, text: str, in_recs: bool, auto_counts: dict[str, int], numbered_paragraph: bool = False
    ) -> tuple[bool, int | None, bool, str]:
        """Whether a paragraph is a list item: (is an item, its number, a bullet, the text without its mark).

        A typed mark ("1.", "(2)", "(b)", "•") counts, and so does Word's own list numbering; a paragraph
        number, Word's or typed ("12." and a tab, as the export prints it), makes an item only under a
        recommendations heading.
        """
        match = _ITEM.match(text)
        if match:
            number = int(match.group("num") or match.group("paren") or 0) or None
            return True, number, bool(match.group("bullet")), match.group("text")
        if numbered_paragraph or (para.numbered is not None and para.numbered[0] in self.reader.paragraph_lists):
            return in_recs, None, False, text
        if para.numbered is not None:
            key = f"{para.numbered[0]}:{para.numbered[1]}"
            auto_counts[key] = auto_counts.get(key, 0) + 1
            bullet = para.numbered[0] in self.reader.bullet_lists
            return True, None if bullet else auto_counts[key], bullet, text
        return False, None, False, text

    def recommendation(
        self, sec: dict[str, Any], rec_block: dict[str, Any], text: str, number: int | None, bullet: bool
    ) -> None:
        """One recommendation of a recommendations list, with the verb it starts with."""
        if bullet:
            rec_block["style"] = "bullet"
        n = number or len(rec_block["items"]) + 1
        verb = _verb(text)
        rec: dict[str, Any] = {"id": self.ids.new(f"r{sec['number']}-{n}"), "number": n, "text": text}
        if verb:
            rec["action_verb"] = verb
        rec_block["items"].append(rec)
        self.counts["recommendations"] += 1

    def paragraph(self, sec: dict[str, Any], prefix: str, text: str) -> None:
        self.counts["paragraphs"] += 1
        words = markup.plain(text)
        pid = self.ids.new(f"{prefix}-{slug(words, 4, 40)}")
        sec["body"].append({"type": "paragraph", "id": pid, "text": text.replace("\n", " ")})

    def strip_number(self, text: str) -> str:
        """Drop a paragraph number the document prints itself (``12.`` and a tab), when it counts on."""
        m = re.match(r"^(\d{1,4})\.\t\s*", text)
        if m and int(m.group(1)) == self.expected_number:
            self.expected_number += 1
            return text[m.end() :]
        return text


def _verb(text: str) -> str:
    """The recommendation's leading verb ("To use ..." gives "use"), from which its category is judged."""
    words = [re.sub(r"[^A-Za-z-]", "", w) for w in markup.plain(text).split()[:2]]
    if len(words) == 2 and words[0].lower() == "to":
        return words[1].capitalize()
    return words[0] if words else ""


def _contact(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    rest: list[str] = []
    for part in [p.strip() for p in value.split(",") if p.strip()]:
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", part) and "email" not in out:
            out["email"] = part
        elif re.fullmatch(r"\+?[\d\s().-]{6,}", part) and "phone" not in out:
            out["phone"] = part
        elif "name" not in out and not rest:
            out["name"] = part
        else:
            rest.append(part)
    if rest:
        out["address"] = ", ".join(rest)
    return out


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _dump(header: str, data: dict[str, Any]) -> str:
    return yamlout.dump(data, header)


def import_docx(path: Path, data_dir: Path, submission_id: str, given: Overrides | None = None) -> ImportResult:
    """Import ``path`` as the new submission ``submission_id`` under ``data_dir``; writes nothing on error."""
    given = given or Overrides()
    try:
        _check_id(submission_id)
    except ValueError as exc:
        raise UserError(
            f"'{submission_id}' cannot be a submission ID: {exc}", hint="e.g. ngo-kazakhstan-upr3"
        ) from None
    folder = data_dir / "submissions" / submission_id
    if folder.exists():
        raise UserError(
            f"the submission folder {folder} already exists; an import never overwrites",
            hint="choose another --submission ID, or move the existing folder away first",
            where=folder,
        )
    reader = _Reader(open_docx(path), display_path(path))
    paras = reader.paragraphs()
    reader.paragraph_lists = _paragraph_numbering(paras)
    if not any(p.text.strip() for p in paras):
        raise UserError("the Word document has no text", hint="check that this is the right file", where=path)
    imp = _Importer(path, reader, given)
    imp.ids.used |= {submission_id, "index", "full-text", "sources", "downloads"}
    first_heading = next((i for i, p in enumerate(paras) if p.level == 1), None)
    if first_heading is None:
        # No top-level headings: the whole text is one section.
        imp.front(paras[:1])
        sec = imp.section(Para("Submission", "Heading 1", 1, None, 0), 1)
        imp.unclassified.append("no top-level headings: the text is one section, 'Submission'")
        imp.body(sec, paras[1:])
    else:
        imp.front(paras[:first_heading])
        run: list[Para] = []
        sec = None
        for para in paras[first_heading:]:
            if para.level == 1:
                if sec is not None:
                    imp.body(sec, run)
                sec, run = imp.section(para, len(imp.sections) + 1), []
            else:
                run.append(para)
        if sec is not None:
            imp.body(sec, run)
    for sec in imp.sections:
        sec["body"] = [b for b in sec["body"] if b.get("type") != "recommendations" or b["items"]]
        if not sec["body"]:
            imp.unclassified.append(f"section {sec['number']} '{sec['title'][:40]}' has no text; a person must add it")

    uncategorised = _fill_action_categories(imp.sections, data_dir)
    submission, missing = _submission(imp, submission_id, given)
    result = ImportResult(
        folder=folder,
        sections=len(imp.sections),
        paragraphs=imp.counts["paragraphs"],
        recommendations=imp.counts["recommendations"],
        sources=len(imp.sources),
        unclassified=imp.unclassified,
        missing=missing,
    )
    if uncategorised:
        result.missing.append(
            f"the action_category (1-5) of {uncategorised} recommendation(s) whose verb does not settle it"
        )
    if imp.counts["recommendations"]:
        result.missing.append("each recommendation's themes, affected_persons, sdg_targets")
    if imp.sources:
        result.missing.append("each source's kind (media, ngo, un, law, dataset, government, academic or other)")
    if imp.missing_quote:
        result.missing.append("each quotation's provision (an ID from data/vocabularies/instruments.yaml)")
    _write(folder, submission, imp.sections, path, data_dir)
    return result


def _fill_action_categories(sections: list[dict[str, Any]], data_dir: Path) -> int:
    """Give each recommendation the action category its verb has in the data's verb map
    (``check.editorial.suggested_category``); returns how many are left without one."""
    from uprkb.check.editorial import suggested_category
    from uprkb.core.errors import Problems
    from uprkb.load.dataset import validate_file
    from uprkb.model.records import ActionCategoryVocabulary

    path = data_dir / "vocabularies" / "action-categories.yaml"
    vocab = validate_file(path, ActionCategoryVocabulary, Problems()) if path.is_file() else None
    left = 0
    for sec in sections:
        for block in sec["body"]:
            for rec in block.get("items", []) if block.get("type") == "recommendations" else []:
                found = suggested_category(vocab, rec.get("action_verb") or rec["text"]) if vocab else None
                if found is None:
                    left += 1
                    continue
                # In the order the model lists the fields: after the verb.
                rec["action_category"] = found[0]
                if "action_verb" in rec:
                    rec["action_verb"] = rec.pop("action_verb")
    return left


def _paragraph_numbering(paras: list[Para]) -> set[str]:
    """Word lists that run across top-level headings: the document's paragraph numbering, not a list."""
    seen: dict[str, int] = {}
    spanning: set[str] = set()
    heading = 0
    for para in paras:
        if para.level == 1:
            heading += 1
        elif para.numbered is not None:
            nid = para.numbered[0]
            if nid in seen and seen[nid] != heading:
                spanning.add(nid)
            seen.setdefault(nid, heading)
    return spanning


def _submission(imp: _Importer, submission_id: str, given: Overrides) -> tuple[dict[str, Any], list[str]]:
    meta = imp.meta
    missing: list[str] = []
    orgs = list(imp.orgs)
    if given.organisation:
        orgs = [_org(given.organisation), *orgs[1:]]
    out: dict[str, Any] = {"id": submission_id}
    out["title"] = meta.get("title") or imp.reader.document.core_properties.title or None
    if not orgs:
        missing.append("organisation.name (or give --organisation)")
        orgs = [{}]
    lead = dict(orgs[0])
    if meta.get("description"):
        lead["description"] = meta["description"]
    out["organisation"] = lead
    if len(orgs) > 1:
        out["co_submitters"] = orgs[1:]
    out["submission_type"] = "joint" if meta.get("joint") and len(orgs) > 1 else "individual"
    state = dict(meta.get("state", {}))
    if given.state:
        state["name"] = given.state
    if given.iso3:
        state["iso3"] = given.iso3.upper()
    for key, label in (("name", "state.name (or give --state)"), ("iso3", "state.iso3 (or give --iso3)")):
        if key not in state:
            missing.append(label)
    out["state"] = state
    for key in ("cycle", "session"):
        value = getattr(given, key) or meta.get(key)
        if value is None:
            missing.append(f"{key} (or give --{key})")
        else:
            out[key] = value
    for key in ("review_date", "summary", "keywords", "contact"):
        if meta.get(key):
            out[key] = meta[key]
    if out["title"] is None:
        missing.append("title")
        del out["title"]
    out["language"] = "en"
    out["sections"] = [s["id"] for s in imp.sections]
    return out, missing


def _write(
    folder: Path, submission: dict[str, Any], sections: list[dict[str, Any]], source: Path, data_dir: Path
) -> None:
    """Write the skeleton into a folder staged outside ``data/``, moved into place in one rename."""
    from uprkb.importers.writer import write_new_folder

    note = f"# Imported from {source.name}; check it against the document, then fill in what 'validate' reports.\n"
    header = "# yaml-language-server: $schema=../../../schema/submission.schema.json\n" + note
    texts = {folder / "submission.yaml": _dump(header, submission)}
    header = "# yaml-language-server: $schema=../../../../schema/section.schema.json\n" + note
    for sec in sections:
        texts[folder / "sections" / f"{sec['number']:02d}-{slug(sec['title'], 4, 40)}.yaml"] = _dump(header, sec)
    too_large = limits.output_problems(texts, Location.of(source))
    if too_large:
        raise DataError(too_large, footer="Nothing was imported.")
    write_new_folder(folder, texts, data_dir)
