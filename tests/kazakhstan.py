"""A small 2nd-cycle review of Kazakhstan (A/HRC/28/10, three of its recommendations, written for these
tests from the report) and helpers that plant it, with follow-up records, into a copy of the seed data."""

from __future__ import annotations

from pathlib import Path

REVIEW_ID = "kaz-upr2"
SYMBOL = "A/HRC/28/10"

REVIEW_YAML = """\
id: kaz-upr2
state: {name: Kazakhstan, iso3: KAZ}
cycle: 2
session: 20
review_date: "2014-10-30"
report: A/HRC/28/10
addendum: A/HRC/28/10/Add.1
imports:
- format: wg-report
  file: A_HRC_28_10_working-group-report.txt
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
  imported: "2026-01-05"
  records: 3
"""

RECOMMENDATIONS_YAML = """\
review: kaz-upr2
recommendations:
- id: "122.60"
  text: Ensure that the rights to freedom of peaceful assembly and association are respected.
  recommending_states: [{name: Norway}]
  position: supported
  themes: [freedom-of-assembly]
  action_category: 4
  provenance: [wg-report]
- id: "122.61"
  text: Bring the law on public associations into line with international standards.
  recommending_states: [{name: Czechia}]
  position: noted
  provenance: [wg-report]
- id: "122.62"
  text: Guarantee the independence of the judiciary.
  recommending_states: [{name: Austria}]
  position: supported
  provenance: [wg-report]
"""


def plant_review(data: Path) -> Path:
    """Write the review into ``data/reviews/kaz-upr2/``; returns its folder."""
    folder = data / "reviews" / REVIEW_ID
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "review.yaml").write_text(REVIEW_YAML, encoding="utf-8")
    (folder / "recommendations.yaml").write_text(RECOMMENDATIONS_YAML, encoding="utf-8")
    return folder
