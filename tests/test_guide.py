"""The editing guide cannot rot: every recipe's snippet is pasted into a copy of the data and must validate,
and every link works on the published site."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from tests.kazakhstan import plant_review
from tests.project import PROJECT, copy_seed_data
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.project import site_url

GUIDE = PROJECT / "docs" / "editing.md"
FENCE = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)
FILE = re.compile(r"^# file: (\S+)( \(new file\))?$", re.M)
UNDER = re.compile(r"^# add under: (.+)$", re.M)
BLOCK = re.compile(r'^the "([a-z]+)" block$')
TERM = re.compile(r'^the "([a-z0-9-]+)" term$')


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
        term = TERM.match(step)
        if block:
            node = next(item for item in node if item.get("type") == block.group(1))
        elif term:
            node = next(item for item in node if item.get("id") == term.group(1))
        else:
            node = node.setdefault(step, [])
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
    "Map the labels an import could not map",
    "Follow up and assess a received recommendation",
    "Record that States took a recommendation up",
}


def test_the_guide_has_a_recipe_per_task() -> None:
    assert EXPECTED <= set(recipes()), sorted(EXPECTED - set(recipes()))


def unmap(data: Path, system: str, label: str) -> None:
    """Take a label out of the copy's vocabularies: an organisation's own vocabulary that does not map it yet."""
    for path in (data / "vocabularies").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\n *- system: {system}\n *label: {re.escape(label)}\n", "\n", text), encoding="utf-8")


MAPPING_RECIPE = "Map the labels an import could not map"


@pytest.mark.parametrize("title", sorted(EXPECTED))
def test_each_recipe_validates_on_a_copy_of_the_data(title: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_seed_data(data)
    plant_reviews(data)
    if title == MAPPING_RECIPE:
        unmap(data, "upr-info", "Detention")
    before = {p.format() for p in check(data).problems.items}
    for snippet in recipes()[title]:
        apply(snippet, data)
    result = check(data)
    # The skeletons of 'new section' and 'new submission' keep their placeholder: a warning until replaced.
    new = [p.format() for p in result.problems.items if p.format() not in before and p.code != "placeholder-text"]
    assert result.ok and not new, "\n".join(new)
    assert len(result.dataset.files) >= 1


KAZ_UPR4 = """\
id: kaz-upr4
state: {name: Kazakhstan, iso3: KAZ}
cycle: 4
session: 48
"""
KAZ_UPR4_RECS = """\
review: kaz-upr4
recommendations:
- id: "120.1"
  text: Adopt the first sample measure (written for the tests of the editing guide).
  recommending_states: [{name: Norway}]
  position: supported
"""


def plant_reviews(data: Path) -> None:
    """The reviews the follow-up recipes cite: Kazakhstan's 2nd cycle (tests/kazakhstan.py) and a one-line
    sample of its 4th, the review the seed submission answers."""
    plant_review(data)
    folder = data / "reviews" / "kaz-upr4"
    folder.mkdir(parents=True)
    (folder / "review.yaml").write_text(KAZ_UPR4, encoding="utf-8")
    (folder / "recommendations.yaml").write_text(KAZ_UPR4_RECS, encoding="utf-8")


def test_a_broken_snippet_would_fail(tmp_path: Path) -> None:
    """The check above can fail: a recipe with a misspelt field does not validate."""
    data = tmp_path / "data"
    copy_seed_data(data)
    snippet = recipes()["Add a paragraph"][0].replace("text:", "txet:")
    apply(snippet, data)
    assert not check(data).ok


def slug(heading: str) -> str:
    """The anchor MkDocs gives a heading (the toc extension's default slugify)."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"[-\s]+", "-", text).strip("-")


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text)


def test_guide_links_work_on_the_site() -> None:
    """The site's own pages are linked relatively (an absolute link to the publishing address is dead while
    it is the placeholder, and wherever else the site is published); the generated ones (``kb/…``) exist
    only on the site, whose strict build checks them."""
    site = site_url(PROJECT / "mkdocs.yml").rstrip("/")
    text = GUIDE.read_text(encoding="utf-8")
    links = _links(text)
    headings = {slug(h) for h in re.findall(r"^#{2,3} (.+)$", text, re.M)}
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            assert not link.startswith(site) and link.startswith("http://127.0.0.1"), link
        elif link.startswith("#"):
            assert link[1:] in headings, f"{link}: no heading of the guide has this anchor"
        elif link.startswith("kb/"):
            assert link.split("#")[0].endswith(".md"), f"{link}: link the page's Markdown file"
        else:
            assert (GUIDE.parent / link.split("#")[0]).is_file(), f"{link} does not exist beside the guide"


def test_readme_links_the_guide_and_says_how_words_are_counted() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "](docs/editing.md)" in readme
    assert "new submission" in readme and "new section" in readme
    assert "2,815" in readme and "5,630" in readme and "footnote" in readme


# ---------------------------------------------------------------------------
# The commands the guide names are real, and its recipes for imports and exports run
# ---------------------------------------------------------------------------

COMMAND = re.compile(r"python3? build_site\.py[^`\n]*")
SAMPLES = Path(__file__).parent / "samples"
SAMPLE_FILES = {
    "upr-info": SAMPLES / "upr-info-sample.csv",
    "wg-report": SAMPLES / "wg-report-sample.txt",
    "responses": SAMPLES / "addendum-sample.txt",
    "ohchr-matrix": SAMPLES / "matrix-sample.txt",
    "uhri": SAMPLES / "uhri-sample.json",
}
"""Our own sample of each import format (tests/samples), run in place of the real file the guide names."""
SAMPLE_NAMES = {"kaz-upr2": "isl-upr4", "KAZ": "ISL", "--session 20": "--session 49"}
"""The guide's example review (Kazakhstan's 2nd cycle) → the review the samples give (a made-up Iceland)."""
UPR_INFO_NAMES = {"--state KAZ": "--state MKD", "--session 20": "--session 19"}
"""UPR Info's sample holds other States: North Macedonia's session 19 stands in for Kazakhstan's session 20."""


def guide_commands() -> list[str]:
    return [c.strip().rstrip(".") for c in COMMAND.findall(GUIDE.read_text(encoding="utf-8"))]


def section(title: str) -> str:
    for part in re.split(r"^## ", GUIDE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        if part.splitlines()[0].strip() == title:
            return part
    raise AssertionError(f"the guide has no section {title!r}")


def resolve(argv: list[str]) -> tuple[click.Command, list[str]]:
    """The click command an argument list names, and the arguments left for it."""
    cmd: click.Command = main
    rest = list(argv)
    while isinstance(cmd, click.Group) and rest and not rest[0].startswith("-"):
        sub = cmd.commands.get(rest[0])
        assert sub is not None, f"{' '.join(argv)}: no command {rest[0]!r}"
        cmd, rest = sub, rest[1:]
    return cmd, rest


def test_the_guide_says_python3_everywhere() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w/])python (?!3)", text.replace("python3", "")), "write python3, not python"
    assert all(c.startswith("python3 ") for c in guide_commands())


def test_every_command_the_guide_names_exists_with_its_options() -> None:
    commands = guide_commands()
    assert len(commands) >= 20, commands
    runner = CliRunner()
    for line in commands:
        argv = shlex.split(line.split(" > ")[0])[2:]
        cmd, rest = resolve(argv)
        path = argv[: len(argv) - len(rest)]
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, f"{line}: {result.output}"
        options = {o for p in cmd.params for o in [*p.opts, *p.secondary_opts]}
        for arg in rest:
            if arg.startswith("-"):
                assert arg.split("=")[0] in options, f"{line}: {arg} is not an option of {' '.join(path)}"


WANTED = [
    "import upr-info",
    "import wg-report",
    "import responses",
    "import ohchr-matrix",
    "import uhri",
    "review reconcile",
    "export docx",
    "export pdf",
    "export text",
    "new submission",
    "new section",
    "validate",
    "serve",
    "build",
    "suggest",
]


def test_the_guide_covers_the_whole_job() -> None:
    named = set()
    for line in guide_commands():
        argv = shlex.split(line)[2:]
        _, rest = resolve(argv)
        named.add(" ".join(argv[: len(argv) - len(rest)]))
    assert set(WANTED) <= named, sorted(set(WANTED) - named)
    text = GUIDE.read_text(encoding="utf-8")
    assert "python3 -m http.server -d site 8001" in text
    assert "site/index.html" in text and "folder" in text  # why opening the file from disk shows folders
    assert "--force" in text
    assert ".pdf" in section("Import a review") and ".docx" in section("Import a review")
    assert "equivalents" in section("Map the labels an import could not map")


def run(argv: list[str], data: Path) -> str:
    result = CliRunner().invoke(main, [*argv, "--data", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, f"{' '.join(argv)}: {result.output}"
    return result.output


def sample_argv(line: str) -> list[str]:
    """A guide command with its example file and review replaced by our samples'."""
    if " import upr-info " in line:
        for real, sample in UPR_INFO_NAMES.items():
            line = line.replace(real, sample)
    for real, sample in SAMPLE_NAMES.items():
        line = line.replace(real, sample)
    argv = shlex.split(line)[2:]
    if argv[0] == "import":
        argv[2] = str(SAMPLE_FILES[argv[1]])
    return argv


def test_the_import_recipes_run_on_our_samples(tmp_path: Path) -> None:
    """Every import command of the guide, in its order, on our samples; then the data validates."""
    data = copy_seed_data(tmp_path / "data")
    lines = [c for c in COMMAND.findall(section("Import a review")) if " import " in c or " review " in c]
    formats = [shlex.split(c)[3] for c in lines if " import " in c]
    assert {"upr-info", "wg-report", "responses", "ohchr-matrix", "uhri"} <= set(formats), formats
    for line in lines:
        run(sample_argv(line), data)
    assert (data / "reviews" / "isl-upr4" / "recommendations.yaml").is_file()
    assert check(data).ok


def test_the_mapping_recipe_maps_a_label_an_import_reported(tmp_path: Path) -> None:
    data = copy_seed_data(tmp_path / "data")
    (snippet,) = recipes()[MAPPING_RECIPE]
    label = re.search(r"label: (.+)", snippet).group(1).strip().strip('"')  # type: ignore[union-attr]
    unmap(data, "upr-info", label)
    sample = tmp_path / "upr-info.csv"  # our sample, one of its rows tagged with the label
    rows = SAMPLE_FILES["upr-info"].read_text(encoding="utf-8").splitlines(keepends=True)
    sample.write_text(rows[0] + rows[1].replace("Other", label, 1) + "".join(rows[2:]), encoding="utf-8")
    csv = ["import", "upr-info", str(sample), "--all", "--dry-run"]
    before = run(csv, data)
    assert f"upr-info themes: {label}" in before
    apply(snippet, data)
    assert check(data).ok
    assert f"upr-info themes: {label}" not in run(csv, data)


def test_the_export_recipes_run(tmp_path: Path) -> None:
    data = copy_seed_data(tmp_path / "data")
    lines = [c for c in COMMAND.findall(section("Export the submission")) if " export " in c]
    assert any("--force" in c for c in lines)
    out = tmp_path / "out"
    out.mkdir()
    for line in lines:
        if " export pdf" in line and not shutil.which("soffice") and not shutil.which("libreoffice"):
            continue
        argv = [a if a.startswith("-") or "." not in a else str(out / a) for a in shlex.split(line.split(" > ")[0])[2:]]
        text = run(argv, data)
        if " > " in line:
            assert "Kazakhstan" in text
    assert {p.suffix for p in out.iterdir()} >= {".docx"}


def test_the_first_submission_walkthrough_runs(tmp_path: Path) -> None:
    """The walkthrough's commands, in order, from `new submission` to an export."""
    data = copy_seed_data(tmp_path / "data")
    lines = COMMAND.findall(section("Your first submission, step by step"))
    verbs = [" ".join(shlex.split(c)[2:4]) for c in lines]
    assert verbs[0] == "new submission" and any(v.startswith("export") for v in verbs), verbs
    for line in lines:
        argv = shlex.split(line.split(" > ")[0])[2:]
        if argv[0] in {"serve", "build"}:
            continue  # a server, and the build with MkDocs (the slow tests build the same data)
        argv = [str(tmp_path / a) if a.endswith((".docx", ".pdf")) else a for a in argv]
        if argv[:2] == ["export", "pdf"] and not (shutil.which("soffice") or shutil.which("libreoffice")):
            continue
        run(argv, data)
    assert check(data).ok
