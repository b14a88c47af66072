"""The editing guide cannot rot: every recipe's snippet is pasted into a copy of the data and must validate,
and every link works on the published site."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.project import PROJECT, copy_seed_data
from uprkb.check.validate import check
from uprkb.core.project import site_url

GUIDE = PROJECT / "docs" / "editing.md"
FENCE = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)
FILE = re.compile(r"^# file: (\S+)( \(new file\))?$", re.M)
UNDER = re.compile(r"^# add under: (.+)$", re.M)
BLOCK = re.compile(r'^the "([a-z]+)" block$')


def recipes() -> dict[str, list[str]]:
    """Each '## ' section of the guide → the YAML snippets that name a file."""
    out: dict[str, list[str]] = {}
    for part in re.split(r"^## ", GUIDE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title = part.splitlines()[0].strip()
        snippets = [m.group(1) for m in FENCE.finditer(part) if FILE.search(m.group(1))]
        if snippets:
            out[title] = snippets
    return out


def _yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.width = 100_000
    rt.indent(mapping=2, sequence=2, offset=0)
    return rt


def apply(snippet: str, data: Path) -> None:
    """Paste one snippet where its header says: a new file, or items appended to a list."""
    m = FILE.search(snippet)
    assert m, snippet
    target = data.parent / m.group(1)
    assert m.group(1).startswith("data/"), m.group(1)
    if m.group(2):
        assert not target.exists(), f"the recipe would overwrite {target}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(snippet, encoding="utf-8")
        return
    under = UNDER.search(snippet)
    assert under, f"a snippet for an existing file says where it goes: {snippet}"
    rt = _yaml()
    doc = rt.load(target.read_text(encoding="utf-8"))
    node = doc
    for step in (s.strip() for s in under.group(1).split("→")):
        block = BLOCK.match(step)
        if block:
            node = next(item for item in node if item.get("type") == block.group(1))
        else:
            node = node[step]
    items = rt.load(snippet)
    assert isinstance(items, list) and items, "the snippet is a list of items"
    node.extend(items)
    out = io.StringIO()
    rt.dump(doc, out)
    target.write_text(out.getvalue(), encoding="utf-8")


EXPECTED = {
    "Add a paragraph",
    "Add or update a finding",
    "Add a recommendation",
    "Add a source (a footnote)",
    "Add a section",
    "Start a new submission",
    "Add a vocabulary term",
    "Mark a record confidential",
}


def test_the_guide_has_a_recipe_per_task() -> None:
    assert EXPECTED <= set(recipes()), sorted(EXPECTED - set(recipes()))


@pytest.mark.parametrize("title", sorted(EXPECTED))
def test_each_recipe_validates_on_a_copy_of_the_data(title: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_seed_data(data)
    before = {p.format() for p in check(data).problems.items}
    for snippet in recipes()[title]:
        apply(snippet, data)
    result = check(data)
    # The skeletons of 'new section' and 'new submission' keep their placeholder: a warning until replaced.
    new = [p.format() for p in result.problems.items if p.format() not in before and p.code != "placeholder-text"]
    assert result.ok and not new, "\n".join(new)
    assert len(result.dataset.files) >= 1


def test_a_broken_snippet_would_fail(tmp_path: Path) -> None:
    """The check above can fail: a recipe with a misspelt field does not validate."""
    data = tmp_path / "data"
    copy_seed_data(data)
    snippet = recipes()["Add a paragraph"][0].replace("text:", "txet:")
    apply(snippet, data)
    assert not check(data).ok


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text)


def test_guide_links_work_on_the_site() -> None:
    """The site's own pages are linked relatively (an absolute link to the publishing address is dead while
    it is the placeholder, and wherever else the site is published); the generated ones (``kb/…``) exist
    only on the site, whose strict build checks them."""
    site = site_url(PROJECT / "mkdocs.yml").rstrip("/")
    links = _links(GUIDE.read_text(encoding="utf-8"))
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            assert not link.startswith(site) and link.startswith("http://127.0.0.1"), link
        elif link.startswith("kb/"):
            assert link.split("#")[0].endswith(".md"), f"{link}: link the page's Markdown file"
        else:
            assert (GUIDE.parent / link.split("#")[0]).is_file(), f"{link} does not exist beside the guide"


def test_readme_links_the_guide_and_says_how_words_are_counted() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "](docs/editing.md)" in readme
    assert "new submission" in readme and "new section" in readme
    assert "2,815" in readme and "5,630" in readme and "footnote" in readme
