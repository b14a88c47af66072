"""Word export and import: the seed exported with pandoc, read back with other readers, imported again.

The .docx is read back with docx2python and python-docx, not with the importer,
so the export is checked by readers that share none of its code.
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.shared import Mm
from docx2python import docx2python

from tests.project import PROJECT
from uprkb.build.site import load_knowledge_base
from uprkb.cli import main
from uprkb.core.markup import FOOTNOTE
from uprkb.core.project import Project
from uprkb.exports.docx import REFERENCE_DOCX
from uprkb.index.submission import SubmissionIndex, texts_of
from uprkb.model.records import FindingList, QuoteBlock, RecommendationList
from uprkb.present.citations import footnote_text
from uprkb.present.numbering import numbered_paragraphs, paragraph_numbers
from uprkb.present.wordcount import count_words, word_counts

from .test_fidelity import normalise, seed_units

SEED_ID = "ili-kazakhstan-upr4"
NUMBERED_STYLES = {"Numbered Paragraph", "Numbered Finding", "Numbered Recommendation"}


def seed() -> SubmissionIndex:
    return load_knowledge_base(Project.find())[1].submission(SEED_ID)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("docx") / "seed.docx"
    code, output = run("export", "docx", "--submission", SEED_ID, "-o", str(out))
    assert code == 0, output
    return out, output


@pytest.fixture(scope="module")
def text(exported: tuple[Path, str]) -> str:
    with docx2python(exported[0]) as content:
        return content.text


def body_paragraphs(path: Path) -> list[docx.text.paragraph.Paragraph]:
    return list(docx.Document(str(path)).paragraphs)


# ---------------------------------------------------------------------------
# Paragraph numbers and word counts (units over the seed's index)
# ---------------------------------------------------------------------------


def test_paragraph_numbers_run_continuously_in_document_order() -> None:
    sub = seed()
    numbered = numbered_paragraphs(sub)
    assert [p.number for p in numbered] == list(range(1, len(numbered) + 1))
    numbers = paragraph_numbers(sub)
    assert len(numbers) == len(numbered)  # every key is a distinct record ID
    expected: list[str] = []
    quotes = 0
    for section in sub.sections:
        for block in section.body:
            if isinstance(block, QuoteBlock):
                quotes += 1
            elif isinstance(block, (FindingList, RecommendationList)):
                expected += [item.id for item in block.items]
            elif hasattr(block, "finding"):
                expected.append(block.finding.id)
            else:
                expected.append(block.id)
    assert [p.id for p in numbered] == expected
    assert quotes == 1 and "s1-iccpr-art-2-2-quote" not in numbers
    assert numbers["s1-iccpr-undertaking"] == 1 and numbered[0].anchor == "para-1"
    assert numbers[sub.recommendations[-1].id] == len(numbered)


def test_words_are_counted_as_documented() -> None:
    assert count_words("The CSTO troops – in 2022 – acted *UN-wide*[^x].") == 7
    assert count_words("  • -- ") == 0
    body, with_notes = word_counts(seed())
    raw = len(re.findall(r"\S*[^\W_]\S*", " ".join(seed_units()[0])))
    assert abs(body - raw) < 60  # the seed's sentences, plus headings and lead-ins, less list numbers
    # Each footnote counts as printed (the citation formatter's parts), once per marker.
    sub = seed()
    markers = [sid for t in _all_texts(sub) for sid in FOOTNOTE.findall(t) if sid in sub.sources]
    assert with_notes - body == sum(len(footnote_text(sub.sources[sid]).split()) for sid in markers)
    assert len(markers) >= len(seed_units()[1])


def _all_texts(sub: SubmissionIndex) -> list[str]:
    return [text for section in sub.sections for block in section.body for _r, _n, text in texts_of(block)]


# ---------------------------------------------------------------------------
# The exported document
# ---------------------------------------------------------------------------


def test_every_sentence_of_the_seed_is_in_the_word_document(text: str) -> None:
    body = re.sub(r"----footnote\d+----", "", text)
    body = normalise(re.sub(r"(?m)^\d+\.\t", "", body))
    sentences, _ = seed_units()
    assert len(sentences) > 100
    # The organisation's own numbers ("§2.", "2.3.") are not text: the document numbers its headings
    # and paragraphs its own way, one number each (tests/test_ohchr_document.py).
    sentences = [s for s in sentences if not re.fullmatch(r"§?\d+(?:\.\d+)*\.", s)]
    assert [s for s in sentences if s not in body] == []


def test_five_real_footnotes_with_the_five_urls_at_the_markers(exported: tuple[Path, str], text: str) -> None:
    with zipfile.ZipFile(exported[0]) as zf:
        notes_xml = zf.read("word/footnotes.xml").decode()
        document_xml = zf.read("word/document.xml").decode()
    assert document_xml.count("<w:footnoteReference ") == 5
    assert len(re.findall(r'<w:footnote w:id="\d+">', notes_xml)) == 5
    urls = [s.url for s in seed().sources.values()]
    assert len(urls) == 5
    with docx2python(exported[0]) as content:
        notes = " ".join(str(x) for x in content.footnotes)
    for url in urls:
        assert f'href="{url}"' in notes, url
    # each marker stands where the document puts it
    for before in ("tried to deny", "including children", "to escape persecution.", "forced disappearance."):
        assert re.search(re.escape(before) + r"\s*----footnote\d+----", text), before
    assert re.search(r"Kazakhstan\.”----footnote\d+----", text)
    _, notes_seed = seed_units()
    flat = normalise(re.sub(r"<a href=\"[^\"]*\">|</a>", "", notes).replace("&amp;", "&"))
    assert [n for n in notes_seed if normalise(n) not in flat] == []


def test_paragraphs_are_numbered_continuously_with_bookmarks(exported: tuple[Path, str]) -> None:
    paragraphs = [p for p in body_paragraphs(exported[0]) if p.style is not None and p.style.name in NUMBERED_STYLES]
    numbers = [int(p.text.split(".\t", 1)[0]) for p in paragraphs]
    assert numbers == list(range(1, len(paragraphs) + 1))
    assert len(numbers) == len(paragraph_numbers(seed()))
    with zipfile.ZipFile(exported[0]) as zf:
        document_xml = zf.read("word/document.xml").decode()
    bookmarks = re.findall(r'w:name="(para-\d+)"', document_xml)
    assert bookmarks == [f"para-{n}" for n in numbers]
    # a recommendation is a numbered paragraph: its paragraph number, then its text, no second number
    recs = [p.text for p in paragraphs if p.style is not None and p.style.name == "Numbered Recommendation"]
    assert len(recs) == 19
    numbers_by_id = paragraph_numbers(seed())
    for text, rec in zip(recs, seed().recommendations, strict=True):
        assert text.startswith(f"{numbers_by_id[rec.id]}.\t{rec.text.split()[0]} "), text


def test_cover_sections_quotation_and_styles(exported: tuple[Path, str]) -> None:
    paragraphs = body_paragraphs(exported[0])
    first_heading = next(i for i, p in enumerate(paragraphs) if p.style is not None and p.style.name == "Heading 1")
    cover = "\n".join(p.text for p in paragraphs[:first_heading])
    meta = seed().submission
    for fact in (meta.title, "International Legal Initiative (ILI)", "Kazakhstan", "4th cycle", "48th session"):
        assert fact in cover, fact
    assert "23 January 2025" in cover
    headings = [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V"]
    quotes = [p.text for p in paragraphs if p.style is not None and p.style.name == "Block Text"]
    assert len(quotes) == 1 and quotes[0].startswith("2. Where not already provided")


def test_a4_and_a_page_number_field_in_the_footer(exported: tuple[Path, str]) -> None:
    document = docx.Document(str(exported[0]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.page_width == Mm(210) or abs(section.page_width - Mm(210)) < Mm(1)
    footer_xml = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", footer_xml)
    assert 'fldCharType="begin"' in footer_xml and 'fldCharType="end"' in footer_xml


def test_the_export_prints_the_word_counts(exported: tuple[Path, str]) -> None:
    body, with_notes = word_counts(seed())
    output = exported[1]
    assert f"Words: {body:,} in the body (within the limit of 2,815); {with_notes:,} with the footnotes." in output
    assert f"{len(paragraph_numbers(seed()))} numbered paragraphs, 5 footnotes" in output


def test_the_reference_document_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(PROJECT / "tools" / "make_reference_docx.py"), str(out)], check=True)
    assert out.read_bytes() == REFERENCE_DOCX.read_bytes()


def _edit_submission(paths: Project, **changes: object) -> None:
    meta_file = paths.data / "submissions" / SEED_ID / "submission.yaml"
    text = meta_file.read_text(encoding="utf-8")
    meta_file.write_text(text + yaml.safe_dump(changes, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_joint_cover_summary_keywords_and_contact(project: Project, tmp_path: Path) -> None:
    text = (project.data / "submissions" / SEED_ID / "submission.yaml").read_text(encoding="utf-8")
    text = text.replace("submission_type: individual\n", "submission_type: joint\n")
    (project.data / "submissions" / SEED_ID / "submission.yaml").write_text(text, encoding="utf-8")
    _edit_submission(
        project,
        co_submitters=[{"name": "Kazakhstan Bureau for Human Rights", "abbreviation": "KIBHR"}],
        summary="The submission covers the January 2022 events and torture.",
        keywords=["right to life", "torture"],
        contact={"name": "Jane Doe", "email": "jane@example.org"},
    )
    out = tmp_path / "joint.docx"
    code, output = run("export", "docx", "--data", str(project.data), "--submission", SEED_ID, "-o", str(out))
    assert code == 0, output
    assert "limit of 5,630" in output
    paragraphs = [p.text for p in body_paragraphs(out)]
    assert paragraphs[1:4] == [
        "Joint submission by:",
        "International Legal Initiative (ILI)",
        "Kazakhstan Bureau for Human Rights (KIBHR)",
    ]
    assert "Contact: Jane Doe, jane@example.org" in paragraphs
    assert "Summary: The submission covers the January 2022 events and torture." in paragraphs
    assert "Key words: right to life; torture" in paragraphs
    # and the import reads them back
    code, output = run("import", "docx", str(out), "--data", str(project.data), "--submission", "joint-copy")
    assert code == 0, output
    meta = yaml.safe_load((project.data / "submissions" / "joint-copy" / "submission.yaml").read_text("utf-8"))
    assert meta["submission_type"] == "joint"
    assert [o["abbreviation"] for o in [meta["organisation"], *meta["co_submitters"]]] == ["ILI", "KIBHR"]
    assert meta["keywords"] == ["right to life", "torture"]
    assert meta["contact"] == {"name": "Jane Doe", "email": "jane@example.org"}
    assert meta["summary"].startswith("The submission covers")


def test_strict_fails_when_the_body_is_over_the_limit(project: Project, tmp_path: Path) -> None:
    section = project.data / "submissions" / SEED_ID / "sections" / "05-freedom-of-torture.yaml"
    text = section.read_text(encoding="utf-8")
    filler = " ".join(["word"] * 200)
    text = text.replace("body:\n", f"body:\n- type: paragraph\n  id: s5-filler\n  text: {filler}\n\n", 1)
    section.write_text(text, encoding="utf-8")
    out = tmp_path / "long.docx"
    args = ["export", "docx", "--data", str(project.data), "--submission", SEED_ID, "-o", str(out)]
    code, output = run(*args)
    assert code == 0 and "(over the limit of 2,815)" in output
    out.unlink()
    code, output = run(*args, "--strict")
    assert code == 1
    assert "over OHCHR's limit of 2,815" in output and "hint:" in output


def test_an_unknown_submission_is_a_clear_error(tmp_path: Path) -> None:
    code, output = run("export", "docx", "--submission", "nope", "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "no submission 'nope'" in output and "ili-kazakhstan-upr4" in output
    assert not (tmp_path / "x.docx").exists()


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------


def fill_required_tags(folder: Path) -> None:
    """What a person adds after an import: categories, source kinds, quotation provisions."""
    for path in sorted((folder / "sections").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in data["body"]:
            if block["type"] == "recommendations":
                for rec in block["items"]:
                    rec["action_category"] = 4
            elif block["type"] == "quote":
                block["provision"] = "iccpr-art-2-2"
        for source in data.get("sources", []):
            source["kind"] = "other"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def without_blank_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.strip())


def without_numbers(text: str) -> str:
    """The text without its paragraph and list numbers: a findings list comes back as one plain list,
    so its paragraph numbers and the section prefix of its items cannot match."""
    return "\n".join(re.sub(r"^(?:\d+(?:\.\d+)?\. )+", "", line) for line in without_blank_lines(text).splitlines())


def test_round_trip_export_import_export(exported: tuple[Path, str], project: Project) -> None:
    data = str(project.data)
    code, output = run("import", "docx", str(exported[0]), "--data", data, "--submission", "ili-copy", "--iso3", "KAZ")
    assert code == 0, output
    assert "Wrote" in output and "5 sections" in output and "19 recommendations" in output and "5 sources" in output
    assert "to fill in: the action_category (1-5) of 12 recommendation(s)" in output
    folder = project.data / "submissions" / "ili-copy"
    code, output = run("validate", "--data", data)
    assert code == 1 and "action_category" in output  # what is still missing is named by the validator
    fill_required_tags(folder)
    code, output = run("validate", "--data", data)
    assert code == 0, output
    code, original = run("export", "text", "--data", data, "--submission", SEED_ID)
    assert code == 0
    code, copy = run("export", "text", "--data", data, "--submission", "ili-copy")
    assert code == 0
    # Findings come back as paragraphs and numbered conclusions as a plain list: the same text,
    # though a plain list prints its items without blank lines between them.
    assert without_numbers(copy) == without_numbers(original)
    sub = load_knowledge_base(project)[1].submission("ili-copy")
    assert [s.url for s in sub.sources.values()] == [s.url for s in seed().sources.values()]
    assert [(r.number, r.action_verb) for r in sub.recommendations][:2] == [(1, "Ensure"), (1, "Declassify")]
    assert [len(s.recommendations()) for s in sub.sections] == [1, 10, 3, 3, 2]


def test_import_refuses_to_overwrite(exported: tuple[Path, str], project: Project) -> None:
    before = sorted(p.read_bytes() for p in (project.data / "submissions" / SEED_ID).rglob("*.yaml"))
    code, output = run("import", "docx", str(exported[0]), "--data", str(project.data), "--submission", SEED_ID)
    assert code == 1 and "already exists" in output and "never overwrites" in output
    assert sorted(p.read_bytes() for p in (project.data / "submissions" / SEED_ID).rglob("*.yaml")) == before


def _encrypted(source: Path, target: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)


def _empty(target: Path) -> None:
    docx.Document().save(str(target))


def _truncated(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes()[:4000])


def _bad_xml(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:document><oops" if item.filename == "word/document.xml" else data)


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("text", "not a Word document"),
        ("pdf", "this is a PDF"),
        ("zero", "the file is empty"),
        ("encrypted", "password-protected"),
        ("truncated", "damaged"),
        ("bad-xml", "damaged"),
        ("empty", "has no text"),
        ("odt", "OpenDocument"),
        ("missing", "no such file"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    case: str, needle: str, exported: tuple[Path, str], project: Project, tmp_path: Path
) -> None:
    bad = tmp_path / f"{case}.docx"
    if case == "text":
        bad.write_text("Dear colleagues, please find our submission attached.\n", encoding="utf-8")
    elif case == "pdf":
        bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    elif case == "zero":
        bad.write_bytes(b"")
    elif case == "encrypted":
        _encrypted(exported[0], bad)
    elif case == "truncated":
        _truncated(exported[0], bad)
    elif case == "bad-xml":
        _bad_xml(exported[0], bad)
    elif case == "empty":
        _empty(bad)
    elif case == "odt":
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            zf.writestr("content.xml", "<office:document-content/>")
    before = sorted(str(p) for p in project.data.rglob("*"))
    code, output = run("import", "docx", str(bad), "--data", str(project.data), "--submission", "new-one")
    assert code == 1, output
    assert needle in output
    assert f"{case}.docx:" in output and "hint:" in output
    assert sorted(str(p) for p in project.data.rglob("*")) == before


def test_a_generic_word_document_is_classified_and_the_rest_reported(project: Project, tmp_path: Path) -> None:
    # A sample document written here with python-docx, shaped like an NGO's own Word file.
    document = docx.Document()
    document.add_paragraph("Joint submission on Examplestan", style="Title")
    document.add_paragraph("Submitted by: Example Rights Centre (ERC); Second Example Network")
    document.add_paragraph("Universal Periodic Review, 4th cycle, 50th session")
    document.add_paragraph("The Example Rights Centre works on detention since 2001.")
    document.add_heading("I. Detention", level=1)
    document.add_paragraph("Conditions in pre-trial detention remain *poor*.")
    document.add_paragraph("Overcrowding", style="List Bullet")
    document.add_paragraph("Lack of medical care", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Facility"
    table.rows[0].cells[1].text = "Capacity"
    document.add_heading("Recommendations", level=2)
    document.add_paragraph("Reduce pre-trial detention.", style="List Number")
    document.add_paragraph("To publish statistics on deaths in custody.", style="List Number")
    document.add_heading("II. Expression", level=1)
    document.add_picture(io.BytesIO(tiny_png()))
    run = document.add_paragraph("Journalists are ").add_run("prosecuted")
    run.italic = True
    source = tmp_path / "ngo.docx"
    document.save(str(source))
    code, output = run_import(source, project)
    assert code == 0, output
    assert "not classified:" in output and "a table row, kept as a paragraph" in output
    assert "a picture or drawing, not imported" in output
    assert "state.name (or give --state)" in output and "state.iso3" in output
    folder = project.data / "submissions" / "example-upr4"
    meta = yaml.safe_load((folder / "submission.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "Joint submission on Examplestan"
    assert meta["organisation"]["abbreviation"] == "ERC"
    assert meta["co_submitters"] == [{"name": "Second Example Network"}]
    assert (meta["cycle"], meta["session"], meta["submission_type"]) == (4, 50, "joint")
    assert meta["organisation"]["description"].startswith("The Example Rights Centre")
    files = sorted((folder / "sections").glob("*.yaml"))
    assert [f.name[:3] for f in files] == ["01-", "02-"]
    first = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    assert first["title"] == "Detention"
    kinds = [b["type"] for b in first["body"]]
    assert kinds == ["paragraph", "list", "paragraph", "recommendations"]
    assert first["body"][1]["items"] == ["Overcrowding", "Lack of medical care"]
    assert first["body"][2]["text"] == "Facility | Capacity"
    recs = first["body"][3]["items"]
    assert [(r["number"], r["action_verb"]) for r in recs] == [(1, "Reduce"), (2, "Publish")]
    second = yaml.safe_load(files[1].read_text(encoding="utf-8"))
    assert second["body"][0]["text"] == "Journalists are *prosecuted*"


def tiny_png() -> bytes:
    """A 1x1 white PNG, made here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def test_the_readme_names_the_commands() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    for command in ("export docx --submission ID", "export pdf --submission ID", "import docx FILE --submission ID"):
        assert f"python3 build_site.py {command}" in readme, command
    assert "pypandoc-binary" in readme and "LibreOffice" in readme


def run_import(source: Path, project: Project) -> tuple[int, str]:
    return run("import", "docx", str(source), "--data", str(project.data), "--submission", "example-upr4")


def test_confidential_records_and_plain_lists(project: Project, tmp_path: Path) -> None:
    folder = project.data / "submissions" / SEED_ID / "sections"
    life = folder / "02-right-to-life.yaml"
    life.write_text(
        life.read_text(encoding="utf-8").replace(
            "  id: s2-mass-protests\n", "  id: s2-mass-protests\n  confidential: true\n"
        ),
        encoding="utf-8",
    )
    torture = folder / "05-freedom-of-torture.yaml"
    items = "- type: list\n  id: s5-points\n  style: bullet\n  items:\n  - first point\n  - second point\n\n"
    torture.write_text(torture.read_text(encoding="utf-8").replace("body:\n", "body:\n" + items, 1), encoding="utf-8")
    out = tmp_path / "c.docx"
    code, output = run("export", "docx", "--data", str(project.data), "--submission", SEED_ID, "-o", str(out))
    assert code == 0, output
    paragraphs = [p for p in body_paragraphs(out) if p.style is not None and p.style.name in NUMBERED_STYLES]
    texts = [p.text for p in paragraphs]
    assert not any("mass protests against the current authorities" in t for t in texts)
    assert [int(t.split(".\t", 1)[0]) for t in texts] == list(range(1, len(texts) + 1))
    sub = load_knowledge_base(project)[1].submission(SEED_ID)
    number = paragraph_numbers(sub)["s5-points"]
    assert f"{number}.\t• first point\n• second point" in texts
    code, output = run("import", "docx", str(out), "--data", str(project.data), "--submission", "c-copy")
    assert code == 0, output
    imported = yaml.safe_load(next((project.data / "submissions" / "c-copy" / "sections").glob("05-*")).read_text())
    assert {"type": "list", "id": "s5-list-1", "style": "bullet", "items": ["first point", "second point"]} in (
        imported["body"]
    )


def test_word_paragraph_numbering_across_sections_is_not_a_list(project: Project, tmp_path: Path) -> None:
    # A sample document written here: OHCHR-style paragraphs numbered by Word itself, across sections.
    document = docx.Document()
    document.add_paragraph("Submission on Examplestan", style="Title")
    document.add_heading("1. Background", level=1)
    document.add_paragraph("The first numbered paragraph.", style="List Number")
    document.add_paragraph("The second numbered paragraph.", style="List Number")
    document.add_heading("2. Detention", level=1)
    document.add_paragraph("The third numbered paragraph.", style="List Number")
    document.add_paragraph("Recommendations:")
    document.add_paragraph("Close the old prison.", style="List Number")
    document.add_paragraph("Publish the statistics.", style="List Number")
    source = tmp_path / "numbered.docx"
    document.save(str(source))
    code, output = run_import(source, project)
    assert code == 0, output
    files = sorted((project.data / "submissions" / "example-upr4" / "sections").glob("*.yaml"))
    first, second = (yaml.safe_load(f.read_text(encoding="utf-8")) for f in files)
    assert [b["type"] for b in first["body"]] == ["paragraph", "paragraph"]
    assert [b["type"] for b in second["body"]] == ["paragraph", "recommendations"]
    recs = second["body"][1]["items"]
    assert [(r["number"], r["text"]) for r in recs] == [(1, "Close the old prison."), (2, "Publish the statistics.")]
