"""The report and addendum grammar as tables of small sentences of our own, and properties over
shuffled clusters, ranges split over lines and typographic dashes and quotes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uprkb.importers.grammar import lead_in, read_sentence
from uprkb.importers.layout import read_section
from uprkb.importers.responses import parse_id_list, position_of, stated_counts
from uprkb.importers.text import join_lines, split_states, state_iso3, words_of


def section(*lines: str) -> str:
    closing = "99. All conclusions and/or recommendations contained in the present report reflect the position."
    return "\n".join(["II. Conclusions and/or recommendations", *lines, closing])


@pytest.mark.parametrize(
    ("lines", "ids", "read_as"),
    [
        (
            [
                "90. The following recommendations enjoy the support of Ruritania:",
                "90.1 Ratify the convention (Chile);",
                "90.2 Ratify the covenant (Albania).",
            ],
            ["90.1", "90.2"],
            {},
        ),
        (
            ["90. The following:", "90.1. Ratify the covenant (Albania);", "90.2.", "Set out a timetable (Chile)."],
            ["90.1", "90.2"],
            {},
        ),
        (
            ["90. The following:", "1. Intensify campaigns (Jordan);", "2 Adopt a plan (Chile);", "3. Adopt (Peru)."],
            ["90.1", "90.2", "90.3"],
            {"90.2": "printed 2 without its dot, read as item 2."},
        ),
        (
            ["90. The following:", "90.1 Ratify (Chile);", "89.2 Adopt (Peru);", "90.3 Adopt (Peru)."],
            ["90.1", "90.2", "90.3"],
            {"90.2": "printed 89.2, read as 90.2 (the paragraph is 90)"},
        ),
        (
            ["90. The following:", "90.1 Ratify (Chile);", "90.9 Adopt (Peru);", "90.3 Adopt (Peru)."],
            ["90.1", "90.2", "90.3"],
            {"90.2": "printed 90.9, read as 90.2 (between 90.1 and 90.3)"},
        ),
        (
            [
                "90. The following:",
                "1. Ratify (Chile);",
                "2. Adopt (Peru)",
                "3. Adopt in",
                "2015 and assess it (Sudan);",
                "91. The following will be examined by Ruritania:",
                "1. Adopt (Peru).",
            ],
            ["90.1", "90.2", "90.3", "91.1"],
            {},
        ),
        (
            [
                "90. The following:",
                "1. Ratify (Chile);",
                "2. Adopt (Peru);",
                "Page 7",
                "A/HRC/8/45",
                "3. Adopt (Peru).",
            ],
            ["90.1", "90.2", "90.3"],
            {},
        ),
    ],
)
def test_item_numbering_is_read_as_a_sequence(lines: list[str], ids: list[str], read_as: dict[str, str]) -> None:
    laid = read_section(section(*lines))
    assert [i.id for p in laid.paragraphs for i in p.items] == ids
    assert {i.id: i.read_as for p in laid.paragraphs for i in p.items if i.read_as} == read_as
    assert not laid.misfits


def test_a_number_the_sequence_cannot_place_is_a_misfit() -> None:
    laid = read_section(section("90. The following:", "90.1 Ratify (Chile);", "90.5 Adopt (Peru);", "90.6 Adopt."))
    assert [(m.printed, m.reason) for m in laid.misfits] == [("90.5", "it follows 90.1: 90.2–90.4 is missing")]


@pytest.mark.parametrize(
    ("lead", "position", "claim"),
    [
        ("The following recommendations enjoy the support of Ruritania:", "supported", None),
        ("The recommendations listed below enjoyed the support of Ruritania", "supported", None),
        (
            "The following recommendations enjoy the support of Ruritania, which considers that they have "
            "already been implemented.",
            "supported",
            "implemented",
        ),
        (
            "The following recommendations enjoy the support of Ruritania, which considers that they are in "
            "the process of being implemented.",
            "supported",
            "in-progress",
        ),
        ("The following recommendations did not enjoy the support of Ruritania and would be noted:", "noted", None),
        (
            "The following recommendations are noted and Ruritania indicated that they are pertaining to measures "
            "already being implemented:",
            "noted",
            "in-progress",
        ),
        ("The following recommendations will be examined by Ruritania, which will provide responses", "unknown", None),
        ("The recommendations listed below will examine", "unknown", None),
        ("The delegation thanked all for a constructive dialogue.", None, None),
    ],
)
def test_report_lead_ins(lead: str, position: str | None, claim: str | None) -> None:
    said = lead_in(lead)
    assert (said.position, said.claim) == (position, claim)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Government accepts recommendations", ("supported", None)),
        ("Ruritania supports the following", ("supported", None)),
        ("Supported", ("supported", None)),
        ("Noted", ("noted", None)),
        ("The Government notes recommendations", ("noted", None)),
        ("The Government takes note of", ("noted", None)),
        ("The Government rejects", ("noted", None)),
        ("Ruritania does not accept", ("noted", None)),
        ("Ruritania supports in part", ("supported-in-part", None)),
        ("The Government partially supports", ("supported-in-part", None)),
        (
            "Accepted recommendations that Ruritania considers already implemented or in process of implementation "
            "3. The Government accepts",
            ("supported", "implemented-or-in-progress"),
        ),
        ("The Government welcomes", (None, None)),
    ],
)
def test_addendum_verbs(text: str, expected: tuple[str | None, str | None]) -> None:
    assert position_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ruritania received 12 recommendations, of which 9 are supported and 3 noted.", (12, 9, 3)),
        ("The report contains 12 recommendations. The Government accepts 9 recommendations. It notes 3", (12, 9, 3)),
        ("Of the 12 recommendations, 9 were accepted and 3 noted.", (12, 9, 3)),
    ],
)
def test_stated_totals(text: str, expected: tuple[int, int, int]) -> None:
    c = stated_counts(text)
    assert (c.get("received"), c.get("supported"), c.get("noted")) == expected


@pytest.mark.parametrize(
    ("text", "bare", "expected"),
    [
        ("1–5, 14–\n16, 20.", "115", [f"115.{n}" for n in (1, 2, 3, 4, 5, 14, 15, 16, 20)]),
        ("150 – 152, 159", "115", ["115.150", "115.151", "115.152", "115.159"]),
        ("140.7\u201410, 140.12", None, ["140.7", "140.8", "140.9", "140.10", "140.12"]),
    ],
)
def test_id_lists_bare_and_dashes(text: str, bare: str | None, expected: list[str]) -> None:
    listed, bad = parse_id_list(text, 0, bare)
    assert not bad and [x.id for x in listed] == expected


def test_merged_recommendation_keeps_every_state() -> None:
    text, states = split_states(
        "Ratify the covenant (Albania); Ratify it soon (Sierra Leone);Analyse ratifying it (Argentina, Brazil); "
        "Consider it (Iran (Islamic Republic of)); Ratify it (Lao People\u2019s Democratic Republic);"
    )
    assert states == ["Albania", "Sierra Leone", "Argentina", "Brazil", "Iran (Islamic Republic of)",
                      "Lao People\u2019s Democratic Republic"]  # fmt: skip
    assert text.startswith("Ratify the covenant (Albania); Ratify it soon") and text.endswith("Ratify it")


@pytest.mark.parametrize(
    ("name", "iso3"),
    [("Democratic People\u2019s Republic of Korea", "PRK"), ("Lao People\u2019s Democratic Republic", "LAO")],
)
def test_typographic_apostrophes_in_state_names(name: str, iso3: str) -> None:
    assert state_iso3(name) == iso3


@pytest.mark.parametrize(
    ("lines", "document", "expected"),
    [
        (["uphold the principle of non-", "refoulement always"], "", "uphold the principle of non-refoulement always"),
        (["uphold the principle of non-", "refoulement"], "nonrefoulement", "uphold the principle of nonrefoulement"),
        (["complete the ratifica-", "tion process"], "the ratification", "complete the ratification process"),
        (["a socio-", "economic plan"], "", "a socio-economic plan"),
    ],
)
def test_line_end_hyphen_only_removed_when_attested(lines: list[str], document: str, expected: str) -> None:
    assert join_lines(lines, words_of(document + " " + " ".join(lines))) == expected


CLUSTERS = [
    ("The Government accepts the recommendations", "supported"),
    ("The Government supports recommendations", "supported"),
    ("The Government takes note of recommendations", "noted"),
    ("The Government rejects recommendations", "noted"),
    ("The Government supports in part recommendations", "supported-in-part"),
]
DASHES = ["-", "\u2013", "\u2014", "- ", " \u2013 ", "\u2013\n"]


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.lists(st.sampled_from(DASHES), min_size=30, max_size=30))
def test_shuffled_clusters_and_split_ranges_give_every_id_its_position(rnd: random.Random, dashes: list[str]) -> None:
    ids = list(range(1, 31))
    rnd.shuffle(ids)
    chunks = [sorted(ids[i : i + 6]) for i in range(0, 30, 6)]
    order = list(range(5))
    rnd.shuffle(order)
    expected: dict[str, str] = {}
    paragraphs = []
    for n, k in enumerate(order, 3):
        wording, position = CLUSTERS[k]
        parts, j = [], 0
        chunk = chunks[k]
        while j < len(chunk):
            end = j
            while end + 1 < len(chunk) and chunk[end + 1] == chunk[end] + 1:
                end += 1
            parts.append(f"77.{chunk[j]}{dashes[j]}{chunk[end]}" if end > j else f"77.{chunk[j]}")
            j = end + 1
        for i in chunk:
            expected[f"77.{i}"] = position
        listing = ",\n".join(parts) if rnd.random() < 0.5 else ", ".join(parts)
        paragraphs.append(f"{n}. {wording} {listing}.")
    got: dict[str, str] = {}
    for para in paragraphs:
        start = para.index("77.")
        position, _claim = position_of(para[:start])
        listed, bad = parse_id_list(para, start)
        assert not bad, para
        for x in listed:
            assert position is not None
            got[x.id] = position
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "meaning", "position", "claim", "target"),
    [
        ("The recommendations listed below enjoy its support:", "position", "supported", None, "own"),
        ("It accepts the following recommendations:", "position", "supported", None, "own"),
        ("Ruritania has accepted the following recommendations:", "position", "supported", None, "own"),
        ("Ruritania will consider the following recommendations:", "pending", "unknown", None, "own"),
        ("Ruritania considers that the recommendations below cannot be accepted and will thus be noted:",
         "position", "noted", None, "own"),
        ("The recommendations listed below were rejected by Ruritania for the following reasons:",
         "position", "noted", None, "own"),
        ("Responses to the following recommendations will be provided by Ruritania in due time:",
         "pending", "unknown", None, "own"),
        ("The response of Ruritania to these recommendations will be included in the outcome report.",
         "pending", "unknown", None, "above"),
        ("All recommendations formulated during the interactive dialogue have been examined by Ruritania and "
         "enjoy the support of Ruritania.", "position", "supported", None, "all"),
        ("The following enjoy the support of Ruritania which considers that they are already implemented.",
         "position", "supported", "implemented", "own"),
        ("Ruritania considers that recommendation 115.10 above has already been implemented.",
         "claim", None, "implemented", "ids"),
        ("The recommendation contained in paragraph 103, No. 7, did not enjoy the support of Ruritania.",
         "position", "noted", None, "ids"),
        ("The recommendations in paragraph 95 above enjoy the support of Ruritania.",
         "position", "supported", None, "paragraphs"),
        ("With regard to the recommendations in paragraphs 109.2 and 109. 10 above, Ruritania indicated that it "
         "might consider acceding to the Rome Statute.", "comment", None, None, "ids"),
        ("The recommendations noted in the report in paragraphs 24(b), 37(a), above did not enjoy the support of "
         "Ruritania.", "points-back", "noted", None, "own"),
        ("The following recommendations enjoy the support of Ruritania, except recommendations 5 and 6, which are "
         "noted:", "not-understood", None, None, "items"),
        ("The recommendations below enjoy the support of Ruritania, which rejects recommendation 4:",
         "not-understood", None, None, "items"),
        ("The recommendations below were welcomed by Ruritania:", "not-understood", None, None, "own"),
        ("In the course of the discussion, the following recommendations were made to Ruritania:",
         "neutral", None, None, "own"),
        ("All conclusions and/or recommendations contained in the present report reflect the position of the "
         "submitting State(s).", "closing", None, None, "own"),
    ],
)  # fmt: skip
def test_sentences_about_recommendations(
    sentence: str, meaning: str, position: str | None, claim: str | None, target: str
) -> None:
    """Each sentence is read into one meaning with what it points at, or said not understood."""
    r = read_sentence(sentence)
    assert (r.meaning, r.position, r.claim, r.target.kind) == (meaning, position, claim, target)
