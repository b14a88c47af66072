#!/usr/bin/env python3
"""A deterministic synthetic corpus in the data schema, for benchmarks and scale tests.

``write_corpus(dest, submissions=N)`` writes a complete data folder below
``dest``: the project's real vocabularies (copied) and N submissions, each
with ``sections`` section files holding paragraphs, a single finding, a
numbered finding list, an occasional quotation block or text list, a
recommendation list and the sources the text cites. Text lengths follow the
real submissions (paragraphs 300-900 characters, findings 150-600,
recommendations 100-300), tags are drawn from the vocabularies, every source
is cited with a ``[^source-id]`` marker, recommendations point at findings,
findings carry dated events and figures.

The same arguments always give byte-identical files, and submission ``i``
does not depend on how many others are written, so a corpus of N
submissions is a prefix of a corpus of N + 1. Every record ID is unique
across the whole corpus, so "the pages that show record X" is unambiguous.

Command line::

    python benchmarks/synth.py DEST --submissions 20 [--sections 5] [--recs-per-section 4] [--check]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[1]
VOCABULARIES = PROJECT / "data" / "vocabularies"

# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The IDs a synthetic record may be tagged with."""

    themes: tuple[str, ...]
    persons: tuple[str, ...]
    targets: tuple[str, ...]
    provisions: tuple[str, ...]


def read_vocabularies(folder: Path = VOCABULARIES) -> Vocabulary:
    """The term, target and provision IDs of a vocabularies folder."""

    def load(name: str) -> Any:
        return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))

    themes = tuple(t["id"] for t in load("themes")["terms"])
    persons = tuple(t["id"] for t in load("affected-persons")["terms"])
    targets = tuple(t["id"] for g in load("sdgs")["goals"] for t in g["targets"])
    provisions = tuple(p["id"] for i in load("instruments")["instruments"] for p in i.get("provisions") or [])
    return Vocabulary(themes, persons, targets, provisions)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

_SUBJECTS = (
    "the authorities",
    "the Government",
    "law enforcement officers",
    "the prosecutor's office",
    "the courts",
    "the National Security Committee",
    "local executive bodies",
    "the Ministry of Internal Affairs",
    "the migration service",
    "the police",
    "the penitentiary service",
    "the Ombudsperson",
    "the Commission on Human Rights",
    "investigators",
    "border guards",
    "regional administrations",
)
_VERBS = (
    "failed to investigate",
    "continued to restrict",
    "did not ensure",
    "systematically denied",
    "refused to register",
    "detained",
    "prosecuted",
    "imposed fines on",
    "placed under surveillance",
    "harassed",
    "did not provide access to",
    "blocked",
    "interrogated",
    "threatened",
    "deported",
    "excluded",
    "ignored complaints concerning",
    "withheld information about",
)
_OBJECTS = (
    "peaceful protesters",
    "independent journalists",
    "human rights defenders",
    "trade union leaders",
    "asylum seekers",
    "members of religious associations",
    "relatives of the victims",
    "detainees",
    "lawyers representing the victims",
    "civil society organisations",
    "stateless persons",
    "activists of unregistered parties",
    "bloggers",
    "migrant workers",
    "children in detention",
)
_CIRCUMSTANCES = (
    "during the reporting period",
    "in at least four regions",
    "despite repeated requests",
    "in violation of international standards",
    "without a court order",
    "in the aftermath of the protests",
    "contrary to the recommendations accepted in the previous cycle",
    "under the pretext of public order",
    "in pre-trial detention facilities",
    "according to testimony collected by the organisation",
    "as documented in court records",
    "without an effective remedy",
    "in the capital and in Almaty",
    "for more than two years",
    "following amendments to the law",
)
_CLAUSES = (
    "which undermines public trust in the justice system",
    "and no official was held accountable",
    "while the official statistics remain incomplete",
    "although the Constitution guarantees this right",
    "and the complaints were dismissed without examination",
    "which has a chilling effect on civil society",
    "as confirmed by several independent sources",
    "even after the UN treaty bodies expressed concern",
)
_ACTIONS = (
    ("Ensure", 4),
    ("Adopt", 5),
    ("Amend", 5),
    ("Repeal", 5),
    ("Conduct", 5),
    ("Establish", 5),
    ("Guarantee", 4),
    ("Consider", 3),
    ("Continue", 2),
    ("Take measures", 4),
    ("Investigate", 5),
    ("Publish", 5),
    ("Ratify", 5),
    ("Release", 5),
    ("Strengthen", 4),
    ("Share", 1),
    ("Review", 5),
)
_REC_OBJECTS = (
    "an independent, impartial and effective investigation into all allegations of torture",
    "the legislation on peaceful assemblies in line with article 21 of the ICCPR",
    "the notification procedure for public events instead of the permit regime",
    "access to legal aid for every detained person from the moment of detention",
    "the registration of trade unions and independent associations without undue delay",
    "statistics on complaints, investigations and convictions, disaggregated by region",
    "the criminal provisions on defamation and the dissemination of false information",
    "effective protection for human rights defenders and journalists against reprisals",
    "a national mechanism for implementing the views of the UN treaty bodies",
    "the non-refoulement principle for every asylum seeker at the border",
    "the independence of the judiciary and the transparency of judicial appointments",
    "reparation and rehabilitation for the victims and their families",
)
_REC_TAILS = (
    "within one year of the review",
    "in consultation with civil society",
    "and report on progress publicly",
    "in line with international human rights standards",
    "with adequate funding and staff",
    "and bring the perpetrators to justice",
    "before the next review cycle",
)
_UNITS = (
    "people detained",
    "complaints filed",
    "criminal cases opened",
    "organisations denied registration",
    "journalists prosecuted",
    "deaths in custody",
    "asylum applications rejected",
    "days of internet shutdown",
    "people fined",
    "convictions",
    "victims identified",
)
_EVENT_TEXTS = (
    "Mass detention of protesters",
    "Amendments to the law on public assemblies adopted",
    "Internet shutdown ordered by the authorities",
    "Trial of trade union leaders opened",
    "Independent media outlet blocked",
    "Deportation of asylum seekers",
    "Court refused to examine complaints",
    "Registration of an association refused",
    "Human rights defender arrested",
)
_STATES = (
    ("Kazakhstan", "KAZ"),
    ("Kyrgyzstan", "KGZ"),
    ("Uzbekistan", "UZB"),
    ("Tajikistan", "TJK"),
    ("Turkmenistan", "TKM"),
    ("Azerbaijan", "AZE"),
    ("Armenia", "ARM"),
    ("Georgia", "GEO"),
    ("Mongolia", "MNG"),
    ("Belarus", "BLR"),
    ("Moldova", "MDA"),
    ("Ukraine", "UKR"),
)
_ORG_WORDS = ("Legal", "Human Rights", "Civic", "Justice", "Freedom", "Public", "Democracy", "Open Society")
_ORG_KINDS = ("Initiative", "Foundation", "Bureau", "Centre", "Network", "Coalition", "Association")
_SECTION_TITLES = (
    "Legal and institutional framework",
    "Right to life",
    "Freedom of peaceful assembly",
    "Freedom of association",
    "Freedom of expression and access to information",
    "Prohibition of torture and ill-treatment",
    "Administration of justice and fair trial",
    "Refugees and asylum seekers",
    "Statelessness and the right to a nationality",
    "Rights of migrant workers",
    "Human rights defenders and civil society",
    "Freedom of religion or belief",
    "Right to privacy",
    "Political participation",
    "Trade union rights",
)
_GIVEN = (
    "Aidos",
    "Aigerim",
    "Askar",
    "Bakhyt",
    "Dana",
    "Daniyar",
    "Dinara",
    "Erlan",
    "Gulnara",
    "Inara",
    "Kairat",
    "Lyazzat",
    "Marat",
    "Nurlan",
    "Olga",
    "Rustam",
    "Saule",
    "Serik",
    "Timur",
    "Zhanna",
    "Yerzhan",
    "Madina",
    "Almas",
    "Asel",
    "Bolat",
    "Galym",
    "Kamila",
    "Max",
    "Nadezhda",
    "Ruslan",
)
_FAMILY = (
    "Abenov",
    "Akhmetova",
    "Baimukhanov",
    "Dzhaksybekov",
    "Ermekova",
    "Iskakov",
    "Kassymova",
    "Kuanyshev",
    "Mamyrov",
    "Nurgaliyeva",
    "Omarov",
    "Petrova",
    "Rakhimov",
    "Sadykova",
    "Seitkali",
    "Tokayeva",
    "Utepov",
    "Zhakupov",
    "Beisenova",
    "Dauletov",
    "Kenzhebekov",
    "Mukhametzhanov",
    "Sultanova",
    "Yessenov",
)
_PLACES = (
    "Almaty",
    "Astana",
    "Shymkent",
    "Aktobe",
    "Karaganda",
    "Taraz",
    "Pavlodar",
    "Oskemen",
    "Semey",
    "Atyrau",
    "Kostanay",
    "Kyzylorda",
    "Oral",
    "Petropavl",
    "Aktau",
    "Zhanaozen",
    "Taldykorgan",
    "Turkistan",
)
_SOURCE_KINDS = ("media", "ngo", "un", "law", "dataset", "government", "academic")
_PUBLISHERS = (
    "Human Rights Watch",
    "Amnesty International",
    "OHCHR",
    "Radio Azattyq",
    "Current Time",
    "Freedom House",
    "Kazakhstan International Bureau for Human Rights",
    "Eurasianet",
    "OSCE/ODIHR",
)
_DOMAINS = (
    "hrw.org",
    "amnesty.org",
    "ohchr.org",
    "rus.azattyq.org",
    "currenttime.tv",
    "freedomhouse.org",
    "bureau.kz",
    "eurasianet.org",
    "osce.org",
    "adilet.zan.kz",
)


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_CIRCUMSTANCES)}"
    if rng.random() < 0.4:
        s += f", {rng.choice(_CLAUSES)}"
    if rng.random() < 0.15:
        s += f" (at least {rng.randint(2, 900)} cases)"
    if rng.random() < 0.35:
        # Names, places and case numbers: the many rare words that real text has.
        s += (
            f", including in the case of {rng.choice(_GIVEN)} {rng.choice(_FAMILY)} in {rng.choice(_PLACES)}"
            f" (case No. {rng.randint(1000, 99999)}-{rng.randint(10, 99)})"
        )
    if rng.random() < 0.1:
        words = s.split(" ")
        i = rng.randrange(1, len(words))
        words[i] = f"*{words[i].strip(',')}*" + ("," if words[i].endswith(",") else "")
        s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def _text(rng: random.Random, lo: int, hi: int, markers: list[str] = ()) -> str:  # type: ignore[assignment]
    """Sentences adding up to ``lo``-``hi`` characters; ``[^id]`` markers follow sentences."""
    target = rng.randint(lo, hi)
    sentences: list[str] = []
    length = 0
    while True:
        s = _sentence(rng)
        if sentences and length + len(s) + 1 > hi:
            break
        sentences.append(s)
        length += len(s) + 1
        if length >= target:
            break
    for k, marker in enumerate(markers):
        i = min(len(sentences) - 1, (k * len(sentences)) // max(1, len(markers)) + rng.randint(0, 1))
        sentences[i] = sentences[i][:-1] + f"[^{marker}]."
    return " ".join(sentences)


def _recommendation_text(rng: random.Random, verb: str) -> str:
    parts = [f"{verb} {rng.choice(_REC_OBJECTS)}"]
    while len(" ".join(parts)) < 100 or (rng.random() < 0.5 and len(" ".join(parts)) < 200):
        parts.append(rng.choice(_REC_TAILS) if rng.random() < 0.6 else f"and {rng.choice(_REC_OBJECTS)}")
    text = ", ".join(parts[:1] + [" ".join(parts[1:])]) if len(parts) > 1 else parts[0]
    return text[:299].rstrip(" ,") + "."


def _pick(rng: random.Random, pool: tuple[str, ...], lo: int, hi: int) -> list[str]:
    return rng.sample(pool, min(len(pool), rng.randint(lo, hi)))


def _partial_date(rng: random.Random, year_lo: int = 2017, year_hi: int = 2024) -> str:
    y = rng.randint(year_lo, year_hi)
    r = rng.random()
    if r < 0.15:
        return str(y)
    if r < 0.5:
        return f"{y}-{rng.randint(1, 12):02d}"
    return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How many records each section holds."""

    sections: int = 5
    recs_per_section: int = 4
    findings_per_section: int = 4
    paragraphs_per_section: int = 3
    sources_per_section: int = 3


def submission_id(i: int) -> str:
    """The ID of the ``i``-th synthetic submission (1-based)."""
    return f"synth-{i:05d}-{_STATES[(i - 1) % len(_STATES)][1].lower()}"


def recommendation_id(i: int, section: int, k: int) -> str:
    """The ID of recommendation ``k`` of section ``section`` of submission ``i`` (all 1-based)."""
    return f"r-{i:05d}-{section}-{k}"


def _finding(
    rng: random.Random, vocab: Vocabulary, fid: str, number: int | None, markers: list[str], extra_sources: list[str]
) -> dict[str, Any]:
    f: dict[str, Any] = {"id": fid}
    if number is not None:
        f["number"] = number
    f["text"] = _text(rng, 150, 600, markers)
    f["kind"] = rng.choice(("fact", "fact", "conclusion", "allegation", "legal-analysis"))
    if rng.random() < 0.3:
        f["status"] = rng.choice(("preliminary", "contested", "established"))
    if extra_sources:
        f["sources"] = extra_sources
    f["provisions"] = _pick(rng, vocab.provisions, 1, 3)
    f["themes"] = _pick(rng, vocab.themes, 1, 3)
    f["affected_persons"] = _pick(rng, vocab.persons, 1, 2)
    if rng.random() < 0.6:
        events = []
        for _ in range(rng.randint(1, 2)):
            start = _partial_date(rng)
            e: dict[str, Any] = {"date": start}
            if rng.random() < 0.25 and len(start) == 10:
                e["end"] = f"{int(start[:4]) + 1}{start[4:]}"
            e["description"] = rng.choice(_EVENT_TEXTS)
            events.append(e)
        f["events"] = events
    if rng.random() < 0.5:
        f["figures"] = [
            {
                "value": str(rng.randint(2, 5000)),
                "qualifier": rng.choice(("exact", "more-than", "about", "at-least")),
                "unit": rng.choice(_UNITS),
            }
            for _ in range(rng.randint(1, 2))
        ]
    return f


def _section(
    rng: random.Random, vocab: Vocabulary, shape: Shape, i: int, s: int, all_findings: list[str]
) -> dict[str, Any]:
    sources = [f"src-{i:05d}-{s}-{k}" for k in range(1, shape.sources_per_section + 1)]
    # Each source is cited by at least one paragraph or finding; some twice.
    carriers = shape.paragraphs_per_section + shape.findings_per_section
    cites: list[list[str]] = [[] for _ in range(carriers)]
    for k, sid in enumerate(sources):
        cites[(k * 2 + rng.randint(0, 1)) % carriers].append(sid)
        if rng.random() < 0.3:
            cites[rng.randrange(carriers)].append(sid)
    cites = [list(dict.fromkeys(c)) for c in cites]

    paragraphs = []
    for k in range(shape.paragraphs_per_section):
        p: dict[str, Any] = {
            "type": "paragraph",
            "id": f"p-{i:05d}-{s}-{k + 1}",
            "text": _text(rng, 300, 900, cites[k]),
        }
        if rng.random() < 0.15 and vocab.provisions:
            words = p["text"].split(" ")
            a = rng.randrange(0, max(1, len(words) - 6))
            quote = " ".join(words[a : a + 5]).strip()
            if quote and "[^" not in quote and "*" not in quote:
                p["quotes"] = [{"provision": rng.choice(vocab.provisions), "text": quote}]
        paragraphs.append(p)

    findings: list[dict[str, Any]] = []
    for k in range(shape.findings_per_section):
        fid = f"f-{i:05d}-{s}-{k + 1}"
        extra = [rng.choice(sources)] if sources and rng.random() < 0.1 else []
        number = None if k == 0 else k
        findings.append(_finding(rng, vocab, fid, number, cites[shape.paragraphs_per_section + k], extra))
    own = [f["id"] for f in findings]
    all_findings.extend(own)

    recs = []
    for k in range(1, shape.recs_per_section + 1):
        verb, category = rng.choice(_ACTIONS)
        r: dict[str, Any] = {
            "id": recommendation_id(i, s, k),
            "number": k,
            "text": _recommendation_text(rng, verb),
            "action_category": category,
            "action_verb": verb,
        }
        if rng.random() < 0.15:
            r["addressee"] = rng.choice(_SUBJECTS).capitalize()
        r["themes"] = _pick(rng, vocab.themes, 1, 3)
        r["affected_persons"] = _pick(rng, vocab.persons, 1, 3)
        r["sdg_targets"] = _pick(rng, vocab.targets, 0, 2)
        r["provisions"] = _pick(rng, vocab.provisions, 0, 2)
        pool = own if rng.random() < 0.8 or len(all_findings) == len(own) else all_findings
        r["findings"] = rng.sample(pool, min(len(pool), rng.randint(1, 3))) if pool else []
        if rng.random() < 0.3:
            # an earlier cycle's recommendation, cited by the report's symbol (a review not in the corpus)
            r["follows_up"] = [f"A/HRC/43/10#141.{rng.randint(1, 250)}"]
            rng.random()
        # The draws of the retired 'response' and 'implementation' fields are kept, so the rest of the
        # corpus (and the benchmark figures measured on it) stays as it was.
        rng.choice(("pending", "pending", "supported", "supported-in-part", "noted"))
        if rng.random() < 0.2:
            for _ in range(5):
                rng.randint(1, 12)
            rng.choice(("in-progress", "partially-implemented", "regressed"))
            _text(rng, 60, 160)
            rng.choice(sources)
        recs.append(r)

    body: list[dict[str, Any]] = [paragraphs[0]]
    if findings:
        body.append({"type": "finding", "finding": findings[0]})
    body.extend(paragraphs[1:2])
    if len(findings) > 1:
        body.append(
            {"type": "findings", "label": "The organisation concludes that:", "style": "ordered", "items": findings[1:]}
        )
    if rng.random() < 0.3 and vocab.provisions:
        body.append(
            {
                "type": "quote",
                "id": f"q-{i:05d}-{s}",
                "text": _text(rng, 150, 400),
                "provision": rng.choice(vocab.provisions),
            }
        )
    if rng.random() < 0.3:
        body.append(
            {
                "type": "list",
                "id": f"l-{i:05d}-{s}",
                "style": rng.choice(("bullet", "ordered")),
                "items": [_text(rng, 40, 160) for _ in range(rng.randint(2, 5))],
            }
        )
    body.extend(paragraphs[2:])
    if recs:
        body.append({"type": "recommendations", "label": "Recommendations:", "style": "ordered", "items": recs})

    section_sources = []
    for k, sid in enumerate(sources):
        kind = rng.choice(_SOURCE_KINDS)
        src: dict[str, Any] = {"id": sid, "kind": kind}
        if rng.random() < 0.7:
            src["title"] = _text(rng, 30, 90).rstrip(".")
        src["author"] = rng.choice(_PUBLISHERS)
        if rng.random() < 0.3 or "title" not in src:
            src["citation"] = _text(rng, 40, 140)
        if rng.random() < 0.85:
            src["url"] = f"https://www.{rng.choice(_DOMAINS)}/{i}/{s}/{k + 1}/report-{rng.randint(1000, 99999)}"
        if rng.random() < 0.6:
            src["published"] = _partial_date(rng)
        if rng.random() < 0.2:
            src["accessed"] = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        section_sources.append(src)

    title = _SECTION_TITLES[(i + s) % len(_SECTION_TITLES)]
    return {"id": f"section-{s}", "number": s, "title": title, "body": body, "sources": section_sources}


def _submission(rng: random.Random, i: int, shape: Shape) -> dict[str, Any]:
    state, iso3 = _STATES[(i - 1) % len(_STATES)]
    org = f"{rng.choice(_ORG_WORDS)} {rng.choice(_ORG_KINDS)} {i}"
    year = rng.randint(2022, 2027)
    return {
        "id": submission_id(i),
        "title": f"Submission of the {org} on the Universal Periodic Review of {state}",
        "organisation": {
            "name": org,
            "abbreviation": "".join(w[0] for w in org.split() if w[0].isupper()),
            "founded": rng.randint(1990, 2020),
            "description": _text(rng, 120, 300),
        },
        "submission_type": "individual",
        "state": {"name": state, "iso3": iso3},
        "cycle": 4,
        "session": rng.randint(41, 52),
        "review_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "language": "en",
        "documents": [
            {"symbol": f"A/HRC/WG.6/{rng.randint(41, 52)}/{iso3}/1", "kind": "national-report", "cycle": 4},
            {"symbol": f"A/HRC/WG.6/{rng.randint(41, 52)}/{iso3}/2", "kind": "un-compilation", "cycle": 4},
        ],
        "sections": [f"section-{s}" for s in range(1, shape.sections + 1)],
    }


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)


def write_corpus(
    dest: Path,
    submissions: int,
    sections: int = 5,
    recs_per_section: int = 4,
    findings_per_section: int = 4,
    paragraphs_per_section: int = 3,
    sources_per_section: int = 3,
    seed: int = 0,
    vocabularies: Path = VOCABULARIES,
) -> dict[str, int]:
    """Write a data folder with ``submissions`` synthetic submissions below ``dest``.

    ``dest/vocabularies`` and ``dest/submissions`` are replaced. Returns the
    counts written: submissions, sections, paragraphs, findings,
    recommendations, sources, records (findings + recommendations + sources +
    paragraphs), files and bytes.
    """
    dest = Path(dest)
    if dest.resolve() == (PROJECT / "data").resolve():
        raise ValueError("refusing to overwrite the project's own data folder")
    if not 1 <= sections <= 99:
        raise ValueError("sections must be between 1 and 99")
    shape = Shape(sections, recs_per_section, findings_per_section, paragraphs_per_section, sources_per_section)
    vocab = read_vocabularies(vocabularies)
    for sub in ("vocabularies", "submissions"):
        if (dest / sub).exists():
            shutil.rmtree(dest / sub)
    shutil.copytree(vocabularies, dest / "vocabularies")
    counts = dict.fromkeys(
        (
            "submissions",
            "sections",
            "paragraphs",
            "findings",
            "recommendations",
            "sources",
            "records",
            "files",
            "bytes",
        ),
        0,
    )
    for i in range(1, submissions + 1):
        rng = random.Random(f"uprkb-synth:{seed}:{i}")
        meta = _submission(rng, i, shape)
        folder = dest / "submissions" / meta["id"]
        (folder / "sections").mkdir(parents=True)
        files = {folder / "submission.yaml": meta}
        all_findings: list[str] = []
        for s in range(1, sections + 1):
            section = _section(rng, vocab, shape, i, s, all_findings)
            files[folder / "sections" / f"{s:02d}-{section['id']}.yaml"] = section
        for path, data in files.items():
            text = _dump(data)
            path.write_text(text, encoding="utf-8")
            counts["files"] += 1
            counts["bytes"] += len(text.encode("utf-8"))
        counts["submissions"] += 1
        counts["sections"] += sections
        counts["paragraphs"] += sections * paragraphs_per_section
        counts["findings"] += sections * findings_per_section
        counts["recommendations"] += sections * recs_per_section
        counts["sources"] += sections * sources_per_section
    counts["records"] = counts["findings"] + counts["recommendations"] + counts["sources"] + counts["paragraphs"]
    return counts


def recommendation_file(dest: Path, rec_id: str) -> Path:
    """The section file of a synthetic corpus that holds recommendation ``rec_id``."""
    _r, i, s, _k = rec_id.split("-")
    return Path(dest) / "submissions" / submission_id(int(i)) / "sections" / f"{int(s):02d}-section-{int(s)}.yaml"


def edit_recommendation(dest: Path, rec_id: str, new_text: str) -> Path:
    """Replace the text of one recommendation in its YAML file; returns the file.

    Only the one ``text:`` line changes: the file is re-emitted by the same
    writer that made it, so every other line stays byte-identical.
    """
    path = recommendation_file(dest, rec_id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for block in data["body"]:
        if block.get("type") == "recommendations":
            for item in block["items"]:
                if item["id"] == rec_id:
                    item["text"] = new_text
                    path.write_text(_dump(data), encoding="utf-8")
                    return path
    raise KeyError(rec_id)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "dest", type=Path, help="the data folder to write (its vocabularies/ and submissions/ are replaced)"
    )
    ap.add_argument("--submissions", "-n", type=int, required=True)
    ap.add_argument("--sections", type=int, default=5)
    ap.add_argument("--recs-per-section", type=int, default=4)
    ap.add_argument("--findings-per-section", type=int, default=4)
    ap.add_argument("--paragraphs-per-section", type=int, default=3)
    ap.add_argument("--sources-per-section", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", action="store_true", help="validate the corpus afterwards (uprkb.check.validate.check)")
    args = ap.parse_args(argv)
    counts = write_corpus(
        args.dest,
        args.submissions,
        args.sections,
        args.recs_per_section,
        args.findings_per_section,
        args.paragraphs_per_section,
        args.sources_per_section,
        args.seed,
    )
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    if args.check:
        sys.path.insert(0, str(PROJECT / "src"))
        from uprkb.check.validate import check

        result = check(args.dest)
        for p in result.problems.sorted():
            print(p, file=sys.stderr)
        print(f"errors={len(result.problems.errors)} warnings={len(result.problems.warnings)}")
        return 1 if result.problems.errors else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
