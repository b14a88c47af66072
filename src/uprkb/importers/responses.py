"""Reader for the State's addendum to the Working Group report: its position on each recommendation.

The addendum sorts recommendations into clusters — accepted; accepted and
considered already implemented or in the process of implementation; noted — and
gives their IDs as lists and ranges in many spellings: ``140.11-14``,
``140.82-85, 87``, ``122.34- 35``, ``122.14– 15``, a range split over a line
break, and typos such as ``140.35. 140.36``. An ID given two positions is a
located problem; an ID the review does not hold is reported by the writer.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from uprkb.core.errors import Problems
from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.grammar import claim_in
from uprkb.importers.text import RUNNING_HEAD, SYMBOL, document_text, join_lines, plain_quotes, words_of
from uprkb.load.loader import load_file
from uprkb.model.reviews import ImportFormat

_PARA = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]+(?=[A-Z])", re.MULTILINE)
_HEADING = re.compile(r"^\s*([IVX]{1,5})\.\s+(\S.*)$", re.MULTILINE)
_ID = re.compile(r"(\d{1,3})\.(\d{1,3})(?!\d)")
#: Where a list of bare numbers starts (``recommendations 1–5, 14–16``), in addenda that cite the items alone.
_BARE_START = re.compile(r"\brecommendations?\s+(?:Nos?\.\s*)?(?=\d{1,3}(?![\d.]\d|\.\d|\s+recommendations))")
#: The heading of the State's explanation of some recommendations: ``Rec. 18 We consider …``, ``Recs. 6–13 …``.
_REC_HEAD = re.compile(r"^\s*Recs?\.\s+(?=\d)")
#: A line that answers recommendations one by one: ``Recommendation 98.2 (Venezuela): Accepted. …``.
_ANSWER = re.compile(r"^[ \t]*Recommendations?[ \t]+(?=\d{1,3}\.\d{1,3})", re.MULTILINE)
_NOTES = re.compile(r"^\s*(?:Notes|Endnotes)\s*$")
_RANGE_END = re.compile(r"\s*[-\u2010-\u2015]\s*(?:(\d{1,3})\.)?(\d{1,3})(?![\d.]\d)")
_SEP = re.compile(r"\s*(?:,|;|\band\b|\.(?=[ \t]*\d{1,3}\.\d)|\.(?=\s*\n))?\s*")
_BARE = re.compile(r"(\d{1,3})(?![\d.]\d|\.\d)")
_LIST_LINE = re.compile(r"^\s*\d{1,3}\.\d{1,3}.*[,.]\s*$")
#: A line that is only IDs: the heading of the State's explanation of those recommendations.
_ID_HEADING = re.compile(r"^\s*\d{1,3}\.\d{1,3}(?:\s*(?:[-\u2010-\u2015,.]|\band\b)\s*(?:\d{1,3}\.)?\d{1,3})*\.?\s*$")


@dataclass
class Listed:
    """One ID as the addendum lists it."""

    id: str
    offset: int


def parse_id_list(text: str, start: int = 0, bare: str | None = None) -> tuple[list[Listed], list[tuple[int, str]]]:
    """The IDs a list starting at ``start`` gives, with ranges expanded; and (offset, message) problems.

    The list ends at the first word that is not an ID or a separator, or at a full
    stop closing a line when the next line does not go on listing IDs.
    """
    out: list[Listed] = []
    bad: list[tuple[int, str]] = []
    pos = start
    prefix: str | None = bare
    first = True
    while True:
        sep = _SEP.match(text, pos)
        assert sep is not None
        gap = text[pos : sep.end()]
        if not first and "." in gap and "\n" in gap[gap.index(".") :]:
            nxt = text[sep.end() :].split("\n", 1)[0]
            if not _LIST_LINE.match(nxt):
                break
        here = sep.end()
        m = _ID.match(text, here)
        if m:
            prefix, lo = m.group(1), int(m.group(2))
            end = m.end()
        elif prefix is not None and (bare is not None or (not first and gap.strip() in (",", "and", ";"))):
            b = _BARE.match(text, here)
            if not b:
                break
            lo, end = int(b.group(1)), b.end()
        else:
            break
        first = False
        r = _RANGE_END.match(text, end)
        if r and (r.group(1) is None or r.group(1) == prefix):
            hi = int(r.group(2))
            if hi <= lo or hi - lo > 300:
                bad.append((here, f"the range {text[here : r.end()].strip()!r} is impossible (it must run upwards)"))
            else:
                out.extend(Listed(f"{prefix}.{n}", here) for n in range(lo, hi + 1))
            end = r.end()
        else:
            out.append(Listed(f"{prefix}.{lo}", here))
        pos = end
    return out, bad


#: (pattern, position) read in order over a cluster heading and the words before the ID list; the first wins.
VERBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:supports?|accepts?|supported|accepted) in part\b|\bpartially\b|\bpartly\b"),
     "supported-in-part"),
    (re.compile(r"\btakes? note\b|\btaken note\b|\bnoted\b|\bnotes\b|\brejects?\b|\brejected\b"
                r"|\b(?:does|do|did) not (?:accept|support)\b|\bnot (?:accepted|supported)\b"), "noted"),
    (re.compile(r"\baccepts?\b|\baccepted\b|\bsupports?\b|\bsupported\b|\benjoys? the support\b"), "supported"),
]  # fmt: skip


def position_of(text: str) -> tuple[str | None, str | None]:
    """(position, claim) a cluster heading plus paragraph lead-in states (claims: :func:`.grammar.claim_in`)."""
    t = " ".join(plain_quotes(text).split()).lower()
    claim = claim_in(t)
    for pattern, position in VERBS:
        if pattern.search(t):
            return position, claim if position != "noted" else None
    return None, None


def claim_of(text: str) -> str | None:
    """The claim a text makes (``considers that they are already implemented or in the process …``)."""
    return claim_in(text)


def _data_file(path: Path) -> Any:
    """A data file's values, read by the data loader (never by pattern); ``None`` when it is absent or unreadable."""
    return load_file(path, str(path), Problems()) if path.is_file() else None


def _known_paragraphs(data_dir: Path, review: str) -> list[str]:
    """The paragraph numbers of the review's recommendation IDs already in the data (``115`` of ``115.7``)."""
    held = _data_file(data_dir / "reviews" / review / "recommendations.yaml")
    records = held.get("recommendations") if isinstance(held, dict) else None
    found = {
        str(r.get("id")).partition(".")[0]
        for r in records or []
        if isinstance(r, dict) and re.fullmatch(r"\d{1,4}\.\d{1,4}", str(r.get("id")))
    }
    return sorted(found, key=int)


class ResponsesReader:
    """The State's addendum (``A/HRC/…/Add.1``), as text."""

    format: ClassVar[ImportFormat] = ImportFormat.responses

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        """The addendum in phases: its text, the review it answers, the positions, the comments, the totals."""
        result = ImportResult(self.format, source)
        problems = result.problems
        raw = document_text(source, problems, options.encoding)
        if raw is None:
            return result
        doc = _Doc.of(source, raw)
        addendum = options.symbol or next((m.group() for m in SYMBOL.finditer(raw) if "/Add" in m.group()), None)
        report = addendum.split("/Add")[0] if addendum else None
        rid = options.review or (find_review(options.data_dir, report) if report else None)
        if rid is None:
            problems.add(
                source.at(1, 1),
                "unknown-review",
                f"cannot tell which review this addendum answers (report {report or 'not found'})",
                "name the review with --review, e.g. --review svn-upr4",
            )
            return result
        paras = _known_paragraphs(options.data_dir, rid)
        bare = paras[0] if len(paras) == 1 else None
        stop = next((m.start() for m in re.finditer(r"(?m)^\s*(?:Notes|Endnotes)\s*$", doc.text)), len(doc.text))
        records, list_lines = _positions(doc, stop, bare, addendum, problems)
        _comments(doc, stop, list_lines, bare, addendum, records, problems)
        if not records and not problems.errors:
            problems.add(
                source.at(1, 1),
                "no-records",
                "found no paragraph that accepts, supports or notes a list of recommendations",
                "give the addendum's text with its numbered paragraphs "
                "(e.g. '3. The Government accepts … 140.7, 140.8')",
            )
            return result
        first_para = _PARA.search(doc.text)
        begin = first_para.start() if first_para else 0
        end = min((doc.starts[r.where.line - 1] for r in records.values()), default=begin)
        counts = _totals(raw, doc, (begin, max(begin, end)), addendum, records, problems)
        review = {"addendum": addendum, "counts": counts if len(counts) > 1 else None}
        result.reviews = [ImportedReview(rid, review, list(records.values()), complete=False, update_only=True)]
        return result


@dataclass
class _Doc:
    """The addendum's text without running heads, and where each offset is in the file."""

    source: SourceFile
    text: str
    kept: list[str]
    starts: list[int]

    @classmethod
    def of(cls, source: SourceFile, raw: str) -> _Doc:
        kept = [ln if not RUNNING_HEAD.match(ln) or not ln.strip() else "" for ln in raw.split("\n")]
        starts = [0]
        for ln in kept:
            starts.append(starts[-1] + len(ln) + 1)
        return cls(source, "\n".join(kept), kept, starts)

    def line(self, offset: int) -> int:
        """The 1-based line number of an offset."""
        return bisect.bisect_right(self.starts, offset)

    def at(self, offset: int) -> Any:
        line = self.line(offset)
        return self.source.at(line, offset - self.starts[line - 1] + 1)


def _positions(
    doc: _Doc, stop: int, bare: str | None, addendum: str | None, problems: Problems
) -> tuple[dict[str, ImportedRecord], set[int]]:
    """Each numbered paragraph (under its heading, if any) that states a position on a list of IDs.

    Returns the records by ID and the line numbers that hold the lists (the comments are elsewhere).
    """
    text = doc.text
    marks: list[tuple[int, str, Any]] = sorted(
        [(m.start(), "para", m) for m in _PARA.finditer(text, 0, stop)]
        + [(m.start(2), "head", m) for m in _HEADING.finditer(text, 0, stop)]
        + [(offset, "head", None) for offset in unnumbered_headings(text, stop)]
        + [(m.start(), "answer", m) for m in _ANSWER.finditer(text, 0, stop)],
        key=lambda x: x[0],
    )
    given: dict[str, tuple[str, str | None, str, int]] = {}
    records: dict[str, ImportedRecord] = {}
    list_lines: set[int] = set()
    heading = ""
    for i, (offset, kind, m) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else stop
        if kind == "head":
            heading = text[offset:end]
            continue
        if kind == "answer":  # read with the State's comments (one position each)
            continue
        para = m.group(1)
        rec_head = _REC_HEAD.search(text, m.end(), end)
        body_end = rec_head.start() if rec_head else end
        body_end = min(
            [body_end]
            + [x.start() for x in re.finditer(r"(?m)^\s*Recs?\.\s+\d", text[:body_end]) if x.start() > m.end()]
        )
        first = _ID.search(text, m.end(), body_end)
        start_at = first.start() if first else None
        if bare is not None:
            b_m = _BARE_START.search(text, m.end(), body_end)
            if b_m and (start_at is None or b_m.end() < start_at):
                start_at = b_m.end()
        if start_at is None:
            continue
        position, claim = position_of(heading + " " + text[m.end() : start_at])
        listed, bad = parse_id_list(text, start_at, bare if first is None or start_at != first.start() else None)
        if position is None:
            sentence = " ".join(text[m.start() : body_end].split())
            problems.add(
                doc.at(start_at),
                "unknown-wording",
                f"paragraph {para} lists recommendations in words that state no position the importer knows: "
                f"{sentence[:200]!r}",
                "write the paragraph with a verb such as 'accepts', 'supports', 'notes', 'rejects' or "
                "'supports in part', or add the wording to the grammar (uprkb/importers/responses.py VERBS)",
            )
            continue
        if claim is None and position != "noted":
            claim = claim_of(heading + " " + text[m.end() : body_end])
        lead = " ".join(text[m.end() : start_at].split()).rstrip(" :")
        said = f"{' '.join(heading.split())}: {lead}" if heading.strip() else lead
        if listed:
            list_lines.update(range(doc.line(start_at), doc.line(max(x.offset for x in listed)) + 1))
        for off, msg in bad:
            problems.add(doc.at(off), "impossible-id", msg, "write the range as the first and last ID, e.g. 140.11-14")
        for item in listed:
            prev = given.get(item.id)
            if prev is not None and prev[2] != para:
                problems.add(
                    doc.at(item.offset),
                    "double-position",
                    f"recommendation {item.id} is given a position here ({position}) and already in paragraph "
                    f"{prev[2]} ({prev[0]})",
                    "each recommendation has one position; correct the list that is wrong",
                )
                continue
            if prev is not None:
                continue
            given[item.id] = (position, claim, para, item.offset)
            fields: dict[str, Any] = {
                "id": item.id,
                "position": position,
                "position_source": {"document": addendum, "paragraph": para, "sentence": said} if addendum else None,
                "claim": claim,
            }
            records[item.id] = ImportedRecord(
                {k: v for k, v in fields.items() if v is not None or k == "claim"}, doc.at(item.offset)
            )
    return records, list_lines


def unnumbered_headings(text: str, stop: int) -> list[int]:
    """Where the cluster headings printed without a numeral start (``Accepted recommendations that Slovenia
    considers already implemented …`` on one or two lines, then the cluster's numbered paragraph).

    A heading line speaks of recommendations, starts with a capital, ends with no punctuation, follows a
    blank line or a finished sentence, and is followed (after at most one more such line) by a numbered
    paragraph.
    """
    lines = text[:stop].split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out: list[int] = []

    def heading_like(line: str, first: bool = True) -> bool:
        t = line.strip()
        return bool(
            5 <= len(t) <= 160 and (t[0].isupper() or not first) and t[-1] not in ".,;:" and not _PARA.match(line)
            and not _HEADING.match(line) and not _ID.match(t)
        )  # fmt: skip

    k = 0
    while k < len(lines):
        line = lines[k]
        before = next((ln.strip() for ln in reversed(lines[:k]) if ln.strip()), ".")
        if heading_like(line) and "recommendation" in line.lower() and before[-1:] in ".;:)" + "0123456789":
            nxt = k + 1
            while nxt < len(lines) and not lines[nxt].strip():
                nxt += 1
            if nxt < len(lines) and heading_like(lines[nxt], first=False):
                nxt += 1
            while nxt < len(lines) and not lines[nxt].strip():
                nxt += 1
            if nxt < len(lines) and _PARA.match(lines[nxt]):
                out.append(starts[k] + len(line) - len(line.lstrip()))
                k = nxt
                continue
        k += 1
    return out


def _comments(
    doc: _Doc,
    stop: int,
    list_lines: set[int],
    bare: str | None,
    addendum: str | None,
    records: dict[str, ImportedRecord],
    problems: Problems,
) -> None:
    """The State's comments on single recommendations: kept on the record, or a position of their own."""
    comments = state_comments(doc.kept[: doc.line(stop)], list_lines, bare)
    for rec_id, (comment, where) in comments.items():
        if rec_id in records:
            records[rec_id].fields["state_comment"] = comment
            continue
        first = comment.split(". ")[0].rstrip(".") + "."
        position, claim = position_of(first)
        if position is not None:  # a per-recommendation answer: "5., 6., 7. … accepted"
            fields: dict[str, Any] = {"id": rec_id, "position": position, "claim": claim, "state_comment": comment}
            if addendum:
                fields["position_source"] = {"document": addendum, "sentence": first}
            records[rec_id] = ImportedRecord(fields, doc.source.at(*where))
            continue
        problems.add(
            doc.source.at(*where),
            "no-position",
            f"recommendation {rec_id} is explained here but given no position anywhere in the addendum: "
            f"{comment[:160]!r}",
            "add it to the list of the cluster it belongs to (accepted, noted …)",
        )


def _totals(
    raw: str,
    doc: _Doc,
    intro: tuple[int, int],
    addendum: str | None,
    records: dict[str, ImportedRecord],
    problems: Problems,
) -> dict[str, Any]:
    """The totals the addendum states, each compared with what its lists give; a sentence of the introduction
    (from its first numbered paragraph to the first list) that states a number of recommendations in words
    no table knows is said, so the check is never skipped in silence."""
    source = doc.source
    counts: dict[str, Any] = {"source": addendum, **stated_counts(raw)}
    for sentence in unread_totals(doc.text[intro[0] : intro[1]]):
        words = sentence.split()[:6]
        found = re.search(r"\s+".join(re.escape(w) for w in words), doc.text[intro[0] : intro[1]])
        problems.warn(
            doc.at(intro[0] + found.start()) if found else source.at(1, 1),
            "unread-total",
            f"this sentence seems to state a number of recommendations, but its wording is not one the importer "
            f"reads, so the lists were not checked against it: {sentence[:200]!r}",
            "compare the count yourself with the positions imported (see the review page), or write the total as "
            "'accepts N recommendations' / 'notes N recommendations'",
        )
    got = {k: sum(1 for r in records.values() if r.fields.get("position") == k) for k in ("supported", "noted")}
    got["received"] = len(records)
    for key in ("supported", "noted"):  # the writer reports recommendations the addendum leaves out
        if key in counts and counts[key] != got[key]:
            problems.add(
                source.at(1, 1),
                "count-mismatch",
                f"the addendum states {counts[key]} {key if key != 'received' else 'recommendations'}, "
                f"but its lists give {got[key]}",
                "check the lists against the stated totals; an ID may be missing, repeated or misread",
            )
    return counts


#: The totals an addendum states, in the phrasings met: (key, pattern) — the first match of each key counts.
TOTALS: list[tuple[str, str]] = [
    ("received", r"received (\d+) recommendations"),
    ("received", r"contains (\d+) recommendations"),
    ("received", r"\b[Oo]f the (\d+) recommendations"),
    ("received", r"\b(\d+) recommendations (?:were|have been) (?:received|made|formulated)"),
    ("supported", r"(\d+)\s+(?:are\s+|were\s+|have been\s+)?(?:supported|accepted)\b"),
    ("supported", r"\b(?:accepts|supports|accepted|supported) (\d+)(?: recommendations)?\b"),
    (
        "supported",
        r"\b(\d+) (?:of the )?recommendations (?:enjoy|enjoyed|received|have|had|receive) (?:the |its )?support",
    ),
    ("noted", r"(\d+)\s+(?:recommendations\s+)?(?:are\s+|were\s+|have been\s+)?noted\b"),
    ("noted", r"\b(?:notes|noted|takes note of|took note of) (\d+)(?: recommendations| others)?\b"),
]


_NUMBER = re.compile(
    r"(?<![\d.])\d{1,3}(?!\d|\.\d|\s*(?:st|nd|rd|th)\b|\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b)"
    r"|\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b(?!-?(?:\w+th|first|second|third)\b)",
    re.I,
)


def unread_totals(intro: str) -> list[str]:
    """The introduction's sentences that state a number of recommendations in a wording :data:`TOTALS` does not read."""
    out = []
    flat = " ".join(plain_quotes(_PARA.sub("", intro)).split())
    for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", flat):
        if "recommendation" not in sentence.lower() or not _NUMBER.search(sentence):
            continue
        if not any(re.search(pattern, sentence) for _key, pattern in TOTALS):
            out.append(sentence)
    return out


def stated_counts(raw: str) -> dict[str, int]:
    """The totals the addendum states ("accepts 142 recommendations … notes 21", "217 are supported and 37 noted")."""
    flat = " ".join(plain_quotes(raw).split())
    out: dict[str, int] = {}
    for key, pattern in TOTALS:
        if key not in out:
            found = re.search(pattern, flat)
            if found:
                out[key] = int(found.group(1))
    return out


def state_comments(lines: list[str], skip: set[int], bare: str | None = None) -> dict[str, tuple[str, tuple[int, int]]]:
    """The State's explanations: a line of IDs (``140.11-14``) and the prose under it, per ID.

    ``lines`` are the addendum's lines (running heads blanked); ``skip`` holds the numbers
    of the lines that belong to the position lists. The prose runs to the next such line
    of IDs, numbered paragraph or cluster heading.
    """
    out: dict[str, tuple[str, tuple[int, int]]] = {}
    current: list[str] | None = None
    ids: list[str] = []
    where = (0, 0)

    def close() -> None:
        if current is not None and ids:
            prose = join_lines(current, words)
            if prose:
                for rid in ids:
                    before = out.get(rid)
                    out[rid] = (f"{before[0]} {prose}" if before else prose, before[1] if before else where)

    words = words_of("\n".join(lines))
    for n, line in enumerate(lines, 1):
        rec = _REC_HEAD.match(line) or _ANSWER.match(line)
        if n not in skip and (rec or _ID_HEADING.match(line)):
            close()
            begin = rec.end() if rec else 0
            listed, bad = parse_id_list(line, begin, bare if rec and not _ID.match(line, begin) else None)
            ids = [] if bad else [x.id for x in listed]
            rest = line[max((x.offset for x in listed), default=begin) :] if rec else ""
            rest = re.sub(r"^[\d.\s\u2010-\u2015,-]*(?:and\s+\d+\s*)?", "", rest) if rec else ""
            rest = re.sub(r"^\s*(?:\([^)]{0,120}\))?\s*[:\u2013\u2014-]?\s*", "", rest)
            current = [rest] if rest else []
            where = (n, len(line) - len(line.lstrip()) + 1)
        elif _PARA.match(line) or _HEADING.match(line):
            close()
            current, ids = None, []
        elif current is not None:
            current.append(line)
    close()
    return out


def find_review(data_dir: Path, report: str) -> str | None:
    """The ID of the review in ``data_dir`` whose ``report`` is ``report`` (each review.yaml read by the loader)."""
    folder = data_dir / "reviews"
    for path in sorted(folder.glob("*/review.yaml")) if folder.is_dir() else []:
        review = _data_file(path)
        if isinstance(review, dict) and review.get("report") == report:
            return path.parent.name
    return None
