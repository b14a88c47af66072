"""The live preview is never stale: after every kind of edit, the site the preview serves
(its HTML pages and its search index) is byte for byte what a full build of the same
project gives.

Each test drives :class:`uprkb.preview.server.Preview` through the step the serve loop
runs after each save (generation, then the real MkDocs build, dirty only when that is
exact), without the HTTP server, and compares its site folder with a full
:func:`uprkb.build.site.build_site` of a copy of the project. Two differences are
allowed and normalised here:

* the address: the preview builds with the serve URL (``http://127.0.0.1:8000/``) as
  ``site_url``, so canonical links point at the preview; they are put back to the
  project's ``site_url`` before the comparison;
* the Word and PDF downloads: the preview does not make them (seconds of pandoc and
  LibreOffice after each save), so the full build here is made without them too.

The livereload script is injected by the server into each response, never written
to the site folder, so it needs no normalising.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from uprkb.build.outputs import MARKER
from uprkb.build.site import build_site
from uprkb.core.project import Project, site_url
from uprkb.preview.server import Preview

pytestmark = pytest.mark.slow

SERVE_URL = "http://127.0.0.1:8000/"
SEED = "submissions/ili-kazakhstan-upr4"
TORTURE = f"{SEED}/sections/05-freedom-of-torture.yaml"
REFUGEES = f"{SEED}/sections/04-refugees-and-asylum-seekers.yaml"
SAMPLES = Path(__file__).parent / "samples"

REVIEW = """\
id: kaz-upr4
state:
  name: Kazakhstan
  iso3: KAZ
cycle: 4
session: 48
report: A/HRC/99/9
counts:
  received: 2
  supported: 1
  noted: 1
  source: A/HRC/99/9/Add.1
imports:
- format: wg-report
  file: sample.txt
  sha256: "{sha}"
  imported: "2026-01-05"
  records: 2
"""

RECOMMENDATIONS = """\
review: kaz-upr4
recommendations:
- id: "140.1"
  text: Investigate every allegation of torture written for this test
  recommending_states:
  - name: Norway
    iso3: NOR
  position: supported
  themes:
  - torture
  provenance:
  - wg-report
- id: "140.2"
  text: Adopt a sample measure on migrants written for this test
  recommending_states:
  - name: Chile
  position: noted
  provenance:
  - wg-report
"""


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def replace_everywhere(data: Path, pattern: str, new: str) -> None:
    """Replace a whole word in every data file (a term's ID and its uses)."""
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        changed = re.sub(rf"(?<![\w-]){re.escape(pattern)}(?![\w-])", new, text)
        if changed != text:
            path.write_text(changed, encoding="utf-8")


def block(text: str, start: str) -> tuple[int, int]:
    """The span of the YAML list item that starts at line ``start`` (up to the next item at its indent)."""
    at = text.index(start)
    indent = at - text.rindex("\n", 0, at) - 1
    end = re.compile(rf"^ {{0,{indent}}}\S", re.M).search(text, text.index("\n", at) + 1)
    return at - indent, end.start() if end else len(text)


class Live:
    """A preview of ``project`` as ``build_site.py serve`` runs it, one step per save."""

    def __init__(self, project: Project, tmp_path: Path) -> None:
        self.project = project
        self.tmp_path = tmp_path
        self.site = tmp_path / "preview-site"
        self.preview = Preview(project, site_dir=self.site, dev_addr="127.0.0.1:8000")
        self.references = 0
        self.builds: list[str] = []

    def save(self) -> str:
        """What the serve loop does after a save; the data must be valid. Returns the kind of MkDocs build."""
        done = self.preview.step()
        self.builds.append(done)
        assert not self.preview.problems, [p.format() for p in self.preview.problems]
        return done

    def full_build(self, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A full build of a copy of the project as it is now, without the downloads the preview does not make
        (the Word and PDF documents and the SQLite database: a build's ``documents``)."""
        import uprkb.build.site

        self.references += 1
        root = self.tmp_path / f"reference-{self.references}"
        p = self.project
        shutil.copytree(p.data, root / "data")
        shutil.copytree(p.templates, root / "templates")
        shutil.copytree(p.root / "overrides", root / "overrides")
        shutil.copytree(p.docs, root / "docs", ignore=shutil.ignore_patterns("kb"))
        shutil.copy(p.config, root / "mkdocs.yml")
        reference = Project.at(root).with_(templates=root / "templates", link_report=p.link_report)
        with monkeypatch.context() as m:
            real = uprkb.build.site.generate_docs

            def without_documents(paths: Project, include_confidential: bool = False, documents: bool = False) -> Any:
                return real(paths, include_confidential, documents=False)

            m.setattr(uprkb.build.site, "generate_docs", without_documents)
            build_site(reference)
        return reference.site

    def assert_same_as_full_build(self, monkeypatch: pytest.MonkeyPatch) -> None:
        full = self.full_build(monkeypatch)
        url = site_url(self.project.config)
        ours = sorted(p.relative_to(self.site).as_posix() for p in self.site.rglob("*") if p.is_file())
        # The build marks the folder it owns (uprkb.build.outputs.MARKER); the preview serves a temporary one.
        theirs = sorted(p.relative_to(full).as_posix() for p in full.rglob("*") if p.is_file() and p.name != MARKER)
        assert ours == theirs
        html = [f for f in theirs if f.endswith(".html")]
        assert len(html) > 50
        stale = [f for f in html if canonical(self.site / f, url) != (full / f).read_text(encoding="utf-8")]
        assert stale == [], f"{len(stale)} page(s) differ from a full build: {stale[:10]}"
        index = "search/search_index.json"
        ours_index = json.loads((self.site / index).read_text(encoding="utf-8"))
        theirs_index = json.loads((full / index).read_text(encoding="utf-8"))
        assert [d["location"] for d in ours_index["docs"]] == [d["location"] for d in theirs_index["docs"]]
        assert ours_index == theirs_index
        assert (self.site / index).read_bytes() == (full / index).read_bytes()


def canonical(page: Path, url: str) -> str:
    """A preview page with its canonical link (and the sitemap's) at the project's address."""
    return page.read_text(encoding="utf-8").replace(
        f'<link rel="canonical" href="{SERVE_URL}', f'<link rel="canonical" href="{url}'
    )


@pytest.fixture
def live(project: Project, tmp_path: Path) -> Live:
    """The preview after its first build."""
    live = Live(project, tmp_path)
    live.save()
    return live


def check_edit(live: Live, monkeypatch: pytest.MonkeyPatch, *edits: Callable[[Path], None]) -> None:
    """Apply each edit as one save, then compare the preview with a full build."""
    for change in edits:
        change(live.project.data)
        live.save()
    live.assert_same_as_full_build(monkeypatch)


NEW_THEME = """\
- id: prison-conditions
  label: Conditions of detention
  description: Conditions in prisons and other places of detention (written for this test).

"""


def add_theme(data: Path) -> None:
    edit(data / "vocabularies/themes.yaml", "- id: rights-of-migrants\n", NEW_THEME + "- id: rights-of-migrants\n")


def use_theme(data: Path) -> None:
    edit(data / TORTURE, "    themes:\n    - torture\n", "    themes:\n    - prison-conditions\n    - torture\n")


def test_a_term_added_then_used(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    check_edit(live, monkeypatch, add_theme)
    # The themes index lists the new term as used once a finding carries it.
    check_edit(live, monkeypatch, use_theme)


def test_a_term_renamed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    check_edit(live, monkeypatch, lambda data: replace_everywhere(data, "rights-of-migrants", "migrants-rights"))


def test_a_term_label_changed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    label = "label: Rights of migrants"
    assert label in (live.project.data / "vocabularies/themes.yaml").read_text(encoding="utf-8")
    check_edit(live, monkeypatch, lambda data: edit(data / "vocabularies/themes.yaml", label, label + " (edited)"))


def test_a_term_removed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    def remove(data: Path) -> None:
        themes = data / "vocabularies/themes.yaml"
        text = themes.read_text(encoding="utf-8")
        a, b = block(text, "- id: statelessness-and-nationality\n")
        themes.write_text(text[:a] + text[b:], encoding="utf-8")
        refugees = data / REFUGEES
        refugees.write_text(
            refugees.read_text(encoding="utf-8").replace("    - statelessness-and-nationality\n", ""), encoding="utf-8"
        )

    check_edit(live, monkeypatch, remove)


def test_a_provision_added_to_a_finding(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    # The instrument page of CAT article 13 then lists the finding.
    check_edit(
        live,
        monkeypatch,
        lambda data: edit(
            data / TORTURE, "    - cat-art-12\n    themes:\n", "    - cat-art-12\n    - cat-art-13\n    themes:\n"
        ),
    )


def test_a_text_edited(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    check_edit(
        live,
        monkeypatch,
        lambda data: edit(data / TORTURE, "Ensure fair punishment", "Ensure prompt and fair punishment"),
    )


def test_a_finding_numbered(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    check_edit(
        live,
        monkeypatch,
        lambda data: edit(
            data / TORTURE,
            "    id: f-mass-torture-of-migrants\n",
            "    id: f-mass-torture-of-migrants\n    number: 3\n",
        ),
    )


def test_recommendations_renumbered(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    def swap(data: Path) -> None:
        path = data / TORTURE
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "r-prosecute-beating-to-death-as-murder\n    number: 1\n",
            "r-prosecute-beating-to-death-as-murder\n    number: 9\n",
        )
        text = text.replace(
            "r-punish-mass-torture-of-migrants\n    number: 2\n", "r-punish-mass-torture-of-migrants\n    number: 1\n"
        )
        text = text.replace(
            "r-prosecute-beating-to-death-as-murder\n    number: 9\n",
            "r-prosecute-beating-to-death-as-murder\n    number: 2\n",
        )
        path.write_text(text, encoding="utf-8")

    check_edit(live, monkeypatch, swap)


def test_a_finding_moved_to_another_section(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    def move(data: Path) -> None:
        source, target = data / TORTURE, data / REFUGEES
        text = source.read_text(encoding="utf-8")
        a, b = block(text, "- type: finding\n  finding:\n    id: f-mass-torture-of-migrants\n")
        moved = text[a:b]
        source.write_text(text[:a] + text[b:], encoding="utf-8")
        rest = target.read_text(encoding="utf-8")
        at = rest.index("\nbody:\n") + len("\nbody:\n")
        target.write_text(rest[:at] + moved.rstrip("\n") + "\n\n" + rest[at:], encoding="utf-8")

    check_edit(live, monkeypatch, move)


def test_a_recommendation_deleted(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    def delete(data: Path) -> None:
        path = data / TORTURE
        text = path.read_text(encoding="utf-8")
        a, b = block(text, "- id: r-punish-mass-torture-of-migrants\n")
        path.write_text(text[:a] + text[b:], encoding="utf-8")

    check_edit(live, monkeypatch, delete)


def test_a_submission_added_then_removed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = "test-sample-svn-upr4"
    check_edit(
        live,
        monkeypatch,
        lambda data: shutil.copytree(SAMPLES / "second-submission" / sample, data / "submissions" / sample),
    )
    check_edit(live, monkeypatch, lambda data: shutil.rmtree(data / "submissions" / sample))


def test_a_review_added_then_removed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    def add(data: Path) -> None:
        folder = data / "reviews" / "kaz-upr4"
        folder.mkdir(parents=True)
        (folder / "review.yaml").write_text(REVIEW.replace("{sha}", "a" * 64), encoding="utf-8")
        (folder / "recommendations.yaml").write_text(RECOMMENDATIONS, encoding="utf-8")

    check_edit(live, monkeypatch, add)
    check_edit(live, monkeypatch, lambda data: shutil.rmtree(data / "reviews"))


def test_a_hand_written_page_retitled(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page in the navigation gets another title: the preview still equals a full build.

    The editors' guide sits in the "For editors" section, which a reader's menu does not show, so a
    build of the changed pages alone may be exact; whichever the preview chooses, it must equal a full build.
    """
    page = live.project.docs / "editing.md"
    text = page.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    page.write_text(text.replace(title, title + " (retitled)", 1), encoding="utf-8")
    assert live.save() in ("full", "dirty")
    live.assert_same_as_full_build(monkeypatch)
