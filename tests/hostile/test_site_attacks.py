"""Site-side attacks: strings from the data that try to run script on the published site,
commands pointed at folders and files they do not own, caches tampered with, spreadsheet
formulas in the downloads, hostile chart labels and table filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uprkb.build.safety import scan_html, scan_site, scan_svg
from uprkb.core.project import Project

PAYLOAD = "x </title><script>alert(1)</script>"


def plant_labels(data: Path, value: str = PAYLOAD) -> None:
    """Put ``value`` into every label that reaches a page title: theme, affected persons, submission
    title, State name, section title and instrument title."""

    def sub(path: Path, pattern: str, repl: str) -> None:
        text = path.read_text(encoding="utf-8")
        new = re.sub(pattern, lambda m: m.group(1) + repl, text, count=1, flags=re.M)
        assert new != text, (path, pattern)
        path.write_text(new, encoding="utf-8")

    import json

    q = json.dumps(value)
    voc = data / "vocabularies"
    sub(voc / "themes.yaml", r"^(\s*label: ).*$", q)
    sub(voc / "affected-persons.yaml", r"^(\s*label: ).*$", q)
    sub(voc / "instruments.yaml", r"^(  title: ).*$", q)
    sub_dir = data / "submissions" / "ili-kazakhstan-upr4"
    sub(sub_dir / "submission.yaml", r"^(title: ).*$", q)
    sub(sub_dir / "submission.yaml", r"^(  name: )Kazakhstan$", q)
    sub(sub_dir / "sections" / "01-legal-framework.yaml", r"^(title: ).*$", q)


def titles(site: Path) -> dict[str, str]:
    out = {}
    for page in site.rglob("*.html"):
        m = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        assert m, page
        out[page.relative_to(site).as_posix()] = m.group(1)
    return out


@pytest.mark.slow
def test_labels_reach_titles_nav_and_meta_as_text(project: Project) -> None:
    from uprkb.build.site import build_site

    plant_labels(project.data)
    build_site(project)
    found = titles(project.site)
    escaped = "x &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert sum(escaped in t for t in found.values()) >= 6, found
    for page in project.site.rglob("*.html"):
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), page
    assert scan_site(project.site, project.config) == []


# -- the active-content scan reads every byte ---------------------------------------------------


def page(head: str = "", body: str = "", article: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>t</title>{head}</head>"
        f"<body><nav>{body}</nav><article>{article}</article></body></html>"
    )


@pytest.mark.parametrize(
    "head,body",
    [
        ("</title><script>alert(1)</script>", ""),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', ""),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', ""),
        ('<script src="https://evil.example/x.js"></script>', ""),
        ('<script src="assets/javascripts/planted.js"></script>', ""),
        ('<base href="https://evil.example/">', ""),
        ("", "<a href='javascript:alert(1)'>home</a>"),
        ("", "<img src=x onerror=alert(1)>"),
        ("", "<iframe src='https://evil.example/'></iframe>"),
        ("", '<script type="application/json">alert(1)</script>'),
    ],
)
def test_the_scan_reads_the_head_and_the_chrome(head: str, body: str) -> None:
    assert scan_html(page(head, body)), (head, body)


def test_the_theme_scripts_pass_by_hash_and_source(tmp_path: Path) -> None:
    from uprkb.build.safety import allowed_script_sources

    (tmp_path / "mkdocs.yml").write_text("extra_javascript:\n  - assets/javascripts/tables.js\n")
    scripts = allowed_script_sources(tmp_path / "mkdocs.yml")
    assert "assets/javascripts/tables.js" in scripts
    site = tmp_path / "site"
    (site / "kb").mkdir(parents=True)
    (site / "kb" / "index.html").write_text(
        page(
            '<script src="../assets/javascripts/tables.js"></script>'
            '<script id="__config" type="application/json">{"base": ".."}</script>'
        )
    )
    assert scan_site(site, tmp_path / "mkdocs.yml") == []
    (site / "kb" / "index.html").write_text(page('<script src="../assets/javascripts/other.js"></script>'))
    assert scan_site(site, tmp_path / "mkdocs.yml")


def test_the_scan_reads_svg_files_and_the_search_index(tmp_path: Path) -> None:
    assert scan_svg("<svg><script>alert(1)</script></svg>")
    assert scan_svg('<svg><a href="https://evil.example/">x</a></svg>')
    assert scan_svg("<svg><foreignObject><div>x</div></foreignObject></svg>")
    assert scan_svg("<svg><style>@import url(https://evil.example/x.css)</style></svg>")
    assert scan_svg('<svg onload="alert(1)"></svg>')
    clean = '<svg><defs><style type="text/css">*{stroke-linejoin: round}</style></defs><use xlink:href="#p1"/></svg>'
    assert scan_svg(clean) == []
    site = tmp_path / "site"
    (site / "charts").mkdir(parents=True)
    (site / "charts" / "c.svg").write_text("<svg><script>alert(1)</script></svg>")
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(
        '{"docs": [{"location": "a/", "title": "<img src=x onerror=alert(1)>", "text": "<p>ok</p>"}]}'
    )
    where = sorted(p.location.path for p in scan_site(site))
    assert where == ["charts/c.svg", "search/search_index.json a/ (title)"]


# -- commands delete or overwrite only what they made -------------------------------------------


def digest(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target", ["data", "docs", "templates", ".", "..", "data/vocabularies", "overrides", ".git"])
def test_the_build_refuses_an_output_folder_it_does_not_own(project: Project, target: str) -> None:
    from uprkb.build.outputs import check_site_folder
    from uprkb.core.errors import UserError

    (project.root / ".git").mkdir(exist_ok=True)
    (project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = digest(project.root)
    with pytest.raises(UserError, match="output"):
        check_site_folder(project.with_(site=project.root / target))
    assert digest(project.root) == before


def test_the_build_refuses_a_folder_it_did_not_make(project: Project, tmp_path: Path) -> None:
    from uprkb.build.outputs import MARKER, check_site_folder, write_marker
    from uprkb.core.errors import UserError

    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(UserError, match="not made by the build"):
        check_site_folder(project.with_(site=other))
    check_site_folder(project.with_(site=tmp_path / "new-site"))  # a new folder is fine
    (tmp_path / "empty").mkdir()
    check_site_folder(project.with_(site=tmp_path / "empty"))  # so is an empty one
    (other / MARKER).write_text("x")
    with pytest.raises(UserError, match="does not list what the build wrote"):  # a marker's text proves nothing
        check_site_folder(project.with_(site=other))
    write_marker(other, project)
    check_site_folder(project.with_(site=other))  # one whose every file the build listed is replaced


@pytest.mark.parametrize("target", ["data", "docs", "."])
def test_the_command_line_build_refuses_project_folders(project: Project, target: str) -> None:
    from click.testing import CliRunner

    from uprkb.cli import main

    before = digest(project.root)
    site_dir = str(project.root / target)
    result = CliRunner().invoke(main, ["--root", str(project.root), "build", "--site-dir", site_dir])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "output folder" in result.output
    assert digest(project.root) == before


@pytest.mark.parametrize(
    "args,victim",
    [
        (["export", "docx", "--submission", "ili-kazakhstan-upr4", "-o", "mkdocs.yml"], "mkdocs.yml"),
        (["export", "pdf", "--submission", "ili-kazakhstan-upr4", "-o", "README.md"], "README.md"),
        (["links", "--report", "data/vocabularies/themes.yaml"], "data/vocabularies/themes.yaml"),
        (["links", "--report", "notes.txt"], "notes.txt"),
    ],
)
def test_output_files_do_not_replace_what_they_did_not_write(
    project: Project, args: list[str], victim: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from uprkb.cli import main

    (project.root / "README.md").write_text("# read me\n")
    (project.root / "notes.txt").write_text("my notes\n")
    monkeypatch.chdir(project.root)
    before = (project.root / victim).read_bytes()
    result = CliRunner().invoke(main, ["--root", str(project.root), *args])
    assert result.exit_code != 0, result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert (project.root / victim).read_bytes() == before


def test_a_report_it_wrote_is_replaced(project: Project, tmp_path: Path) -> None:
    from uprkb.build.outputs import check_output_file
    from uprkb.core.errors import UserError

    report = tmp_path / "r.json"
    report.write_text('[{"url": "https://example.org/"}]')
    check_output_file(report, "link-report", False, project)
    report.write_text('{"not": "a report"}')
    with pytest.raises(UserError):
        check_output_file(report, "link-report", False, project)
    check_output_file(report, "link-report", True, project)


def test_a_second_build_waits_then_names_the_first(project: Project) -> None:
    import subprocess
    import sys
    import time

    from uprkb.core.errors import UserError
    from uprkb.core.lock import LOCK_NAME, project_lock

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path.insert(0, 'src');"
            "from uprkb.core.lock import project_lock;"
            f"cm = project_lock(__import__('pathlib').Path({str(project.root)!r}));"
            "cm.__enter__(); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with pytest.raises(UserError, match=rf"another build is running \(pid {holder.pid}\)"):
            with project_lock(project.root, wait=0.5):
                pass
        assert time.monotonic() - t0 >= 0.5
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    with project_lock(project.root, wait=2):  # released when its holder died
        assert (project.root / LOCK_NAME).read_text().startswith(str(__import__("os").getpid()))


def _fake_site(folder: Path, text: str) -> None:
    from uprkb.build.outputs import MARKER

    folder.mkdir(parents=True)
    (folder / MARKER).write_text("x")
    (folder / "index.html").write_text(text)


def test_a_swap_killed_between_its_renames_is_put_back(tmp_path: Path) -> None:
    from uprkb.build.site import recover

    site = tmp_path / "site"
    _fake_site(tmp_path / ".site-old-1-1", "previous")  # renamed aside, then the build was killed
    _fake_site(tmp_path / ".site-tmp-abc", "new, never swapped in")
    notes = recover(site)
    assert (site / "index.html").read_text() == "previous"
    assert not list(tmp_path.glob(".site-*")), notes
    # with a site in place, the leftovers only go
    _fake_site(tmp_path / ".site-old-2-2", "older")
    recover(site)
    assert (site / "index.html").read_text() == "previous" and not list(tmp_path.glob(".site-*"))


def test_a_half_deleted_old_copy_is_never_put_back(tmp_path: Path) -> None:
    from uprkb.build.site import recover

    half = tmp_path / ".site-old-1-1"
    half.mkdir()
    (half / "index.html").write_text("half")  # its marker was removed first
    recover(tmp_path / "site")
    assert not (tmp_path / "site").exists() and not half.exists()


@pytest.mark.slow
def test_the_site_is_readable_and_marked(built: Project) -> None:
    import stat

    from uprkb.build.outputs import MARKER

    assert (built.site / MARKER).is_file()
    assert stat.S_IMODE(built.site.stat().st_mode) == 0o755
    for p in built.site.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o444 == 0o444, (p, oct(mode))


@pytest.mark.slow
def test_an_internal_build_leaves_no_page_in_docs(project: Project, tmp_path: Path) -> None:
    from uprkb.build.site import build_site

    before = digest(project.docs)
    build_site(project.with_(site=tmp_path / "internal"), include_confidential=True)
    assert digest(project.docs) == before
    assert "INTERNAL BUILD" in (tmp_path / "internal" / "index.html").read_text()


# -- spreadsheet formulas, chart labels, table filters ------------------------------------------


@pytest.mark.parametrize(
    "cell,shown",
    [
        ('=HYPERLINK("https://evil.example/","x")', '\'=HYPERLINK("https://evil.example/","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'=1"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("plain text", "plain text"),
    ],
)
def test_csv_cells_are_never_formulas(cell: str, shown: str) -> None:
    from uprkb.exports.downloads import spreadsheet_cell

    assert spreadsheet_cell(cell) == shown
    assert spreadsheet_cell(4) == 4


def test_the_downloads_neutralise_formulas_and_keep_json_as_written(data: Path) -> None:
    import csv
    import io
    import json

    from uprkb.check.validate import check
    from uprkb.exports.downloads import downloads
    from uprkb.present.links import Permalinks

    meta = data / "submissions" / "ili-kazakhstan-upr4" / "submission.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("  name: International Legal Initiative", "  name: \"=cmd|' /C calc'!A0\""))
    result = check(data, "https://upr-kb.example.org/")
    assert result.ok and result.kb is not None
    files = downloads(result.kb, Permalinks("https://upr-kb.example.org/"))
    rows = list(csv.reader(io.StringIO(files["recommendations.csv"].decode("utf-8"))))
    cells = [c for row in rows[1:] for c in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert "=cmd|' /C calc'!A0" in json.dumps(json.loads(files["knowledge-base.json"]), ensure_ascii=False)


@pytest.mark.parametrize("label", ["$\\nosuchcommand{x}$", "$5 and $6", "_hidden", "a\x07b"])
def test_chart_labels_are_drawn_as_text(label: str) -> None:
    from uprkb.site.charts import Chart, Series
    from uprkb.site.svgchart import svg

    out = svg(Chart(title=label, categories=[label, "b"], series=[Series(label, [1, 2]), Series("s", [1, 1])]))
    text = out.decode("utf-8")
    shown = label.replace("\x07", "").replace("&", "&amp;")
    assert text.count(shown) >= 3, label


def test_table_filters_count_with_a_map() -> None:
    js = (Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts" / "tables.js").read_text()
    assert "new Map()" in js and "values = {}" not in js and "values[" not in js


# -- caches are data, not code --------------------------------------------------------------------


def _warm(project: Project) -> Path:
    from uprkb.check.validate import check
    from uprkb.core import cache

    store = cache.FileCache(project.cache / cache.FOLDER_NAME)
    with cache.using(store):
        assert check(project.data, "https://upr-kb.example.org/").ok
    return project.cache / cache.FOLDER_NAME


def _title(project: Project) -> str:
    from uprkb.check.validate import check
    from uprkb.core import cache

    store = cache.FileCache(project.cache / cache.FOLDER_NAME)
    with cache.using(store):
        result = check(project.data, "https://upr-kb.example.org/")
    assert result.ok and result.kb is not None
    return result.kb.submissions[0].submission.title


def test_a_pickle_planted_in_the_cache_never_runs(project: Project, tmp_path: Path) -> None:
    import pickle

    folder = _warm(project)
    flag = tmp_path / "ran"

    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (exec, (f"open({str(flag)!r}, 'w').write('x')",))

    for entry in folder.iterdir():
        entry.write_bytes(pickle.dumps(Boom()))
    assert _title(project).startswith("Submission of")
    assert not flag.exists()


def test_a_tampered_entry_is_ignored_and_rebuilt(project: Project) -> None:
    folder = _warm(project)
    for entry in folder.iterdir():
        text = entry.read_bytes()
        entry.write_bytes(text.replace(b"Submission of the International", b"Planted title, International"))
    assert _title(project).startswith("Submission of")


@pytest.mark.parametrize("payload", [b"[]", b'{"key": 1}', b'{"tree": {"d": 5}}', b"\xff\xfe"])
def test_a_wrong_shaped_sealed_entry_is_only_a_miss(project: Project, payload: bytes) -> None:
    from uprkb.core import cache

    folder = _warm(project)
    for entry in folder.iterdir():
        entry.write_bytes(cache.seal(payload))
    assert _title(project).startswith("Submission of")


def test_charts_are_never_read_back_from_disk() -> None:
    """A chart is written from its description on every build: there is no chart cache to plant a script in."""
    from uprkb.site import svgchart
    from uprkb.site.charts import Chart, Series

    chart = Chart(title="t", categories=["a", "b"], series=[Series("s", [1, 2])])
    assert svgchart.svg(chart) == svgchart.svg(chart)
    assert "cache" not in svgchart.svg.__code__.co_varnames
