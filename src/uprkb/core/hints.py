"""Hints for editors: near misses worth suggesting, snippets to paste, the summary of unknown terms.

A "did you mean" is offered only when the spelling is truly close: the same
digits (``sdg-8-7`` is never "corrected" to ``sdg-8-8``: it is another target)
and at most one or two edits, counting a swap of two neighbouring letters as
one (optimal string alignment distance, from rapidfuzz). When nothing is that
close, the hint says which vocabulary file the term belongs in, with a one-line
entry that can be pasted at any indentation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from uprkb.core.errors import display_path

#: Kind of term → the vocabulary file it is declared in (under ``data/vocabularies/``).
VOCABULARY_FILE = {
    "theme": "themes.yaml",
    "affected-persons group": "affected-persons.yaml",
    "SDG target": "sdgs.yaml",
    "provision": "instruments.yaml",
}
_DIGITS = re.compile(r"\d+")


def _allowed_edits(value: str) -> int:
    return 1 if len(value) < 10 else 2


def close_match(value: str, known: Iterable[str]) -> str | None:
    """The one known ID that ``value`` is most plausibly a misspelling of, or ``None``."""
    digits = _DIGITS.findall(value)
    limit = _allowed_edits(value)
    best: tuple[int, str] | None = None
    for candidate in known:
        if _DIGITS.findall(candidate) != digits:
            continue
        distance = OSA.distance(value, candidate, score_cutoff=limit)
        if distance <= limit and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None


def label_of(record: Any) -> str:
    """How readers know a record: a term's label, an SDG target's number, a provision's label."""
    if record is None:
        return ""
    for attr in ("label", "title"):
        value = getattr(record, attr, None)
        if isinstance(value, str) and value:
            return value
    number = getattr(record, "number", None)
    if isinstance(number, str):
        return f"SDG {number}"
    return ""


def guess_label(term_id: str) -> str:
    """A first label for a new term, from its ID (``right-to-education`` → ``Right to education``)."""
    words = term_id.replace("-", " ")
    return words[:1].upper() + words[1:]


def entry(what: str, term_id: str) -> str:
    """A one-line YAML entry for a new term (flow style, so it pastes at any indentation)."""
    if what == "SDG target":
        number = ".".join(_DIGITS.findall(term_id)[:2]) or "?"
        return f'- {{id: {term_id}, number: "{number}", text: "<the target\'s official wording>"}}'
    if what == "provision":
        return f'- {{id: {term_id}, label: "<how it is cited, e.g. Article 2(2)>"}}'
    return f'- {{id: {term_id}, label: "{guess_label(term_id)}"}}'


def where_to_add(what: str, term_id: str) -> str:
    """Where in its vocabulary file a new term goes."""
    if what == "SDG target":
        goal = _DIGITS.findall(term_id)[:1]
        return f"under 'targets:' of goal sdg-{goal[0] if goal else 'N'} (add the goal first if it is missing)"
    if what == "provision":
        return "under 'provisions:' of its instrument"
    return "under 'terms:'"


def add_term_hint(what: str, term_id: str, data_root: Path | None = None) -> str:
    """How to add a missing vocabulary term, with the entry to paste."""
    name = VOCABULARY_FILE[what]
    path = display_path(data_root / "vocabularies" / name) if data_root else f"data/vocabularies/{name}"
    return f"add it to {path} {where_to_add(what, term_id)}: {entry(what, term_id)}"


def unknown_summary(unknown: Counter[tuple[str, str]], data_root: Path | None = None) -> str:
    """One summary of the unknown vocabulary terms: each once, with its number of uses, grouped by file."""
    if not unknown:
        return ""
    uses = sum(unknown.values())
    lines = [f"{len(unknown)} unknown vocabulary term(s), used {uses} time(s):"]
    by_file: dict[str, list[tuple[str, str, int]]] = {}
    for (what, term_id), n in sorted(unknown.items(), key=lambda kv: (VOCABULARY_FILE[kv[0][0]], kv[0][1])):
        by_file.setdefault(VOCABULARY_FILE[what], []).append((what, term_id, n))
    for name, terms in by_file.items():
        path = display_path(data_root / "vocabularies" / name) if data_root else f"data/vocabularies/{name}"
        lines.append(f"  {path}:")
        for what, term_id, n in terms:
            lines.append(f"    {term_id} ({what}, {n} use{'s' if n != 1 else ''}): {where_to_add(what, term_id)}")
            lines.append(f"      {entry(what, term_id)}")
    return "\n".join(lines)
