"""State names: src/uprkb/importers/states.yaml and state_iso3, on our samples and on every real fixture.

The names in the real documents are gathered here by a small parser of the test's own
(the csv module over UPR Info's exports; the parentheses that close each numbered
recommendation in the reports and matrices), not by the importers.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.project import PROJECT
from uprkb.importers.mapping import state_iso3 as mapping_state_iso3
from uprkb.importers.states import STATES_FILE, StatesFile, split_state_names, state_iso3

FIXTURES = PROJECT.parent / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(
    not (FIXTURES / "upr-info").is_dir(), reason="the real UPR material is not beside the checkout (../shared/fixtures)"
)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Slovenia", "SVN"),
        ("the Netherlands", "NLD"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("Democratic People\u2019s Republic of Korea", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("DPR Korea", "PRK"),
        ("Korea, Republic of", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Bolivia (Plurinational S tate of)", "BOL"),
        ("Congo, The Democratic Republic of the", "COD"),
        ("Democratic Republic of Congo", "COD"),
        ("Congo", "COG"),
        ("C\u00f4te d\u2019Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("St Kitts & Nevis", "KNA"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Turkey", "TUR"),
        ("T\u00fcrkiye", "TUR"),
        ("Macedonia FYR", "MKD"),
        ("Lao People\u2019s Democratic Republic", "LAO"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ],
)
def test_state_names_and_their_codes(name: str, iso3: str) -> None:
    assert state_iso3(name) == iso3
    assert mapping_state_iso3(name) == iso3


@pytest.mark.parametrize("name", ["(Unknown)", "", "ICRMW", "European Union", "Atlantis"])
def test_names_of_no_state_have_no_code(name: str) -> None:
    assert state_iso3(name) is None


def test_the_vocabulary_lists_the_un_members_and_observers_once() -> None:
    import yaml

    data = StatesFile.model_validate(yaml.safe_load(STATES_FILE.read_text(encoding="utf-8")))
    codes = [s.iso3 for s in data.states]
    assert len(codes) == len(set(codes)) == 195
    assert {"VAT", "PSE"} <= set(codes)


def test_one_parenthesis_with_several_states_is_split() -> None:
    assert split_state_names("Portugal, Slovakia") == ["Portugal", "Slovakia"]
    assert split_state_names("Senegal, Sierra Leone, Venezuela (Bolivarian Republic of),Peru, Uruguay") == [
        "Senegal",
        "Sierra Leone",
        "Venezuela (Bolivarian Republic of)",
        "Peru",
        "Uruguay",
    ]
    assert split_state_names("Korea, Republic of") == ["Korea, Republic of"]
    assert split_state_names("Trinidad and Tobago") == ["Trinidad and Tobago"]
    assert split_state_names("Spain and Portugal") == ["Spain", "Portugal"]


# --- every recommending State in the real material -------------------------------------------------------

_GROUP = r"\(((?:[^()]|\([^()]*\))*)\)"
_ACRONYM = re.compile(r"[A-Z0-9 -]+")  # a treaty's abbreviation in parentheses (ICRMW, OP-ICESCR), not a State


def _text(path: Path, encoding: str = "utf-8") -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if path.suffix == ".docx":
        from docx import Document

        return "\n".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)
    return path.read_bytes().decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


def _names(text: str, numbered: bool = True) -> list[str]:
    """The States in the parentheses that end each recommendation (``… (Sweden); …``)."""
    flat = " ".join(text.replace("\u00ad", "").split())
    chunks = re.split(r"(?<![\d.])(?=\b1\d\d\.\d{1,3}\.?\s+[A-Z])", flat)[1:] if numbered else [flat]
    out: list[str] = []
    for chunk in chunks:
        for m in re.finditer(_GROUP + r"\s*[;.]", chunk):
            groups = [m.group(1)]
            before = chunk[: m.start()].rstrip()
            while before.endswith(")") and (g := re.search(_GROUP + r"$", before)):
                groups.insert(0, g.group(1))
                before = before[: g.start()].rstrip()
            for group in groups:
                out += [n.strip() for n in re.split(r",(?![^()]*\))", group) if n.strip()]
            if numbered:
                break
    # A parenthesis in the text itself ("(… and address these issues …).") starts in lower case.
    return [n for n in out if not _ACRONYM.fullmatch(n) and n[:1].isupper()]


def _fixture_names() -> dict[str, list[str]]:
    f = FIXTURES
    found: dict[str, list[str]] = {}
    for name in ("upr-info-sessions-1-5.csv", "upr-info-sessions-14-17.csv", "upr-info-sessions-17-20.csv"):
        text = (f / "upr-info" / name).read_bytes().decode("mac_roman")
        rows = csv.DictReader(io.StringIO(text, newline=""))
        # UPR Info writes "(Unknown)" (as &#40;Unknown&#41;) where it does not know the State: not a name.
        found[name] = sorted({r["From"] for r in rows} - {"&#40;Unknown&#41;"})
    documents = [
        ("ohchr-slovenia-upr4/A_HRC_59_15_working-group-report.md", "utf-8"),
        ("ohchr-slovenia-upr4/thematic-list-of-recommendations.txt", "utf-8"),
        ("ohchr-slovenia-upr2/A_HRC_28_15_working-group-report.txt", "utf-8"),
        ("ohchr-slovenia-upr2/thematic-list-of-recommendations.docx", "utf-8"),
        ("ohchr-china-upr2/matrix-of-recommendations.docx", "utf-8"),
        ("ohchr-china-upr2/matrix-of-recommendations.txt", "mac_roman"),
    ]
    if shutil.which("pdftotext"):
        documents += [
            ("ohchr-china-upr2/A_HRC_25_5_working-group-report.pdf", ""),
            ("ohchr-kazakhstan-upr2/A_HRC_28_10_working-group-report.pdf", ""),
            ("ohchr-slovenia-upr2/A_HRC_28_15_working-group-report.pdf", ""),
        ]
    for rel, enc in documents:
        found[rel] = sorted(set(_names(_text(f / rel, enc or "utf-8"))))
    china1 = _text(f / "ohchr-china-upr1/A_HRC_11_25_working-group-report.txt", "mac_roman")
    # 1st cycle: paragraphs 114-116 list the recommendations as "1. … (Sweden);" without report IDs.
    section = china1[china1.index("\n114. ") : china1.index("\n117.")]
    found["ohchr-china-upr1/A_HRC_11_25_working-group-report.txt"] = sorted(set(_names(section, numbered=False)))
    return found


@needs_fixtures
def test_every_recommending_state_in_the_real_material_has_its_code() -> None:
    found = _fixture_names()
    for source, names in found.items():
        assert len(names) >= 40, f"{source}: the test's parser found only {len(names)} names"
    missing = [(source, n) for source, names in found.items() for n in names if state_iso3(n) is None]
    assert missing == []
