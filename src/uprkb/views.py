"""Stage 4a, views: prepare what each page shows, so templates only loop and print.

Every page of the generated part of the site is a :class:`Page` with a
template name and a typed context. Links between pages are computed here as
relative ``.md`` paths (MkDocs turns them into URLs and validates them);
templates never build a path. Text stays raw here: the templates' ``md``
filter escapes it at one boundary (:mod:`uprkb.markup`).
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .index import KnowledgeBase, SubmissionIndex, footnote_ids, texts_of
from .models import (
    Finding,
    FindingBlock,
    FindingList,
    Instrument,
    Paragraph,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    Section,
    Source,
    TextList,
)

GENERATED = "kb"
"""The generated folder's name below ``docs/``."""
INDEX_PAGE_SIZE = 500
"""Rows per page of the global recommendation and finding indexes."""
TERM_PAGE_SIZE = 50
"""Records per page of a theme, affected-persons or SDG-target page."""
TIMELINE_PAGE_SIZE = 300
"""Events per page of the timeline."""
MAX_PROVISION_REFS = 50
"""Links listed under one provision on an instrument page (the rest are counted)."""
PAGER_WINDOW = 3

ACTION_LABELS = {
    1: "minimal action",
    2: "continuing action",
    3: "considering action",
    4: "general action",
    5: "specific action",
}
RESPONSE_LABELS = {
    "pending": "pending",
    "supported": "supported",
    "supported-in-part": "supported in part",
    "noted": "noted",
}
VOCABULARY_PAGES = {
    "theme": ("themes", "Themes"),
    "persons": ("affected-persons", "Affected persons"),
    "sdg": ("sdgs", "SDG targets"),
    "instrument": ("instruments", "Legal instruments"),
}


@dataclass
class Page:
    """One generated Markdown file: where it goes, which template renders it, with what."""

    path: str
    template: str
    title: str
    context: dict[str, Any]
    shows: frozenset[str] = frozenset()
    """IDs of the records whose content this page shows (for incremental rebuilds)."""


@dataclass
class Link:
    label: str
    href: str


@dataclass
class PagerLink:
    label: str
    href: str | None  # None: the current page, or a gap ("…")
    current: bool = False


@dataclass
class Chunk:
    """One page of a paginated list: its path, its items and the pager shown on it."""

    path: str
    items: list[Any]
    number: int
    pager: list[PagerLink]


@functools.lru_cache(maxsize=65536)
def _relative(src_dir: str, dst: str) -> str:
    """``posixpath.relpath(dst, src_dir)`` for clean relative paths, without touching the file system."""
    src_parts = src_dir.split("/") if src_dir else []
    dst_parts = dst.split("/")
    common = 0
    for a, b in zip(src_parts, dst_parts[:-1], strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(src_parts) - common) + dst_parts[common:])


def paginate(base: str, items: list[Any], size: int) -> list[Chunk]:
    """Split ``items`` over ``base.md``, ``base/page-2.md``, …; each page links its neighbours.

    The pager shows the first and last pages and a window around the current one,
    so its size does not grow with the number of pages.
    """
    parts = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    # Later pages live below the first one's name (IDs hold no '/', so nothing can collide).
    names = [base + ".md"] + [f"{base}/page-{i}.md" for i in range(2, len(parts) + 1)]
    out: list[Chunk] = []
    for i, part in enumerate(parts):
        pager: list[PagerLink] = []
        if len(parts) > 1:
            window = range(max(0, i - PAGER_WINDOW), min(len(parts), i + PAGER_WINDOW + 1))
            previous = -1
            for j in sorted({0, len(parts) - 1, *window}):
                if j > previous + 1:
                    pager.append(PagerLink("…", None))
                pager.append(PagerLink(str(j + 1), None if j == i else Linker.rel(names[i], names[j]), j == i))
                previous = j
        out.append(Chunk(names[i], part, i + 1, pager))
    return out


@dataclass
class Tags:
    themes: list[Link] = field(default_factory=list)
    persons: list[Link] = field(default_factory=list)
    sdgs: list[Link] = field(default_factory=list)
    provisions: list[Link] = field(default_factory=list)


@dataclass
class Footnote:
    id: str
    text: str
    url: str | None
    link_text: str | None
    entry: str


@dataclass
class Card:
    """A finding or recommendation as shown on a page."""

    id: str
    kind: str
    label: str
    text: str
    href: str
    section: Link
    number: int | None
    meta: list[str]
    tags: Tags
    based_on: list[Link] = field(default_factory=list)
    supports: list[Link] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    follows_up: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    record: Any = None


@dataclass
class BodyItem:
    kind: str  # paragraph | quote | finding | findings | recommendations | list
    id: str | None = None
    text: str = ""
    number: str = ""
    label: str | None = None
    style: str = "ordered"
    cite: Link | None = None
    cards: list[Card] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    quotes: list[Link] = field(default_factory=list)


class Linker:
    """Relative ``.md`` links between generated pages."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @staticmethod
    def rel(src: str, dst: str, anchor: str | None = None) -> str:
        """The relative link from page ``src`` to page ``dst`` (both relative to docs/kb)."""
        if src == dst:
            return f"#{anchor}" if anchor else posixpath.basename(dst)
        out = _relative(src.rpartition("/")[0], dst)
        return f"{out}#{anchor}" if anchor else out

    @staticmethod
    def section_page(sub: SubmissionIndex, section: Section) -> str:
        return f"{sub.id}/{section.id}.md"

    @staticmethod
    def sources_page(sub: SubmissionIndex) -> str:
        return f"{sub.id}/sources.md"

    def record_page(self, sub: SubmissionIndex, record: Any) -> str:
        if isinstance(record, Source):
            return self.sources_page(sub)
        return self.section_page(sub, sub.section_of[record.id])


def _label(sub: SubmissionIndex, record: Any) -> str:
    section = sub.section_of[record.id]
    if isinstance(record, Recommendation):
        return f"Recommendation {section.number}.{record.number}"
    if isinstance(record, Finding):
        if record.number is not None:
            return f"{record.kind.value.replace('-', ' ').capitalize()} {section.number}.{record.number}"
        unnumbered = [f for f in section.findings() if f.number is None]
        letter = _letters(unnumbered.index(record)) if record in unnumbered else "?"
        return f"Finding {section.number}.{letter}"
    if isinstance(record, Source):
        return source_label(record)
    if isinstance(record, QuoteBlock):
        return f"Quotation in §{section.number}"
    return f"Paragraph in §{section.number}"


def _letters(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def source_label(source: Source) -> str:
    """A short human citation: title, else the document's wording, else the URL."""
    if source.title:
        return f"{source.author}, “{source.title}”" if source.author else source.title
    if source.citation:
        return source.citation
    return source.url or source.id


class ViewBuilder:
    """Builds every page of the generated folder from a knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        site_url: str,
        link_report: dict[str, Any] | None = None,
        sink: Callable[[Page], None] | None = None,
    ) -> None:
        """With a ``sink``, each page goes to it as soon as it is built and ``pages`` keeps
        only each page's path and the IDs it shows; without, ``pages`` keeps everything."""
        self.kb = kb
        self.sink = sink
        self.links = Linker(kb)
        self.site_url = site_url.rstrip("/") + "/"
        self.link_report = link_report or {}
        self.pages: list[Page] = []
        self._labels: dict[tuple[str, str], str] = {}

    # -- small helpers -------------------------------------------------------------

    def label(self, sub: SubmissionIndex, record: Any) -> str:
        key = (sub.id, record.id)
        if key not in self._labels:
            self._labels[key] = _label(sub, record)
        return self._labels[key]

    def record_link(self, src: str, sub: SubmissionIndex, record: Any) -> Link:
        return Link(self.label(sub, record), self.links.rel(src, self.links.record_page(sub, record), record.id))

    def permalink(self, page: str, anchor: str | None = None) -> str:
        url = page[: -len("index.md")] if page.endswith("index.md") else page[:-3] + "/"
        return f"{self.site_url}{GENERATED}/{url}" + (f"#{anchor}" if anchor else "")

    def tags(self, src: str, record: Finding | Recommendation) -> Tags:
        kb, rel = self.kb, self.links.rel
        t = Tags()
        t.themes = [Link(kb.themes[i].label, rel(src, f"themes/{i}.md")) for i in record.themes]
        t.persons = [
            Link(kb.affected_persons[i].label, rel(src, f"affected-persons/{i}.md")) for i in record.affected_persons
        ]
        if isinstance(record, Recommendation):
            t.sdgs = [Link(f"SDG {kb.targets[i].number}", rel(src, f"sdgs/{i}.md")) for i in record.sdg_targets]
        t.provisions = [self.provision_link(src, p) for p in record.provisions]
        return t

    def provision_link(self, src: str, pid: str) -> Link:
        inst = self.kb.instrument_of[pid]
        prov = self.kb.provisions[pid]
        name = inst.short_title or inst.title
        return Link(f"{name}, {prov.label}", self.links.rel(src, f"instruments/{inst.id}.md", pid))

    def card(self, src: str, sub: SubmissionIndex, record: Finding | Recommendation) -> Card:
        section = sub.section_of[record.id]
        section_link = Link(
            f"§{section.number}. {section.title}", self.links.rel(src, self.links.section_page(sub, section))
        )
        meta: list[str] = []
        c = Card(
            id=record.id,
            kind="recommendation" if isinstance(record, Recommendation) else "finding",
            label=self.label(sub, record),
            text=record.text,
            href=self.links.rel(src, self.links.section_page(sub, section), record.id),
            section=section_link,
            number=record.number,
            meta=meta,
            tags=self.tags(src, record),
            record=record,
        )
        c.sources = [self.record_link(src, sub, s) for s in sub.sources_of(record)]
        if isinstance(record, Recommendation):
            meta.append(
                f"UPR Info action category {record.action_category.value}: "
                f"{ACTION_LABELS[record.action_category.value]} (“{record.action_verb}”)"
            )
            meta.append(f"State response: {RESPONSE_LABELS[record.response.value]}")
            if record.addressee:
                meta.append(f"Addressed to: {record.addressee}")
            c.based_on = [self.record_link(src, sub, sub.records[f]) for f in record.findings if f in sub.records]
            c.follows_up = [
                f"{p.document} para {p.paragraph}" + ("" if p.verified else " (unverified)") for p in record.follows_up
            ]
            c.history = [
                f"{h.date.isoformat()}: {h.status.value.replace('-', ' ')}" + (f" — {h.note}" if h.note else "")
                for h in record.implementation
            ]
        else:
            meta.append(f"{record.kind.value.replace('-', ' ')}, {record.status.value}")
            c.supports = [self.record_link(src, sub, r) for r in sub.recommendations_of_finding.get(record.id, [])]
            c.events = [_event_text(e) for e in record.events]
            c.figures = [f"{_qualifier(f.qualifier)}{f.value} {f.unit}" for f in record.figures]
        return c

    def footnotes(self, src: str, sub: SubmissionIndex, texts: list[str]) -> list[Footnote]:
        seen: dict[str, Footnote] = {}
        for text in texts:
            for sid in footnote_ids(text):
                source = sub.sources.get(sid)
                if source is None or sid in seen:
                    continue
                seen[sid] = Footnote(
                    id=sid,
                    text=source.citation or (source.title or ""),
                    url=source.url,
                    link_text=source.link_text,
                    entry=self.links.rel(src, self.links.sources_page(sub), sid),
                )
        return list(seen.values())

    # -- pages ---------------------------------------------------------------------

    def build(self) -> list[Page]:
        for sub in self.kb.submissions:
            self.submission_pages(sub)
        self.index_pages()
        self.vocabulary_pages()
        self.timeline_page()
        return self.pages

    def add(self, path: str, template: str, title: str, shows: frozenset[str] = frozenset(), **context: Any) -> None:
        context.setdefault("page_path", path)
        page = Page(path, template, title, context, shows)
        if self.sink is None:
            self.pages.append(page)
            return
        self.sink(page)
        self.pages.append(Page(path, template, title, {}, shows))

    def body(self, src: str, sub: SubmissionIndex, section: Section) -> tuple[list[BodyItem], list[str]]:
        items: list[BodyItem] = []
        texts: list[str] = []
        for n, block in enumerate(section.body, 1):
            for _rec, _field, text in texts_of(block):
                texts.append(text)
            if isinstance(block, Paragraph):
                items.append(
                    BodyItem(
                        "paragraph",
                        block.id,
                        block.text,
                        f"{section.number}.{n}",
                        quotes=[self.provision_link(src, q.provision) for q in block.quotes],
                    )
                )
            elif isinstance(block, QuoteBlock):
                items.append(
                    BodyItem(
                        "quote",
                        block.id,
                        block.text,
                        f"{section.number}.{n}",
                        cite=self.provision_link(src, block.provision),
                    )
                )
            elif isinstance(block, FindingBlock):
                items.append(
                    BodyItem(
                        "finding",
                        block.finding.id,
                        number=f"{section.number}.{n}",
                        cards=[self.card(src, sub, block.finding)],
                    )
                )
            elif isinstance(block, (FindingList, RecommendationList)):
                kind = "findings" if isinstance(block, FindingList) else "recommendations"
                items.append(
                    BodyItem(
                        kind,
                        None,
                        number=f"{section.number}.{n}",
                        label=block.label,
                        style=block.style.value,
                        cards=[self.card(src, sub, r) for r in block.items],
                    )
                )
            elif isinstance(block, TextList):
                items.append(
                    BodyItem(
                        "list",
                        block.id,
                        number=f"{section.number}.{n}",
                        style=block.style.value,
                        items=list(block.items),
                    )
                )
        return items, texts

    def submission_pages(self, sub: SubmissionIndex) -> None:
        meta = sub.submission
        base = f"{sub.id}/index.md"
        sections = [
            Link(f"§{s.number}. {s.title}", self.links.rel(base, self.links.section_page(sub, s))) for s in sub.sections
        ]
        counts = {
            "sections": len(sub.sections),
            "findings": len(sub.findings),
            "recommendations": len(sub.recommendations),
            "sources": len(sub.sources),
        }
        self.add(
            base,
            "submission.md.j2",
            meta.title,
            frozenset({meta.id}),
            sub=meta,
            sections=sections,
            counts=counts,
            sources_href=self.links.rel(base, self.links.sources_page(sub)),
            full_text_href=self.links.rel(base, f"{sub.id}/full-text.md"),
            recommendations_href=self.links.rel(base, "recommendations.md"),
            permalink=self.permalink(base),
        )
        full_sections = []
        full_texts: list[str] = []
        full_path = f"{sub.id}/full-text.md"
        for i, section in enumerate(sub.sections):
            path = self.links.section_page(sub, section)
            body, texts = self.body(path, sub, section)
            prev = sub.sections[i - 1] if i else None
            nxt = sub.sections[i + 1] if i + 1 < len(sub.sections) else None
            shows = frozenset({section.id, *sub.records.keys() & _ids_in(section)})
            self.add(
                path,
                "section.md.j2",
                f"§{section.number}. {section.title}",
                shows,
                sub=meta,
                section=section,
                body=body,
                footnotes=self.footnotes(path, sub, texts),
                overview=Link(meta.title, self.links.rel(path, base)),
                prev=Link(f"§{prev.number}. {prev.title}", self.links.rel(path, self.links.section_page(sub, prev)))
                if prev
                else None,
                next=Link(f"§{nxt.number}. {nxt.title}", self.links.rel(path, self.links.section_page(sub, nxt)))
                if nxt
                else None,
                permalink=self.permalink(path),
            )
            fbody, _ = self.body(full_path, sub, section)
            full_sections.append((section, fbody))
            full_texts += texts
        all_ids = frozenset({meta.id, *sub.records.keys()})
        self.add(
            full_path,
            "full_text.md.j2",
            f"{meta.title}: full text",
            all_ids,
            sub=meta,
            sections=full_sections,
            footnotes=self.footnotes(full_path, sub, full_texts),
        )
        src_path = self.links.sources_page(sub)
        recs_citing: dict[str, list[Recommendation]] = defaultdict(list)
        for rec in sub.recommendations:
            for source in sub.sources_of(rec):
                recs_citing[source.id].append(rec)
        entries = []
        for source in sub.sources.values():
            cited = [
                self.record_link(src_path, sub, r) for r in [*sub.cited_in.get(source.id, []), *recs_citing[source.id]]
            ]
            health = self.link_report.get(source.url) if source.url else None
            entries.append((source, source_label(source), cited, health))
        self.add(
            src_path,
            "sources.md.j2",
            f"Sources of {meta.title}",
            frozenset(sub.sources),
            sub=meta,
            entries=entries,
            overview=Link(meta.title, self.links.rel(src_path, base)),
        )

    def index_pages(self) -> None:
        kb = self.kb
        subs = []
        for sub in kb.submissions:
            base = "index.md"
            subs.append(
                (
                    sub.submission,
                    Link(sub.submission.title, self.links.rel(base, f"{sub.id}/index.md")),
                    len(sub.recommendations),
                )
            )
        self.add(
            "index.md",
            "home.md.j2",
            "The knowledge base",
            frozenset(s.id for s in kb.submissions),
            submissions=subs,
            counts=kb.record_count(),
            vocab=[(VOCABULARY_PAGES[k][1], f"{VOCABULARY_PAGES[k][0]}/index.md") for k in VOCABULARY_PAGES],
        )
        for kind, template, title in (
            ("recommendation", "recommendations.md.j2", "Recommendations"),
            ("finding", "findings.md.j2", "Findings"),
        ):
            rows = [
                (sub, r)
                for sub in kb.submissions
                for r in (sub.recommendations if kind == "recommendation" else sub.findings)
            ]
            for chunk in paginate(f"{kind}s", rows, INDEX_PAGE_SIZE):
                cards = [self.card(chunk.path, sub, r) for sub, r in chunk.items]
                self.add(
                    chunk.path,
                    template,
                    title if chunk.number == 1 else f"{title} (page {chunk.number})",
                    frozenset(c.id for c in cards),
                    cards=cards,
                    pager=chunk.pager,
                )
        hub = []
        for sub in kb.submissions:
            hub.append(
                (
                    sub.submission,
                    Link(
                        f"Sources of {sub.submission.title}", self.links.rel("sources.md", self.links.sources_page(sub))
                    ),
                    len(sub.sources),
                )
            )
        self.add("sources.md", "sources_hub.md.j2", "Sources", frozenset(), submissions=hub)

    def vocabulary_pages(self) -> None:
        kb = self.kb
        groups: list[tuple[str, list[tuple[str, str, str | None, list[str]]]]] = [
            ("theme", [(t.id, t.label, t.description, t.equivalents) for t in kb.themes.values()]),
            ("persons", [(t.id, t.label, t.description, t.equivalents) for t in kb.affected_persons.values()]),
            ("sdg", [(t.id, f"SDG {t.number}", t.text, []) for t in kb.targets.values()]),
        ]
        for kind, terms in groups:
            folder, heading = VOCABULARY_PAGES[kind]
            index = f"{folder}/index.md"
            rows = []
            for tid, label, description, equivalents in terms:
                path = f"{folder}/{tid}.md"
                tagged = kb.tagged.get((kind, tid), [])
                records = [(sub, r) for sub, r in tagged if isinstance(r, (Finding, Recommendation))]
                goal = kb.goal_of_target.get(tid) if kind == "sdg" else None
                for chunk in paginate(f"{folder}/{tid}", records, TERM_PAGE_SIZE):
                    cards = [self.card(chunk.path, sub, r) for sub, r in chunk.items]
                    self.add(
                        chunk.path,
                        "term.md.j2",
                        label if chunk.number == 1 else f"{label} (page {chunk.number})",
                        frozenset(c.id for c in cards) | {tid},
                        heading=heading,
                        label=label,
                        description=description,
                        equivalents=equivalents,
                        goal=goal,
                        cards=cards,
                        total=len(records),
                        pager=chunk.pager,
                        index=Link(heading, self.links.rel(chunk.path, index)),
                    )
                rows.append(
                    (
                        Link(label, self.links.rel(index, path)),
                        description,
                        sum(isinstance(r, Recommendation) for _, r in tagged),
                        sum(isinstance(r, Finding) for _, r in tagged),
                        goal,
                    )
                )
            self.add(index, "term_index.md.j2", heading, frozenset(), heading=heading, rows=rows, kind=kind)
        folder, heading = VOCABULARY_PAGES["instrument"]
        index = f"{folder}/index.md"
        instrument_rows: list[tuple[Link, Instrument, int]] = []
        for inst in kb.instruments.values():
            path = f"{folder}/{inst.id}.md"
            provisions = []
            for prov in inst.provisions:
                tagged = kb.tagged.get(("provision", prov.id), [])
                refs = [self.record_link(path, sub, r) for sub, r in tagged[:MAX_PROVISION_REFS]]
                provisions.append((prov, refs, len(tagged) - len(refs)))
            total = len(kb.tagged.get(("instrument", inst.id), []))
            self.add(
                path,
                "instrument.md.j2",
                inst.title,
                frozenset({inst.id, *(p.id for p in inst.provisions)}),
                inst=inst,
                provisions=provisions,
                index=Link(heading, self.links.rel(path, index)),
            )
            instrument_rows.append((Link(inst.title, self.links.rel(index, path)), inst, total))
        self.add(index, "instruments_index.md.j2", heading, frozenset(), rows=instrument_rows)

    def timeline_page(self) -> None:
        events = []
        for sub in self.kb.submissions:
            for f in sub.findings:
                for e in f.events:
                    events.append((e.date, e.end or "", _event_text(e), sub, f))
        events.sort(key=lambda e: (e[0], e[1]))  # stable: ties keep document order
        for chunk in paginate("timeline", events, TIMELINE_PAGE_SIZE):
            by_year: dict[str, list[Any]] = defaultdict(list)
            for date, _end, text, sub, f in chunk.items:
                by_year[date[:4]].append((text, self.record_link(chunk.path, sub, f)))
            self.add(
                chunk.path,
                "timeline.md.j2",
                "Timeline" if chunk.number == 1 else f"Timeline (page {chunk.number})",
                frozenset(e[4].id for e in chunk.items),
                years=sorted(by_year.items()),
                pager=chunk.pager,
            )


def _ids_in(section: Section) -> set[str]:
    ids = {s.id for s in section.sources}
    for block in section.body:
        if hasattr(block, "id"):
            ids.add(block.id)
        if isinstance(block, FindingBlock):
            ids.add(block.finding.id)
        for item in getattr(block, "items", []):
            if hasattr(item, "id"):
                ids.add(item.id)
    return ids


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def human_date(value: str) -> str:
    """``2022-01-05`` → ``5 January 2022``; ``2022-01`` → ``January 2022``."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def _event_text(e: Any) -> str:
    when = human_date(e.date) + (f" – {human_date(e.end)}" if e.end else "")
    return f"{when}: {e.description}"


def _qualifier(q: str) -> str:
    return {
        "exact": "",
        "more-than": "more than ",
        "about": "about ",
        "at-least": "at least ",
        "fewer-than": "fewer than ",
    }[q]
