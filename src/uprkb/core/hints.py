"""Hints for editors: near misses worth suggesting, snippets to paste, the summary of unknown terms.

This is the one "did you mean" engine of the project: vocabulary terms, enum values, field names,
references to received recommendations, section, source and review IDs all go through
:func:`close_match`.

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
from uprkb.core.names import normalise_label

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


def choice_hint(value: Any, choices: Iterable[str]) -> str:
    """The hint for a value outside a fixed list: a "did you mean" when one choice is truly close."""
    choices = list(choices)
    close = close_match(str(value).strip().lower(), choices) if isinstance(value, str) else None
    if close is None and isinstance(value, str):
        # 'not implemented' for 'not-implemented': the same words, other separators
        key = normalise_label(value)
        close = next((c for c in choices if normalise_label(c) == key), None)
    if close is not None:
        return f"did you mean '{close}'?"
    return "use one of the listed values exactly as written"


def term_by_label(term_id: str, terms: Any) -> tuple[str, str] | None:
    """An existing term whose label or an equivalent reads as ``term_id`` does: ``(id, label)``, else ``None``.

    ``freedom-of-peaceful-assembly`` finds ``freedom-of-assembly``, labelled "Freedom of peaceful assembly",
    so that no hint ever asks to add a second term with the label of one already there.
    """
    key = normalise_label(term_id.replace("-", " "))
    values = terms.values() if isinstance(terms, dict) else terms
    for term in values:
        labels = [getattr(term, "label", None)]
        labels += [getattr(eq, "label", None) for eq in getattr(term, "equivalents", [])]
        if any(isinstance(label, str) and normalise_label(label) == key for label in labels):
            return term.id, label_of(term)
    return None


def reference_hint(value: str, known: Iterable[str], what: str, data_root: Path | None = None) -> str:
    """The hint for an unknown ID: a truly close spelling (with its label), an existing term with the label
    the ID reads as, else how to add the term (or the thing) first."""
    close = close_match(value, known)
    if close:
        label = label_of(known.get(close)) if isinstance(known, dict) else ""
        return f"did you mean '{close}'" + (f" ({label})" if label else "") + "?"
    if what in VOCABULARY_FILE and what != "SDG target" and re.match(r"^sdg-\d+-", value):
        return f"'{value}' looks like an SDG target: SDG targets are tagged in 'sdg_targets', not here"
    if what in VOCABULARY_FILE and isinstance(known, dict):
        found = term_by_label(value, known)
        if found:
            term_id, label = found
            return f"the {what} '{term_id}' is labelled \"{label}\" already: use '{term_id}'"
    if what in VOCABULARY_FILE:
        return f"'{value}' is not in the {what} vocabulary: {add_term_hint(what, value, data_root)}"
    return f"add the {what} first, or use an existing ID (see the {what} pages of the site)"


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
