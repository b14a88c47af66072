"""The Word-library measurement, and the time to export Word and PDF.

Usage: ``PYTHONPATH=src python benchmarks/docx_bench.py [--runs 5] [--big-sections 40] [--skip-pdf]``

Two ways to write the .docx were on the table: pandoc (the ``pypandoc-binary``
wheel ships it) fed a document tree, or python-docx building the document
directly. This script writes the seed both ways and prints, for each, the
median wall time of ``--runs`` runs, the size of the file and what the result
holds: real Word footnotes (``w:footnoteReference``), paragraph styles from
the reference document, and the footer's ``PAGE`` field. python-docx has no
footnote API, so its variant can only leave the notes out (or hand-write the
footnotes part as raw XML, which is what pandoc already does, tested).

It then times ``export pdf`` (LibreOffice headless) on the seed, and the Word
export on a synthetic submission of ``--big-sections`` sections (from
``benchmarks/synth.py``), and prints the seed's page count and word counts.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))
sys.path.insert(0, str(PROJECT))

from uprkb.build.site import load_knowledge_base  # noqa: E402
from uprkb.core.markup import plain  # noqa: E402
from uprkb.core.project import Project  # noqa: E402
from uprkb.exports.docx import REFERENCE_DOCX, export_docx  # noqa: E402
from uprkb.index.kb import SubmissionIndex  # noqa: E402
from uprkb.model.records import FindingBlock, FindingList, Paragraph, QuoteBlock, RecommendationList, TextList  # noqa: E402
from uprkb.present.numbering import paragraph_numbers  # noqa: E402
from uprkb.present.wordcount import word_counts  # noqa: E402

SEED_ID = "ili-kazakhstan-upr4"


def python_docx_export(sub: SubmissionIndex, output: Path) -> None:
    """The same document written with python-docx: cover, headings, numbered paragraphs; no footnotes."""
    import docx

    document = docx.Document(str(REFERENCE_DOCX))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    numbers = paragraph_numbers(sub)
    meta = sub.submission
    document.add_paragraph(meta.title, style="Title")
    document.add_paragraph(f"State under review: {meta.state.name}", style="Cover")
    for section in sub.sections:
        document.add_heading(f"§{section.number}. {plain(section.title)}", level=1)
        for block in section.body:
            if isinstance(block, Paragraph):
                document.add_paragraph(f"{numbers[block.id]}.\t{plain(block.text)}", style="Numbered Paragraph")
            elif isinstance(block, QuoteBlock):
                document.add_paragraph(plain(block.text), style="Block Text")
            elif isinstance(block, FindingBlock):
                f = block.finding
                document.add_paragraph(f"{numbers[f.id]}.\t{plain(f.text)}", style="Numbered Finding")
            elif isinstance(block, (FindingList, RecommendationList)):
                for item in block.items:
                    text = f"{numbers[item.id]}.\t{item.number or ''}. {plain(item.text)}"
                    document.add_paragraph(text, style="Numbered Paragraph")
            elif isinstance(block, TextList):
                document.add_paragraph(f"{numbers[block.id]}.\t" + "; ".join(block.items), style="Numbered Paragraph")
    document.save(str(output))


def features(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as zf:
        document = zf.read("word/document.xml").decode()
        footers = " ".join(zf.read(n).decode() for n in zf.namelist() if re.match(r"word/footer\d*\.xml$", n))
    return {
        "footnotes": document.count("<w:footnoteReference "),
        "numbered paragraphs": len(re.findall(r'w:pStyle w:val="Numbered', document)),
        "PAGE field": "PAGE" in footers,
        "KiB": round(path.stat().st_size / 1024, 1),
    }


def timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-sections", type=int, default=40)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()

    sub = load_knowledge_base(Project.at(PROJECT))[1].submission(SEED_ID)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pandoc_s = timed(lambda: export_docx(sub, out / "pandoc.docx"), args.runs)
        docx_s = timed(lambda: python_docx_export(sub, out / "python-docx.docx"), args.runs)
        print(f"Seed '{SEED_ID}', median of {args.runs} runs:")
        print(f"  pandoc (pypandoc-binary): {pandoc_s * 1000:7.0f} ms  {features(out / 'pandoc.docx')}")
        print(f"  python-docx:              {docx_s * 1000:7.0f} ms  {features(out / 'python-docx.docx')}")
        body, with_notes = word_counts(sub)
        print(f"  words: {body:,} body, {with_notes:,} with notes (limit 2,815)")

        if not args.skip_pdf and shutil.which("soffice"):
            from uprkb.exports.pdf import export_pdf

            results = []
            pdf_s = timed(lambda: results.append(export_pdf(sub, out / "seed.pdf")), max(1, min(args.runs, 3)))
            print(f"  export pdf (LibreOffice headless): {pdf_s:.2f} s median, {results[-1].pages} pages")

        from benchmarks.synth import write_corpus

        write_corpus(out / "big", submissions=1, sections=args.big_sections, paragraphs_per_section=6)
        paths = Project(data=out / "big")
        big = load_knowledge_base(paths)[1].submissions[0]
        n = len(paragraph_numbers(big))
        big_s = timed(lambda: export_docx(big, out / "big.docx"), max(1, min(args.runs, 3)))
        print(f"Synthetic submission, {args.big_sections} sections, {n} numbered paragraphs:")
        print(f"  export docx: {big_s:.2f} s median, {features(out / 'big.docx')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
