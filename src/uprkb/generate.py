"""Stage 4b, generate: render the view models through Jinja into ``docs/kb/``.

Deterministic and incremental: the same data gives byte-identical files, a
file is written only when its content changed, and files this run did not
produce are removed. Hand-written pages elsewhere in ``docs/`` are never touched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import markup
from .errors import CODES
from .index import KnowledgeBase, SubmissionIndex
from .models import FILE_MODELS, Model
from .views import ACTION_LABELS, GENERATED, RESPONSE_LABELS, Page, ViewBuilder, human_date, source_label

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass
class GenerateStats:
    pages: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """The Jinja environment for Markdown output (no HTML autoescape: ``md`` escapes)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["md"] = _md_filter
    env.filters["esc"] = markup.escape
    env.filters["url"] = markup.url
    env.filters["date"] = human_date
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


@jinja2.pass_context
def _md_filter(ctx: jinja2.runtime.Context, text: str) -> str:
    footnotes = ctx.get("footnote_ids", ())
    return markup.inline(text, footnotes)


class Renderer:
    """Renders pages with compiled templates (each template is loaded once)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.cache: dict[str, jinja2.Template] = {}

    def render(self, page: Page) -> str:
        template = self.cache.get(page.template)
        if template is None:
            template = self.cache[page.template] = self.env.get_template(page.template)
        ctx = dict(page.context)
        ctx["title"] = page.title
        ctx["footnote_ids"] = frozenset(f.id for f in ctx.get("footnotes", []))
        return template.render(ctx)


def render_pages(pages: list[Page], env: jinja2.Environment) -> dict[str, str]:
    renderer = Renderer(env)
    return {page.path: renderer.render(page) for page in pages}


class TreeWriter:
    """Writes files below ``root`` only when their bytes changed; removes what was not written."""

    def __init__(self, root: Path, stats: GenerateStats) -> None:
        self.root = root
        self.stats = stats
        self.keep: set[str] = set()
        root.mkdir(parents=True, exist_ok=True)

    def write(self, rel: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.keep.add(rel)
        path = self.root / rel
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                self.stats.unchanged += 1
                return
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.stats.written.append(rel)

    def remove_stale(self) -> None:
        for dirpath, _dirnames, filenames in os.walk(self.root, topdown=False):
            for name in filenames:
                path = Path(dirpath) / name
                rel = path.relative_to(self.root).as_posix()
                if rel not in self.keep:
                    path.unlink()
                    self.stats.removed.append(rel)
            if dirpath != str(self.root) and not os.listdir(dirpath):
                os.rmdir(dirpath)


def write_tree(root: Path, files: dict[str, str | bytes], stats: GenerateStats) -> None:
    """Write ``files`` below ``root`` when changed; delete every other file below ``root``."""
    writer = TreeWriter(root, stats)
    for rel, content in files.items():
        writer.write(rel, content)
    writer.remove_stale()


def reference_pages() -> dict[str, Any]:
    """The data-model reference, read from the models' field docstrings."""
    models: dict[str, type[Model]] = {}

    def visit(cls: type[Model]) -> None:
        if cls.__name__ in models:
            return
        models[cls.__name__] = cls
        for f in cls.model_fields.values():
            for t in _nested_models(f.annotation):
                visit(t)

    for cls in FILE_MODELS.values():
        visit(cls)
    rows = []
    for name, cls in models.items():
        fields = []
        for fname, f in cls.model_fields.items():
            required = f.is_required()
            default = None if required else repr(f.get_default(call_default_factory=True))
            fields.append((fname, _type_name(f.annotation), required, default, f.description or ""))
        rows.append((name, (cls.__doc__ or "").strip().splitlines()[0], fields))
    return {"models": rows, "codes": sorted(CODES.items())}


def _nested_models(tp: Any) -> list[type[Model]]:
    out: list[type[Model]] = []
    if isinstance(tp, type) and issubclass(tp, Model):
        return [tp]
    for arg in typing.get_args(tp):
        out += _nested_models(arg)
    return out


def _type_name(tp: Any) -> str:
    import enum

    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base = typing.get_args(tp)[0]
        meta = typing.get_args(tp)[1:]
        name = _type_name(base)
        for m in meta:
            if getattr(m, "json_schema_extra", None) and "pattern" in (m.json_schema_extra or {}):
                return "ID"
            if type(m).__name__ in ("AfterValidator", "BeforeValidator"):
                fn = getattr(m, "func", None)
                label = {
                    "_check_id": "ID",
                    "_check_text": "text",
                    "_check_url": "URL",
                    "_parse_date": "date (YYYY-MM-DD)",
                    "_check_partial": "date (YYYY[-MM[-DD]])",
                }
                if fn is not None and fn.__name__ in label:
                    return label[fn.__name__]
        return name
    if origin in (typing.Union,) or type(tp).__name__ == "UnionType":
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return " | ".join(str(m.value) for m in tp)
    if isinstance(tp, type):
        return {"str": "text", "int": "number", "bool": "true/false"}.get(tp.__name__, tp.__name__)
    return str(tp)


def downloads(kb: KnowledgeBase, views: ViewBuilder) -> dict[str, bytes]:
    """``downloads/knowledge-base.json`` and ``downloads/recommendations.csv``."""
    records: list[dict[str, Any]] = []
    lk = views.links

    def permalink(sub: SubmissionIndex, record: Any) -> str:
        return views.permalink(lk.record_page(sub, record), record.id)

    for sub in kb.submissions:
        meta = sub.submission
        records.append(
            {
                "id": meta.id,
                "kind": "submission",
                "title": meta.title,
                "organisation": meta.organisation.name,
                "state_under_review": meta.state.name,
                "state_iso3": meta.state.iso3,
                "cycle": meta.cycle,
                "session": meta.session,
                "review_date": meta.review_date.isoformat() if meta.review_date else None,
                "documents": [d.symbol for d in meta.documents],
                "sections": [s.id for s in sub.sections],
                "permalink": views.permalink(f"{sub.id}/index.md"),
            }
        )
        for section in sub.sections:
            records.append(
                {
                    "id": section.id,
                    "kind": "section",
                    "submission": meta.id,
                    "number": section.number,
                    "title": section.title,
                    "findings": [f.id for f in section.findings()],
                    "recommendations": [r.id for r in section.recommendations()],
                    "permalink": views.permalink(lk.section_page(sub, section)),
                }
            )
        for f in sub.findings:
            records.append(
                {
                    "id": f.id,
                    "kind": "finding",
                    "submission": meta.id,
                    "section": sub.section_of[f.id].id,
                    "number": f.number,
                    "text": markup.plain(f.text),
                    "finding_kind": f.kind.value,
                    "status": f.status.value,
                    "sources": [s.id for s in sub.sources_of(f)],
                    "provisions": f.provisions,
                    "themes": f.themes,
                    "affected_persons": f.affected_persons,
                    "events": [e.model_dump() for e in f.events],
                    "figures": [x.model_dump() for x in f.figures],
                    "recommendations": [r.id for r in sub.recommendations_of_finding.get(f.id, [])],
                    "permalink": permalink(sub, f),
                }
            )
        for r in sub.recommendations:
            records.append(
                {
                    "id": r.id,
                    "kind": "recommendation",
                    "submission": meta.id,
                    "section": sub.section_of[r.id].id,
                    "number": r.number,
                    "text": markup.plain(r.text),
                    "action_category": r.action_category.value,
                    "action_verb": r.action_verb,
                    "addressee": r.addressee,
                    "themes": r.themes,
                    "affected_persons": r.affected_persons,
                    "sdg_targets": r.sdg_targets,
                    "provisions": r.provisions,
                    "findings": [f for f in r.findings if f in sub.records],
                    "sources": [s.id for s in sub.sources_of(r)],
                    "follows_up": [p.model_dump() for p in r.follows_up],
                    "response": r.response.value,
                    "implementation": [h.model_dump(mode="json") for h in r.implementation],
                    "permalink": permalink(sub, r),
                }
            )
        for s in sub.sources.values():
            records.append(
                {
                    "id": s.id,
                    "kind": "source",
                    "submission": meta.id,
                    "title": source_label(s),
                    "source_kind": s.kind.value,
                    "author": s.author,
                    "url": s.url,
                    "archived_url": s.archived_url,
                    "published": s.published,
                    "accessed": s.accessed.isoformat() if s.accessed else None,
                    "cited_in": [c.id for c in sub.cited_in.get(s.id, [])],
                    "permalink": permalink(sub, s),
                }
            )
    for t in kb.themes.values():
        records.append(
            {
                "id": t.id,
                "kind": "theme",
                "title": t.label,
                "equivalents": t.equivalents,
                "permalink": views.permalink(f"themes/{t.id}.md"),
            }
        )
    for t in kb.affected_persons.values():
        records.append(
            {
                "id": t.id,
                "kind": "affected-persons",
                "title": t.label,
                "equivalents": t.equivalents,
                "permalink": views.permalink(f"affected-persons/{t.id}.md"),
            }
        )
    for target in kb.targets.values():
        records.append(
            {
                "id": target.id,
                "kind": "sdg-target",
                "title": f"SDG {target.number}",
                "text": target.text,
                "goal": kb.goal_of_target[target.id].number,
                "permalink": views.permalink(f"sdgs/{target.id}.md"),
            }
        )
    for inst in kb.instruments.values():
        records.append(
            {
                "id": inst.id,
                "kind": "instrument",
                "title": inst.title,
                "url": inst.url,
                "provisions": [p.id for p in inst.provisions],
                "permalink": views.permalink(f"instruments/{inst.id}.md"),
            }
        )
        for p in inst.provisions:
            records.append(
                {
                    "id": p.id,
                    "kind": "provision",
                    "title": f"{inst.short_title or inst.title}, {p.label}",
                    "instrument": inst.id,
                    "permalink": views.permalink(f"instruments/{inst.id}.md", p.id),
                }
            )
    payload = {"generator": "uprkb", "records": records}
    kb_json = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8") + b"\n"

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "recommendation_id",
            "submission_id",
            "state_under_review",
            "state_iso3",
            "cycle",
            "session",
            "submitting_organisation",
            "section",
            "number",
            "recommendation",
            "action_category",
            "action_category_label",
            "action_verb",
            "themes",
            "affected_persons",
            "sdg_targets",
            "provisions",
            "response",
            "follows_up",
            "permalink",
        ]
    )
    for sub in kb.submissions:
        meta = sub.submission
        for r in sub.recommendations:
            section = sub.section_of[r.id]
            w.writerow(
                [
                    r.id,
                    meta.id,
                    meta.state.name,
                    meta.state.iso3,
                    meta.cycle,
                    meta.session,
                    meta.organisation.name,
                    f"§{section.number}. {section.title}",
                    f"{section.number}.{r.number}",
                    markup.plain(r.text),
                    r.action_category.value,
                    ACTION_LABELS[r.action_category.value],
                    r.action_verb,
                    "; ".join(kb.themes[t].label for t in r.themes),
                    "; ".join(kb.affected_persons[p].label for p in r.affected_persons),
                    "; ".join(kb.targets[t].number for t in r.sdg_targets),
                    "; ".join(r.provisions),
                    RESPONSE_LABELS[r.response.value],
                    "; ".join(f"{p.document} para {p.paragraph}" for p in r.follows_up),
                    permalink(sub, r),
                ]
            )
    return {"knowledge-base.json": kb_json, "recommendations.csv": buf.getvalue().encode("utf-8")}


def generate(
    kb: KnowledgeBase,
    docs_dir: Path,
    site_url: str,
    link_report: dict[str, Any] | None = None,
    templates: Path = TEMPLATES,
) -> tuple[GenerateStats, ViewBuilder]:
    """Render every generated page into ``docs_dir/kb``; returns what was written.

    Pages are rendered and written one at a time as the views produce them, so
    memory holds one page's view model and text, not the whole site's.
    """
    stats = GenerateStats()
    writer = TreeWriter(docs_dir / GENERATED, stats)
    renderer = Renderer(environment(templates))

    def emit(page: Page) -> None:
        writer.write(page.path, renderer.render(page))
        stats.pages += 1

    views = ViewBuilder(kb, site_url, link_report, sink=emit)
    views.build()
    ref = reference_pages()
    emit(Page("reference/data-model.md", "data_model.md.j2", "Data-model reference", {"models": ref["models"]}))
    emit(Page("reference/error-codes.md", "error_codes.md.j2", "Error codes", {"codes": ref["codes"]}))
    writer.remove_stale()
    return stats, views


__all__ = ["generate", "downloads", "GenerateStats"]
