"""Upstream labels to our terms: vocabulary equivalents, and State names to ISO 3166 codes.

Labels are compared after normalising case, HTML entities (``&amp;``), ``&``
versus "and", punctuation and white space, so ``Torture and other CID treatment``,
``torture & other CID treatment`` and ``Torture and other CID-treatment`` match
the same equivalent. State names are matched by :func:`.states.state_iso3`, from
``src/uprkb/importers/states.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from uprkb.core.names import normalise_label
from uprkb.importers.states import state_iso3, un_name
from uprkb.model.records import TermVocabulary

__all__ = ["Mapper", "normalise_label", "state_iso3", "state_name"]

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
    return un_name(iso3) if "," in name or "(" in name else name
