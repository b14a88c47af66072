"""The ``new`` command: start a submission or a section from a commented skeleton that validates at once.

``new submission`` writes ``submission.yaml`` and a first section; ``new section``
writes a section file and lists it in ``submission.yaml``. That one edit goes
through ruamel.yaml's round-trip mode, so the file keeps its comments, quotes,
key order and layout; everything else is read with the project's safe loader.
Nothing is ever overwritten, and every bad argument is reported with where it
came from before anything is written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from uprkb.check.editorial import PLACEHOLDER_PARAGRAPH, PLACEHOLDER_PARTNER
from uprkb.core import limits
from uprkb.core.errors import Location, UserError
from uprkb.model.records import ID_PATTERN, RESERVED_IDS, suggest_id

SECTION_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")

ACTION_CATEGORIES = """\
# action_category is UPR Info's category of the recommendation's leading verb:
#   1 minimal action     (call on, request, share)
#   2 continuing action  (continue, maintain)
#   3 considering action (consider, explore, study)
#   4 general action     (ensure, strengthen, promote, take measures)
#   5 specific action    (ratify, amend, abolish, establish, investigate)
# validate warns when the category differs from the one the verb suggests
# (the verb list is data/vocabularies/action-categories.yaml).
"""


def _check_id(value: str, what: str) -> None:
    if len(value) > 64 or not re.fullmatch(ID_PATTERN, value) or value in RESERVED_IDS:
        slug = suggest_id(value)
        raise UserError(
            f"'{value}' is not a valid {what}: IDs use only lowercase letters a-z, digits and single hyphens",
            f"write '{slug}'" if slug and slug != value else "choose another ID, e.g. 'ngo-kaz-upr4'",
            Location(f"argument {what}"),
        )


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class NewSubmission:
    """The arguments of ``new submission``."""

    id: str
    organisation: str
    state: str
    """ISO 3166-1 alpha-3 code of the State under review."""
    state_name: str
    cycle: int
    session: int
    joint: bool = False


def resolve_state(value: str) -> tuple[str, str]:
    """``(ISO3, short English name)`` of a State given by name or by ISO 3166-1 alpha-3 code, as every
    ``--state`` option takes it (located error, with the closest name, when unknown)."""
    import pycountry

    from uprkb.importers.mapping import state_iso3
    from uprkb.importers.mapping import state_name as short_name

    code = value.strip().upper()
    iso3 = code if re.fullmatch(r"[A-Z]{3}", code) and pycountry.countries.get(alpha_3=code) else None
    iso3 = iso3 or state_iso3(value)
    if iso3 is None:
        from uprkb.core.hints import close_match

        names = {str(getattr(c, "common_name", None) or c.name): c.alpha_3 for c in pycountry.countries}
        close = close_match(value.strip(), names) or close_match(value.strip().title(), names)
        raise UserError(
            f"'{value}' is neither a State's name nor an ISO 3166-1 alpha-3 code",
            (f"did you mean '{close}' ({names[close]})? " if close else "")
            + "give the State under review by name or code, e.g. --state Kazakhstan or --state KAZ",
            Location("option --state"),
        )
    country = pycountry.countries.get(alpha_3=iso3)
    name = short_name(iso3) or str(getattr(country, "common_name", None) or getattr(country, "name", iso3))
    return iso3, name


def state_name(iso3: str) -> str:
    """The short English name of a State from its name or ISO 3166-1 alpha-3 code."""
    return resolve_state(iso3)[1]


def submission_yaml(args: NewSubmission) -> str:
    """The commented skeleton of ``submission.yaml``."""
    partners = ""
    if args.joint:
        partners = (
            "# A joint submission lists the other organisations that sign it.\n"
            "co_submitters:\n"
            f"- name: {_quoted(PLACEHOLDER_PARTNER)}\n"
        )
    return f"""\
# yaml-language-server: $schema=../../../schema/submission.schema.json
# The metadata of one submission. Every field is explained in the data-model
# reference (kb/reference/data-model/ on the site) and in docs/editing.md.
id: {args.id}
# The document's title as written on its cover.
title: {_quoted(f"Submission of {args.organisation} to the Universal Periodic Review of {args.state_name}")}
organisation:
  name: {_quoted(args.organisation)}
  # abbreviation: ABC
  # description: The organisation's own description, as the document gives it.
{partners}submission_type: {"joint" if args.joint else "individual"}
state:
  name: {_quoted(args.state_name)}
  iso3: {args.state}
cycle: {args.cycle}
session: {args.session}
# review_date: "YYYY-MM-DD"
language: en

# The sections in document order (their 'id'); `new section` adds to this list.
sections:
- introduction
"""


def section_yaml(number: int, slug: str, title: str) -> str:
    """The commented skeleton of a section file."""
    return f"""\
# yaml-language-server: $schema=../../../../schema/section.schema.json
# One section of the submission. See docs/editing.md for a recipe per task:
# a paragraph, a finding, a recommendation, a source.
id: {slug}
number: {number}
title: {_quoted(title)}

body:
- type: paragraph
  id: s{number}-opening
  # Replace with the section's first paragraph; [^source-id] marks a footnote.
  text: {_quoted(PLACEHOLDER_PARAGRAPH)}

# Recommendations go in a block of their own in body:
# - type: recommendations
#   label: "Recommendations:"
#   items:
#   - id: r{number}-first
#     number: 1
#     text: "Ratify the Convention ..."
#     action_category: 5
#     action_verb: Ratify
{_commented(ACTION_CATEGORIES)}
# The footnote targets cited in this section:
# sources:
# - id: hrw-2024
#   kind: ngo
#   url: "https://example.org/report"
"""


def _commented(text: str) -> str:
    return "\n".join(line if line.startswith("#") else f"# {line}" for line in text.splitlines())


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise UserError(
            f"{path.name} already exists; nothing was written",
            "choose another ID or file name; `new` never overwrites a file",
            path,
        )


def new_submission(data: Path, args: NewSubmission) -> list[Path]:
    """Write a new submission folder with its metadata and a first section; returns the files written."""
    _check_id(args.id, "submission ID")
    if not 1 <= args.cycle <= 9:
        raise UserError(f"cycle {args.cycle} is out of range", "the UPR cycle is 1 to 9", Location("option --cycle"))
    if not 1 <= args.session <= 200:
        raise UserError(
            f"session {args.session} is out of range",
            "the Working Group session is a number from 1 to 200",
            Location("option --session"),
        )
    folder = data / "submissions" / args.id
    _refuse_existing(folder)
    meta = folder / "submission.yaml"
    first = folder / "sections" / "01-introduction.yaml"
    first.parent.mkdir(parents=True)
    meta.write_text(submission_yaml(args), encoding="utf-8")
    first.write_text(section_yaml(1, "introduction", "Introduction"), encoding="utf-8")
    return [meta, first]


def parse_section_name(name: str) -> tuple[int, str]:
    """``NN-slug`` → (number, slug), or a located error."""
    m = SECTION_NAME.fullmatch(name.removesuffix(".yaml"))
    if not m or int(m.group(1)) == 0:
        raise UserError(
            f"'{name}' is not a section file name",
            "write it as NN-slug: a two-digit number and lowercase words joined by hyphens, e.g. 06-right-to-education",
            Location("argument NN-slug"),
        )
    _check_id(m.group(2), "section ID")
    return int(m.group(1)), m.group(2)


def new_section(data: Path, submission: str, name: str, title: str) -> list[Path]:
    """Write a section file and list it in ``submission.yaml`` (comments and layout kept); returns the files."""
    number, slug = parse_section_name(name)
    folder = data / "submissions" / submission
    meta = folder / "submission.yaml"
    if not meta.exists():
        known = sorted(p.name for p in (data / "submissions").iterdir() if p.is_dir()) if folder.parent.is_dir() else []
        raise UserError(
            f"there is no submission '{submission}'",
            f"known submissions: {', '.join(known)}" if known else "create it first with `new submission`",
            Location("argument SUBMISSION"),
        )
    if not title.strip():
        raise UserError(
            "the section title is empty", "give the heading as written, in quotes", Location("argument TITLE")
        )
    path = folder / "sections" / f"{number:02d}-{slug}.yaml"
    _refuse_existing(path)
    taken = _section_files(folder)
    for other_number, other_slug, other in taken:
        if other_slug == slug or other_number == number:
            raise UserError(
                f"section {'ID' if other_slug == slug else 'number'} already used by {other.name}",
                "choose another number and name; see `ls " + str(other.parent) + "`",
                other,
            )
    text = limits.read_file(meta, limits.MAX_DATA_FILE_BYTES, what="data file").decode("utf-8", "replace")
    updated = _list_section(text, slug, number, {s: n for n, s, _ in taken}, meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(section_yaml(number, slug, title.strip()), encoding="utf-8")
    if updated is not None:
        meta.write_text(updated, encoding="utf-8")
        return [path, meta]
    return [path]


def _section_files(folder: Path) -> list[tuple[int, str, Path]]:
    out = []
    for p in sorted((folder / "sections").glob("*.yaml")):
        m = SECTION_NAME.fullmatch(p.stem)
        if m:
            out.append((int(m.group(1)), m.group(2), p))
    return out


def _list_section(text: str, slug: str, number: int, numbers: dict[str, int], meta: Path) -> str | None:
    """``submission.yaml`` with ``slug`` in its ``sections`` list, in number order (``None``: no list to edit)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100_000
    rt.indent(mapping=2, sequence=_sequence_indent(text), offset=_sequence_offset(text))
    try:
        doc = rt.load(text)
    except YAMLError as exc:
        raise UserError(
            "submission.yaml cannot be read, so the new section cannot be listed in it",
            "run `python3 build_site.py validate` and fix the file first; nothing was written",
            meta,
        ) from exc
    sections = doc.get("sections") if hasattr(doc, "get") else None
    if not sections:
        return None  # an empty list means: the order of the file names
    position = len(sections)
    for i, sid in enumerate(sections):
        if numbers.get(str(sid), 0) > number:
            position = i
            break
    sections.insert(position, slug)
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()


def _sequence_offset(text: str) -> int:
    m = re.search(r"^sections:\n( *)- ", text, flags=re.M)
    return len(m.group(1)) if m else 0


def _sequence_indent(text: str) -> int:
    return _sequence_offset(text) + 2
