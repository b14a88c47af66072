"""The UPR record on the site: review pages, State pages, received recommendations on term
pages (labelled by origin) and in the downloads.

Built from our own samples (tests/samples, always) and from the real Slovenia material in
../shared/fixtures (skipped with a reason where it is absent), imported through the real
command line and built with the real MkDocs.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from tests.conftest import copy_project
from tests.test_contexts import model_leaks
from uprkb.build.site import build_site, load_knowledge_base
from uprkb.cli import main
from uprkb.core.project import Project, site_url
from uprkb.linkcheck.internal import check_site
from uprkb.present.links import Permalinks
from uprkb.site.pages import Page, reviews

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).parent / "samples"
SECOND = SAMPLES / "second-submission" / "test-sample-svn-upr4"


def run_import(paths: Project, *args: str) -> None:
    result = CliRunner().invoke(main, ["import", *args, "--data", str(paths.data), "--date", "2026-01-15"])
    assert result.exit_code == 0, result.output


def ids_on(page: Path) -> set[str]:
    return set(lxml_html.parse(str(page)).getroot().xpath("//@id"))


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    paths = copy_project(tmp_path_factory.mktemp("sample-review"))
    run_import(paths, "wg-report", str(SAMPLES / "wg-report-sample.txt"))
    run_import(paths, "responses", str(SAMPLES / "addendum-sample.txt"))
    build_site(paths)
    return paths


def test_sample_review_page_has_every_recommendation_with_its_anchor(sample_site: Project) -> None:
    _, kb = load_knowledge_base(sample_site)
    (review,) = kb.reviews.values()
    page = sample_site.site / "kb" / "reviews" / review.id / "index.html"
    ids = ids_on(page)
    for rec in review.recommendations:
        assert "rec-" + rec.id.replace(".", "-") in ids, rec.id
    text = page.read_text(encoding="utf-8")
    supported = sum(r.position.value == "supported" for r in review.recommendations)
    assert supported and re.search(rf"<td>supported</td>\s*<td>{supported}</td>", text)
    assert 'data-filters="Position,Recommended by,Themes,Action category"' in text
    # Not to be confused with an organisation's words.
    assert "They are not the words of any organisation" in text


def test_sample_review_page_shows_each_position_with_the_sentence_it_came_from(sample_site: Project) -> None:
    """Each row's position links to the sentence of the addendum that states it, printed on the same page."""
    _, kb = load_knowledge_base(sample_site)
    (review,) = kb.reviews.values()
    tree = lxml_html.parse(str(sample_site.site / "kb" / "reviews" / review.id / "index.html")).getroot()
    addendum = (SAMPLES / "addendum-sample.txt").read_text(encoding="utf-8")
    checked = 0
    for rec in review.recommendations:
        if rec.position.value == "unknown":
            continue
        (row,) = tree.xpath(f"//tr[.//*[@id='{'rec-' + rec.id.replace('.', '-')}']]")
        position_cell = row.xpath("./td")[3]
        (link,) = position_cell.xpath(".//a")
        assert link.text_content() == f"A/HRC/99/10/Add.1, para. {rec.position_source.paragraph}", rec.id
        (mark,) = tree.xpath(f"//*[@id='{link.get('href')[1:]}']")
        statement = mark.getparent().getnext()  # the quoted sentence under the statement's line
        sentence = " ".join(statement.text_content().split())
        lead = sentence.split(": ", 1)[-1]
        assert lead and lead in " ".join(addendum.split()), (rec.id, sentence)
        checked += 1
    assert checked == 19, "every recommendation with a known position"


def test_sample_state_page_and_indexes(sample_site: Project) -> None:
    _, kb = load_knowledge_base(sample_site)
    (review,) = kb.reviews.values()
    iso3 = review.review.state.iso3.lower()
    state = (sample_site.site / "kb" / "states" / iso3 / "index.html").read_text(encoding="utf-8")
    assert f'href="../../reviews/{review.id}/"' in state
    assert "No submission about this State" in state
    kaz = (sample_site.site / "kb" / "states" / "kaz" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../ili-kazakhstan-upr4/"' in kaz
    index = (sample_site.site / "kb" / "reviews" / "index.html").read_text(encoding="utf-8")
    assert f'href="{review.id}/"' in index


def test_sample_downloads_carry_received_recommendations(sample_site: Project) -> None:
    _, kb = load_knowledge_base(sample_site)
    (review,) = kb.reviews.values()
    payload = json.loads((sample_site.site / "kb" / "downloads" / "knowledge-base.json").read_text("utf-8"))
    received = [r for r in payload["records"] if r["kind"] == "received-recommendation"]
    assert len(received) == len(review.recommendations)
    for r in received:
        assert r["review"] == review.id and r["id"] == f"{review.id}/{r['number']}"
        assert r["recommending_states"] and r["position"] in ("supported", "noted", "supported-in-part", "unknown")
        path, _, anchor = r["permalink"].partition("#")
        assert anchor in ids_on(sample_site.site / path / "index.html"), r["permalink"]
    csv_text = (sample_site.site / "kb" / "downloads" / "received-recommendations.csv").read_text("utf-8")
    assert csv_text.count("\n") == len(review.recommendations) + 1
    # A submission's own download holds its records only, not the reviews.
    own = json.loads((sample_site.site / "kb" / "downloads" / "ili-kazakhstan-upr4.json").read_text("utf-8"))
    assert not [r for r in own["records"] if r["kind"] in ("review", "received-recommendation")]


def test_sample_site_links_and_anchors_resolve(sample_site: Project) -> None:
    assert check_site(sample_site.site) == []


def test_review_contexts_hold_no_model(sample_site: Project) -> None:
    _, kb = load_knowledge_base(sample_site)
    from uprkb.site.cards import CardMaker
    from uprkb.site.pages import Site

    url = site_url(sample_site.config)
    site = Site(kb, CardMaker(kb, Permalinks(url)), Permalinks(url), {}, {})
    pages: list[Page] = list(reviews.pages(site))
    assert {p.template for p in pages} == {"review.md.j2", "reviews_index.md.j2", "state.md.j2", "states_index.md.j2"}
    assert [x for p in pages for x in model_leaks(p.context, p.path)] == []


@pytest.fixture(scope="module")
def slovenia(followup_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The Slovenia review and the follow-up test submissions (conftest.py), a second sample, built."""
    paths = copy_project(tmp_path_factory.mktemp("slovenia"))
    shutil.rmtree(paths.data)
    shutil.copytree(followup_data, paths.data)
    shutil.copytree(SECOND, paths.data / "submissions" / SECOND.name)
    build_site(paths)
    return paths


def test_slovenia_review_page(slovenia: Project) -> None:
    page = slovenia.site / "kb" / "reviews" / "svn-upr4" / "index.html"
    ids = ids_on(page)
    assert {f"rec-140-{n}" for n in range(1, 255)} <= ids
    doc = lxml_html.parse(str(page)).getroot()
    rows = doc.xpath("//div[contains(@class,'uprkb-recs')]//tbody/tr")
    assert len(rows) == 254
    positions = [r.xpath("string(td[4])").strip() for r in rows]
    assert sum(p.startswith("supported") for p in positions) == 217
    assert sum(p.startswith("noted") for p in positions) == 37
    text = page.read_text(encoding="utf-8")
    assert "254 received, 217 supported, 37 noted" in text
    assert 'href="https://undocs.org/A/HRC/59/15/Add.1"' in text


def test_slovenia_state_page_links_review_and_submission(slovenia: Project) -> None:
    state = (slovenia.site / "kb" / "states" / "svn" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../reviews/svn-upr4/"' in state
    assert 'href="../../test-sample-svn-upr4/"' in state


def test_theme_pages_label_received_recommendations_by_origin(slovenia: Project) -> None:
    _, kb = load_knowledge_base(slovenia)
    # Migrants' rights: the seed's findings and recommendations carry it, and so do Slovenia's received ones.
    tagged = kb.received_tagged[("theme", "rights-of-migrants")]
    assert tagged and kb.tagged[("theme", "rights-of-migrants")]
    page = (slovenia.site / "kb" / "themes" / "rights-of-migrants" / "index.html").read_text(encoding="utf-8")
    assert "Recommendations States received" in page
    assert "received by Slovenia, 4th cycle, from" in page
    assert "Recommendations in submissions" in page
    review, rec = tagged[0]
    assert f'href="../../reviews/svn-upr4/#rec-{rec.id.replace(".", "-")}"' in page


def assert_clean_svg(path: Path) -> None:
    """A well-formed SVG with no script, no event handler and no reference to another host."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", path
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        assert not tag.endswith("}script") and not tag.endswith("}foreignObject"), (path, tag)
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (path, name)
            if name.endswith("href") or name == "src":
                assert value.startswith("#"), (path, name, value)


def test_charts_are_static_svg_with_their_numbers_beside(slovenia: Project) -> None:
    charts = slovenia.site / "kb" / "charts"
    review_chart = charts / "svn-upr4-positions-by-theme.svg"
    home_chart = charts / "recommendations-by-theme.svg"
    for chart in (review_chart, home_chart):
        assert_clean_svg(chart)
    page = (slovenia.site / "kb" / "reviews" / "svn-upr4" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../charts/svn-upr4-positions-by-theme.svg"' in page
    doc = lxml_html.fromstring(page)
    details = doc.xpath("//details[contains(@class,'uprkb-chart-data')]")[0]  # the first chart: positions
    rows = details.xpath(".//tbody/tr")
    _, kb = load_knowledge_base(slovenia)
    review = kb.reviews["svn-upr4"]
    # A recommendation counts once under each of its themes (or under "no theme").
    expected = sum(max(len(r.themes), 1) for r in review.recommendations)
    assert sum(int(x) for row in rows for x in row.xpath("td[position()>1]/text()")) == expected
    alt = doc.xpath("//img[contains(@src,'positions-by-theme')]/@alt")[0]
    assert alt.startswith("Bar chart of the State's positions by theme")
    home = (slovenia.site / "kb" / "index.html").read_text(encoding="utf-8")
    assert 'src="charts/recommendations-by-theme.svg"' in home


def test_followup_both_ways_on_the_review_and_submission_pages(slovenia: Project) -> None:
    _, kb = load_knowledge_base(slovenia)
    review_page = (slovenia.site / "kb" / "reviews" / "svn-upr4" / "index.html").read_text(encoding="utf-8")
    counts = kb.followup.reviews["svn-upr4"]
    assert counts.followed_up and counts.assessed and counts.taken_up
    assert (
        f"follow up {counts.followed_up} of the 254 recommendations; {counts.assessed} have been assessed"
        in review_page
    )
    doc = lxml_html.fromstring(review_page)
    # Every received recommendation an organisation follows up links back to each record that does.
    for (review_id, rec_id), fu in kb.followup.received.items():
        if review_id != "svn-upr4" or not fu.followed_up_by:
            continue
        (heading,) = doc.xpath(f"//h3[a[@href='#rec-{rec_id.replace('.', '-')}']]")
        block = heading.getnext().getnext()
        hrefs = block.xpath(".//a/@href")
        for ngo in fu.followed_up_by:
            assert any(h.endswith(f"#{ngo.record.id}") for h in hrefs), (rec_id, ngo.record.id)
        for org, entry in fu.latest.items():
            assert f"{org} assesses it:" in block.text_content()
            assert f"grade {entry.grade.letter}" in block.text_content()
    # The assessments chart's numbers equal the index's latest assessments by status.
    (details,) = [
        d for d in doc.xpath("//details[contains(@class,'uprkb-chart-data')]") if "Status" in d.text_content()
    ]
    numbers = [int(x) for x in details.xpath(".//tbody/tr/td[2]/text()")]
    assert numbers == list(counts.latest_by_status.values())
    assert_clean_svg(slovenia.site / "kb" / "charts" / "svn-upr4-assessments.svg")

    for sid, sfu in kb.followup.submissions.items():
        if not sfu.review_in_kb or not sfu.take_up:
            continue
        page = (slovenia.site / "kb" / sid / "index.html").read_text(encoding="utf-8")
        taken = len(sfu.taken_up())
        review = "the review (Slovenia, 4th UPR cycle)"
        assert f"{taken} of the {len(sfu.take_up)} recommendations were taken up in {review}." in page
        for rec, t in sfu.taken_up():
            assert lxml_html.fromstring(page).xpath(f"//td[a[contains(@href,'#{rec.id}')]]"), rec.id
            for ref in t.refs:
                if ref.recommendation is not None:
                    assert f"../reviews/svn-upr4/#rec-{ref.rec_id.replace('.', '-')}" in page
        assert_clean_svg(slovenia.site / "kb" / "charts" / f"{sid}-take-up.svg")
