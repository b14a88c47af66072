"""How good are the suggested matches? Precision at 1 and recall at 5 on hand-labelled pairs.

    python benchmarks/suggest_bench.py [--top 5]

The queries are the 17 recommendations of the follow-up test submissions
(``tests/samples/followup-submission/``, test data): each was written, in its own words, to
paraphrase one specific recommendation Slovenia received in its 4th-cycle review (chosen to spread
over the review's subjects: treaties, statelessness, the Ombudsman, hate speech, prisons, juvenile
justice, journalists, defamation, the "erased", child marriage, Roma, gender recognition, asylum,
disability, a children's ombudsman). The candidates are the review's 254 recommendations, imported
from ``../shared/fixtures/ohchr-slovenia-upr4/`` with the three importers.

The labels (:data:`GOLD`) were set by hand before any ranking was run: for each query, the
recommendation it paraphrases and every other recommendation of the review that asks the State
for the same thing (read through the whole list, e.g. all four on the Optional Protocol to the
ICESCR), and nothing that merely shares the subject. Because the queries were written with their
targets in view, the figures are an optimistic reading of how the method does on a real
organisation's words.

Precision at 1: the share of queries whose best candidate is labelled. Recall at 5: for each query,
the share of its labelled recommendations among the 5 best, averaged over queries (and, as
"micro", pooled over all labels). The speed of ranking is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from uprkb.authoring.suggest import METHOD, rank  # noqa: E402
from uprkb.check.validate import check  # noqa: E402
from uprkb.importers import ReadOptions, load_mapper, run_import  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures" / "ohchr-slovenia-upr4"
SAMPLES = ROOT / "tests" / "samples" / "followup-submission"
REVIEW = "svn-upr4"

#: Query (a sample recommendation's ID) → the Slovenia recommendations that ask the same thing.
GOLD: dict[str, frozenset[str]] = {
    "t-fu-r-opicescr": frozenset({"140.7", "140.8", "140.9", "140.10"}),
    "t-fu-r-statelessness": frozenset({"140.11", "140.12", "140.13", "140.14", "140.253"}),
    "t-fu-r-ombudsman": frozenset({"140.18", "140.19"}),
    "t-fu-r-hate-speech": frozenset({"140.32", "140.41", "140.44", "140.60"}),
    "t-fu-r-prisons": frozenset({"140.50", "140.51", "140.52"}),
    "t-fu-r-juvenile-justice": frozenset({"140.61"}),
    "t-fu-r-women-journalists": frozenset({"140.63", "140.64", "140.187"}),
    "t-fu-r-defamation": frozenset({"140.69", "140.70"}),
    "t-fu-r-erased": frozenset({"140.72", "140.73", "140.74", "140.75"}),
    "t-fu-r-child-marriage": frozenset({"140.77", "140.78", "140.79", "140.80"}),
    "t-fu-r-roma-water": frozenset({"140.212", "140.216", "140.217", "140.223", "140.224"}),
    "t-fu-r-gender-recognition": frozenset({"140.235", "140.236", "140.237", "140.238", "140.239"}),
    "t-fu-r-asylum-housing": frozenset({"140.247"}),
    "t-fu-r-disability-definition": frozenset({"140.197", "140.198", "140.199", "140.200", "140.201"}),
    "t-fu-r-child-ombudsman": frozenset({"140.188"}),
    "t-sw-r-opicescr": frozenset({"140.7", "140.8", "140.9", "140.10"}),
    "t-sw-r-roma": frozenset({"140.212", "140.216", "140.217", "140.223", "140.224"}),
}


def evaluate(ranked: dict[str, list[str]], gold: dict[str, frozenset[str]], k: int = 5) -> dict[str, float]:
    """Precision at 1, recall at ``k`` (averaged over queries and pooled) and the mean reciprocal rank."""
    p1 = sum(1 for q, ids in ranked.items() if ids and ids[0] in gold[q]) / len(ranked)
    recall = sum(len(set(ids[:k]) & gold[q]) / len(gold[q]) for q, ids in ranked.items()) / len(ranked)
    pooled = sum(len(set(ids[:k]) & gold[q]) for q, ids in ranked.items()) / sum(len(gold[q]) for q in ranked)
    mrr = 0.0
    for q, ids in ranked.items():
        first = next((i for i, x in enumerate(ids, 1) if x in gold[q]), None)
        mrr += 1 / first if first else 0.0
    return {"precision_at_1": p1, f"recall_at_{k}": recall, f"recall_at_{k}_micro": pooled, "mrr": mrr / len(ranked)}


def prepare(dest: Path) -> Path:
    """A data folder: the project's data, the Slovenia review imported, the follow-up samples."""
    data = dest / "data"
    shutil.copytree(ROOT / "data", data)
    files = [
        ("wg-report", "A_HRC_59_15_working-group-report.md"),
        ("responses", "A_HRC_59_15_Add1_state-responses.txt"),
        ("ohchr-matrix", "thematic-list-of-recommendations.txt"),
    ]
    for fmt, name in files:
        options = ReadOptions(data_dir=data, mapper=load_mapper(data))
        run_import(fmt, FIXTURES / name, options, today=dt.date(2026, 1, 5))
    for sub in SAMPLES.iterdir():
        if sub.is_dir():
            shutil.copytree(sub, data / "submissions" / sub.name)
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--top", type=int, default=5, help="candidates kept per query (recall is measured at 5)")
    args = ap.parse_args()
    if not FIXTURES.exists():
        print(f"skipped: {FIXTURES} is absent (the real UPR material is not beside the checkout)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        result = check(prepare(Path(tmp)))
        if not result.ok or result.kb is None:
            print("\n".join(p.format() for p in result.problems.errors))
            return 1
        kb = result.kb
        review = kb.reviews[REVIEW]
        queries = {r.id: r.text for s in kb.submissions for r in s.recommendations if r.id in GOLD}
        missing = set(GOLD) - set(queries)
        if missing:
            print(f"labelled queries missing from the samples: {sorted(missing)}")
            return 1
        t0 = time.perf_counter()
        best = rank(list(queries.values()), review, max(args.top, 5))
        elapsed = time.perf_counter() - t0
        ranked = {q: [review.recommendations[i].id for i, _ in b] for q, b in zip(queries, best, strict=True)}
        scores = {q: [s for _, s in b] for q, b in zip(queries, best, strict=True)}
    figures = evaluate(ranked, GOLD)
    print(f"Suggestion quality on {len(GOLD)} hand-labelled queries ({sum(map(len, GOLD.values()))} labelled pairs)")
    print(f"against the {len(review.recommendations)} recommendations of {REVIEW}; method: {METHOD}")
    print()
    print("| query | labelled | top 5 (hits marked *) | best score |")
    print("|---|---|---|---|")
    for q, ids in ranked.items():
        top = ", ".join(f"{x}*" if x in GOLD[q] else x for x in ids[:5])
        print(f"| {q} | {len(GOLD[q])} | {top} | {scores[q][0]:.1f} |")
    print()
    print(f"precision at 1:        {figures['precision_at_1']:.3f}")
    print(f"recall at 5 (mean):    {figures['recall_at_5']:.3f}")
    print(f"recall at 5 (pooled):  {figures['recall_at_5_micro']:.3f}")
    print(f"mean reciprocal rank:  {figures['mrr']:.3f}")
    per_query = elapsed / len(queries) * 1000
    print(f"ranking time:          {elapsed * 1000:.1f} ms for {len(queries)} queries ({per_query:.2f} ms each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
