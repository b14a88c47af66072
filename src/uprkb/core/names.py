"""Comparison keys for labels and names written in many ways (entities, accents, case, '&', punctuation)."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
_AMP = re.compile(r"\s*&\s*")


@lru_cache(maxsize=8192)
def normalise_label(label: str) -> str:
    """A label's comparison key: entities decoded, case folded, '&' as 'and', punctuation as spaces."""
    text = unicodedata.normalize("NFKD", html.unescape(label)).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _AMP.sub(" and ", text)
    return _NON_WORD.sub(" ", text).strip()
