"""Upstream labels to our terms: vocabulary equivalents, and State names to ISO 3166 codes.

Labels are compared after normalising case, HTML entities (``&amp;``), ``&``
versus "and", punctuation and white space, so ``Torture and other CID treatment``,
``torture & other CID treatment`` and ``Torture and other CID-treatment`` match
the same equivalent. State names go through pycountry (names, official and common
names, codes) plus the aliases below for the spellings the exports use.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from uprkb.core.names import normalise_label
from uprkb.model.records import TermVocabulary

_NON_WORD = re.compile(r"[^0-9a-z]+")
_AMP = re.compile(r"\s*&\s*")


@dataclass
class Mapper:
    """Maps upstream labels to vocabulary term IDs through the terms' ``equivalents``.

    A label several terms list (UPR Info's "Freedom of association and peaceful
    assembly" is two of our themes) maps to all of them.
    """

    themes: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    persons: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    """SDG target number (``16.3``) → the vocabulary's target ID."""

    @classmethod
    def from_vocabularies(cls, themes: TermVocabulary | None, persons: TermVocabulary | None) -> Mapper:
        m = cls()
        for vocab, table in ((themes, m.themes), (persons, m.persons)):
            for term in vocab.terms if vocab else []:
                for eq in term.equivalents:
                    key = (eq.system, normalise_label(eq.label))
                    if term.id not in table.get(key, ()):
                        table[key] = (*table.get(key, ()), term.id)
        return m

    def theme(self, system: str, label: str) -> tuple[str, ...]:
        """The theme IDs a label maps to (empty when none)."""
        return self.themes.get((system, normalise_label(label)), ())

    def person(self, system: str, label: str) -> tuple[str, ...]:
        """The affected-persons IDs a label maps to (empty when none)."""
        return self.persons.get((system, normalise_label(label)), ())


#: Spellings the UPR Info export and OHCHR's documents use that pycountry does not know.
STATE_ALIASES: dict[str, str] = {
    "dpr korea": "PRK",
    "macedonia fyr": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "cote d ivoire": "CIV",
    "turkey": "TUR",
    "cape verde": "CPV",
    "holy see": "VAT",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "republic of korea": "KOR",
    "swaziland": "SWZ",
    "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "republic of congo": "COG",
    "republic of the congo": "COG",
    "micronesia": "FSM",
    "micronesia federated states of": "FSM",
    "iran islamic republic of": "IRN",
    "venezuela bolivarian republic of": "VEN",
    "bolivia plurinational state of": "BOL",
    "republic of moldova": "MDA",
    "united republic of tanzania": "TZA",
    "syrian arab republic": "SYR",
    "lao pdr": "LAO",
    "kingdom of the netherlands": "NLD",
    "st kitts and nevis": "KNA",
    "st lucia": "LCA",
    "st vincent and the grenadines": "VCT",
    "sao tome and principe": "STP",
    "timor leste": "TLS",
    "guinea bissau": "GNB",
}


@lru_cache(maxsize=4096)
def state_iso3(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a State name as an export writes it, or ``None``."""
    key = normalise_label(name)
    if key in STATE_ALIASES:
        return STATE_ALIASES[key]
    plain = html.unescape(name).strip()
    candidates = [plain, plain.replace("&", "and")]
    m = re.match(r"^(.*?)\s*\((.*)\)$", plain)
    if m:  # "Venezuela (Bolivarian Republic of)" -> "Bolivarian Republic of Venezuela"
        candidates += [f"{m.group(2)} {m.group(1)}", m.group(1)]
    for candidate in candidates:
        try:
            return str(pycountry.countries.lookup(candidate).alpha_3)
        except LookupError:
            continue
    return None


@lru_cache(maxsize=512)
def state_name(iso3: str) -> str | None:
    """A short English name for an ISO3 code (pycountry's common name, or its name when that has no comma)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return None
    common = getattr(country, "common_name", None)
    if common:
        return str(common)
    name = str(country.name)
    return None if "," in name or "(" in name else name
