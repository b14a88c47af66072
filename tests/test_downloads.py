"""Each submission's downloads are its slice of the whole knowledge base's: the same records, rows and bytes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from benchmarks.synth import write_corpus
from tests.project import SEED_VOCABULARIES
from uprkb.check.validate import check
from uprkb.exports.downloads import RECOMMENDATION_COLUMNS, downloads, records
from uprkb.index.kb import public_index
from uprkb.present.links import Permalinks

URL = "https://upr-kb.example.org/"
VOCABULARY_KINDS = {"theme", "affected-persons", "sdg-target", "instrument", "provision"}


def test_each_submission_download_is_its_slice_of_the_whole(tmp_path: Path) -> None:
    write_corpus(tmp_path / "data", 3, vocabularies=SEED_VOCABULARIES)
    result = check(tmp_path / "data")
    assert result.ok and result.kb is not None, result.problems.errors[:3]
    kb = public_index(result.kb, result.dataset)
    files = downloads(kb, Permalinks(URL))
    whole = json.loads(files["knowledge-base.json"])["records"]
    assert whole == list(records(kb, Permalinks(URL)))
    rows = list(csv.reader(io.StringIO(files["recommendations.csv"].decode("utf-8"))))
    assert rows[0] == RECOMMENDATION_COLUMNS
    assert len(kb.submissions) == 3
    for sub in kb.submissions:
        own = [r for r in whole if r.get("submission") == sub.id or r["id"] == sub.id and r["kind"] == "submission"]
        vocabulary = [r for r in whole if r["kind"] in VOCABULARY_KINDS]
        assert own and vocabulary
        one = json.loads(files[f"{sub.id}.json"])
        assert one == {"generator": "uprkb", "records": own + vocabulary}
        # Written as the whole file is written (json.dumps with indent=1), not only the same values.
        assert files[f"{sub.id}.json"].decode("utf-8") == json.dumps(one, ensure_ascii=False, indent=1) + "\n"
        mine = [row for row in rows[1:] if row[1] == sub.id]
        assert len(mine) == len(sub.recommendations) > 0
        text = files[f"{sub.id}-recommendations.csv"].decode("utf-8")
        assert list(csv.reader(io.StringIO(text))) == [RECOMMENDATION_COLUMNS, *mine]
