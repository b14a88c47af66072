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

from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.text import RUNNING_HEAD, SYMBOL, join_lines
from uprkb.model.reviews import ImportFormat

_PARA = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]+(?=[A-Z])", re.MULTILINE)
_HEADING = re.compile(r"^\s*([IVX]{1,5})\.\s+(\S.*)$", re.MULTILINE)
_ID = re.compile(r"(\d{1,3})\.(\d{1,3})(?!\d)")
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


def parse_id_list(text: str, start: int = 0) -> tuple[list[Listed], list[tuple[int, str]]]:
    """The IDs a list starting at ``start`` gives, with ranges expanded; and (offset, message) problems.

    The list ends at the first word that is not an ID or a separator, or at a full
    stop closing a line when the next line does not go on listing IDs.
    """
    out: list[Listed] = []
    bad: list[tuple[int, str]] = []
    pos = start
    prefix: str | None = None
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
        elif prefix is not None and not first and gap.strip() in (",", "and", ";"):
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


def position_of(text: str) -> tuple[str | None, str | None]:
    """(position, claim) a cluster heading plus paragraph lead-in states."""
    t = " ".join(text.split()).lower()
    claim = "implemented-or-in-progress" if ("already implemented" in t or "process of implementation" in t) else None
    if "take note" in t or "takes note" in t or "noted" in t or "does not support" in t or "not accepted" in t:
        return "noted", None
    if "partially" in t or "in part" in t:
        return "supported-in-part", claim
    if "accept" in t or "support" in t:
        return "supported", claim
    return None, None


class ResponsesReader:
    """The State's addendum (``A/HRC/…/Add.1``), as text."""

    format: ClassVar[ImportFormat] = ImportFormat.responses

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        raw = source.text(problems, options.encoding)
        if raw is None:
            return result
        kept = [ln if not RUNNING_HEAD.match(ln) or not ln.strip() else "" for ln in raw.split("\n")]
        text = "\n".join(kept)
        starts = [0]
        for ln in kept:
            starts.append(starts[-1] + len(ln) + 1)

        def at(offset: int) -> Any:
            line = bisect.bisect_right(starts, offset)
            return source.at(line, offset - starts[line - 1] + 1)

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
        marks = sorted(
            [(m.start(), "para", m) for m in _PARA.finditer(text)]
            + [(m.start(), "head", m) for m in _HEADING.finditer(text)],
            key=lambda x: x[0],
        )
        given: dict[str, tuple[str, str | None, str, int]] = {}
        records: dict[str, ImportedRecord] = {}
        list_lines: set[int] = set()  # 1-based numbers of the lines holding the position lists
        heading = ""
        for i, (_offset, kind, m) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            if kind == "head":
                heading = text[m.start(2) : end]
                continue
            para = m.group(1)
            first = _ID.search(text, m.end(), end)
            if first is None:
                continue
            position, claim = position_of(heading + " " + text[m.end() : first.start()])
            if position is None:
                continue
            listed, bad = parse_id_list(text, first.start())
            if listed:
                last = max(x.offset for x in listed)
                list_lines.update(
                    range(bisect.bisect_right(starts, first.start()), bisect.bisect_right(starts, last) + 1)
                )
            for off, msg in bad:
                problems.add(at(off), "impossible-id", msg, "write the range as the first and last ID, e.g. 140.11-14")
            for item in listed:
                prev = given.get(item.id)
                if prev is not None and prev[2] != para:
                    problems.add(
                        at(item.offset),
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
                    "position_source": {"document": addendum, "paragraph": para} if addendum else None,
                }
                fields["claim"] = claim
                records[item.id] = ImportedRecord(
                    {k: v for k, v in fields.items() if v is not None or k == "claim"}, at(item.offset)
                )
        for rec_id, (comment, where) in state_comments(kept, list_lines).items():
            if rec_id in records:
                records[rec_id].fields["state_comment"] = comment
            else:  # explained but given no position: the writer still checks the ID exists
                records[rec_id] = ImportedRecord({"id": rec_id, "state_comment": comment}, source.at(*where))
        if not records and not problems.errors:
            problems.add(
                source.at(1, 1),
                "no-records",
                "found no paragraph that accepts, supports or notes a list of recommendations",
                "give the addendum's text with its numbered paragraphs "
                "(e.g. '3. The Government accepts … 140.7, 140.8')",
            )
            return result
        flat = " ".join(raw.split())
        counts: dict[str, Any] = {"source": addendum}
        for key, pattern in (
            ("received", r"received (\d+) recommendations"),
            ("supported", r"(\d+)\s+(?:are\s+|were\s+)?(?:supported|accepted)\b"),
            ("noted", r"(\d+)\s+(?:are\s+|were\s+)?noted\b"),
        ):
            found = re.search(pattern, flat)
            if found:
                counts[key] = int(found.group(1))
        review = {"addendum": addendum, "counts": counts if len(counts) > 1 else None}
        result.reviews = [ImportedReview(rid, review, list(records.values()), complete=False, update_only=True)]
        return result


def state_comments(lines: list[str], skip: set[int]) -> dict[str, tuple[str, tuple[int, int]]]:
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
            prose = join_lines(current)
            if prose:
                for rid in ids:
                    before = out.get(rid)
                    out[rid] = (f"{before[0]} {prose}" if before else prose, before[1] if before else where)

    for n, line in enumerate(lines, 1):
        if n not in skip and _ID_HEADING.match(line):
            close()
            listed, bad = parse_id_list(line)
            ids = [] if bad else [x.id for x in listed]
            current = []
            where = (n, len(line) - len(line.lstrip()) + 1)
        elif _PARA.match(line) or _HEADING.match(line):
            close()
            current, ids = None, []
        elif current is not None:
            current.append(line)
    close()
    return out


def find_review(data_dir: Path, report: str) -> str | None:
    """The ID of the review in ``data_dir`` whose ``report`` is ``report`` (a quick scan of review.yaml files)."""
    folder = data_dir / "reviews"
    line = re.compile(r"^report:\s*\"?" + re.escape(report) + r"\"?\s*$", re.MULTILINE)
    for path in sorted(folder.glob("*/review.yaml")) if folder.is_dir() else []:
        if line.search(path.read_text(encoding="utf-8", errors="replace")):
            return path.parent.name
    return None
