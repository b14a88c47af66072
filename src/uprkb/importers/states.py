"""State names to ISO 3166-1 alpha-3 codes, from ``data/vocabularies/states.yaml``.

The file lists the UN Member and observer States with their UN short names and the
other spellings documents and exports use. A name is compared by a key that ignores
case, accents, typographic quotes and apostrophes (``’`` is ``'``), punctuation, the
word "the" (``the Netherlands``, ``Democratic Republic of the Congo``), ``St`` for
``Saint``, and the order of ``Korea, Republic of`` / ``Venezuela (Bolivarian Republic
of)`` / ``Republic of Korea``. Names the file does not know go to pycountry.

Every importer asks :func:`state_iso3`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field

from uprkb.core.hints import close_match
from uprkb.core.project import PACKAGE

STATES_FILE = PACKAGE / "importers" / "states.yaml"
"""The UN Member and observer States: ISO3, UN short name and the other spellings found in UPR documents."""
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201f": "'", "`": "'"}
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_INVERTED = re.compile(r"^(.*?)\s*(?:,\s*|\(\s*)((?:the\s+)?(?:\w+\s+)*(?:of|of the))\s*\)?$", re.I)


class StateEntry(BaseModel):
    """One State: its code, UN short name and other spellings."""

    model_config = ConfigDict(extra="forbid")
    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    aliases: list[str] = []
    former: list[str] = []
    """Names the State had before (``Libyan Arab Jamahiriya``), as documents of the time print them."""


class StatesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    states: list[StateEntry]


def state_key(name: str) -> str:
    """A State name's comparison key (see the module's description)."""
    text = unicodedata.normalize("NFKD", html.unescape(name).translate(_QUOTES)).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ")
    text = " ".join(text.split())
    m = _INVERTED.match(text)
    if m and m.group(1):  # "korea, republic of" / "venezuela (bolivarian republic of)" -> "republic of korea"
        text = f"{m.group(2)} {m.group(1)}"
    words = [w for w in _NON_WORD.sub(" ", text.replace("'", "")).split() if w != "the"]
    return " ".join("saint" if w == "st" else w for w in words)


@lru_cache(maxsize=1)
def _table(path: Path = STATES_FILE) -> dict[str, str]:
    """Comparison key → ISO3, from the vocabulary file."""
    data = StatesFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    table: dict[str, str] = {}
    for entry in data.states:
        for name in (entry.name, entry.iso3, *entry.aliases, *entry.former):
            key = state_key(name)
            if table.setdefault(key, entry.iso3) != entry.iso3:
                raise ValueError(f"{path}: '{name}' names both {table[key]} and {entry.iso3}")
    return table


@lru_cache(maxsize=1)
def _squeezed() -> dict[str, str]:
    """The keys without their spaces: a word broken by a stray space (``S tate``) still matches."""
    return {k.replace(" ", ""): v for k, v in _table().items()}


@lru_cache(maxsize=1)
def _names(path: Path = STATES_FILE) -> dict[str, str]:
    data = StatesFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {e.iso3: e.name for e in data.states}


@lru_cache(maxsize=8192)
def state_iso3(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a State name as a document or export writes it, or ``None``."""
    if not name or not name.strip():
        return None
    key = state_key(name)
    found = _table().get(key) or _squeezed().get(key.replace(" ", ""))
    if found:
        return found
    plain = " ".join(html.unescape(name).translate(_QUOTES).split())
    for candidate in (plain, plain.replace("&", "and")):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_3)
        except LookupError:
            continue
    return None


@lru_cache(maxsize=4096)
def close_state(name: str) -> str | None:
    """The ISO3 of the one known State name ``name`` is most plausibly a misspelling of (one or two
    letters away: ``United Sates of America``, ``Holly See``), or ``None``."""
    exact = state_iso3(name)
    if exact or not name.strip():
        return exact
    key = state_key(name)
    if len(key) < 5:
        return None
    found = close_match(key, _table())
    return _table()[found] if found else None


def un_name(iso3: str) -> str | None:
    """The UN short name of a State (``Bolivia (Plurinational State of)``), or ``None``."""
    return _names().get(iso3.upper())


def split_state_names(text: str) -> list[str]:
    """One parenthesis that lists several States (``Portugal, Slovakia``) as their names.

    The text is taken whole when it names one State (``Korea, Republic of``); otherwise it
    is cut at commas, semicolons and "and" outside parentheses into the fewest pieces that
    each name a State, so a name with a comma or an "and" stays whole inside a list
    (``Korea, Republic of, France``; ``Trinidad and Tobago and Chile``). When no such cut
    exists the text is returned whole.
    """
    text = " ".join(text.split())
    if state_iso3(text) or not re.search(r"[,;]| and ", text):
        return [text]
    cuts: list[tuple[int, int]] = []  # (end of a piece, start of the next) at each separator outside parentheses
    depth = 0
    for m in re.finditer(r"[()]|\s*[,;]\s*(?:and\s+)?|\s+and\s+", text):
        sep = m.group()
        if sep in "()":
            depth += 1 if sep == "(" else -1
        elif depth == 0:
            cuts.append((m.start(), m.end()))
    starts = [0, *(b for _, b in cuts)]
    ends = [*(a for a, _ in cuts), len(text)]
    n = len(starts)
    # best[i]: the fewest States naming pieces i.. to the end, as (count, names); None when impossible.
    best: list[tuple[int, list[str]] | None] = [None] * n + [(0, [])]
    for i in range(n - 1, -1, -1):
        for j in range(i, n):
            rest = best[j + 1]
            name = text[starts[i] : ends[j]].strip()
            if rest is not None and name and state_iso3(name):
                if best[i] is None or rest[0] + 1 < best[i][0]:  # type: ignore[index]
                    best[i] = (rest[0] + 1, [name, *rest[1]])
    found = best[0]
    return found[1] if found is not None and found[0] > 1 else [text]
