"""The contract between page builders and templates: each template's variables are its context's fields.

Both ways: a field no template uses fails, and so does a variable no field
provides. And no pydantic model reaches a template: contexts hold display
strings, numbers and links only.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import meta
from pydantic import BaseModel

from uprkb.build.site import load_knowledge_base
from uprkb.core.project import Project, site_url
from uprkb.exports.downloads import downloads
from uprkb.present.links import Permalinks
from uprkb.site.contexts import TEMPLATE_CONTEXTS
from uprkb.site.generate import TEMPLATES, environment
from uprkb.site.pages import Page, build_pages

PAGE_TEMPLATES = sorted(p.name for p in TEMPLATES.glob("*.md.j2") if not p.name.startswith("_"))


def template_variables(env: jinja2.Environment, name: str) -> set[str]:
    """The names a template reads from its context, including those of the templates it includes."""
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    ast = env.parse(source)
    names = set(meta.find_undeclared_variables(ast))
    for node in ast.find_all(jinja2.nodes.Include):
        included = node.template.value  # type: ignore[attr-defined]
        names |= template_variables(env, included)
    return names


def test_every_page_template_has_a_context() -> None:
    assert sorted(TEMPLATE_CONTEXTS) == PAGE_TEMPLATES


@pytest.mark.parametrize("name", PAGE_TEMPLATES)
def test_template_variables_equal_context_fields(name: str) -> None:
    env = environment()
    used = template_variables(env, name)
    fields = {f.name for f in dataclasses.fields(TEMPLATE_CONTEXTS[name])}
    assert used - fields == set(), f"{name} uses variables its context does not provide"
    assert fields - used == set(), f"{name}'s context has fields the template never uses"


def test_the_contract_check_catches_a_missing_and_an_unused_field(tmp_path: Path) -> None:
    (tmp_path / "_pager.md.j2").write_text("{{ pager }}")
    (tmp_path / "t.md.j2").write_text("{{ title }} {% include '_pager.md.j2' %} {{ extra }}")
    env = environment(tmp_path)
    assert template_variables(env, "t.md.j2") == {"title", "pager", "extra"}


def model_leaks(value: Any, path: str) -> list[str]:
    """Where a pydantic model (or any object that is not plain data) sits in a context."""
    return _walk(value, path, set())


def _walk(value: Any, path: str, seen: set[int]) -> list[str]:
    if id(value) in seen or isinstance(value, str | int | float | bool | type(None)):
        return []
    seen.add(id(value))
    if isinstance(value, BaseModel):
        return [f"{path}: {type(value).__name__}"]
    if dataclasses.is_dataclass(value):
        return [x for f in dataclasses.fields(value) for x in _walk(getattr(value, f.name), f"{path}.{f.name}", seen)]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _walk(v, f"{path}[{k!r}]", seen)]
    if isinstance(value, list | tuple | set | frozenset):
        return [x for i, v in enumerate(value) for x in _walk(v, f"{path}[{i}]", seen)]
    return [f"{path}: {type(value).__name__}"]


def test_no_model_reaches_a_template() -> None:
    _, kb = load_knowledge_base(Project.find())
    pages: list[Page] = []
    url = site_url(Project.find().config)
    sizes = {name: len(data) for name, data in downloads(kb, Permalinks(url)).items()}
    build_pages(kb, url, {}, pages.append, sizes)
    assert len(pages) > 70
    offenders = [x for page in pages for x in _walk(page.context, page.path, set())]
    assert offenders == []
    # The seed holds no review: the review page is checked with imported reviews in tests/test_review_pages.py.
    assert {p.template for p in pages} | {"data_model.md.j2", "error_codes.md.j2", "review.md.j2"} == set(
        PAGE_TEMPLATES
    )


def view_types() -> set[type]:
    """Every dataclass a context holds, at any depth (the nested view types), found from the annotations."""
    import typing

    found: set[type] = set()

    def visit(tp: Any) -> None:
        for arg in typing.get_args(tp):
            visit(arg)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in found:
            found.add(tp)
            for name, hint in typing.get_type_hints(tp).items():
                if name in {f.name for f in dataclasses.fields(tp)}:
                    visit(hint)
            for subclass in tp.__subclasses__():  # a card of each kind where a context says Card
                visit(subclass)

    for context in TEMPLATE_CONTEXTS.values():
        visit(context)
    return found - set(TEMPLATE_CONTEXTS.values())


def attributes_read(env: jinja2.Environment) -> set[str]:
    """Every attribute any template reads (``x.name``), shared fragments included."""
    names: set[str] = set()
    for path in TEMPLATES.glob("*.md.j2"):
        ast = env.parse(path.read_text(encoding="utf-8"))
        names |= {node.attr for node in ast.find_all(jinja2.nodes.Getattr)}
    return names


def test_nested_view_types_hold_only_what_the_templates_read() -> None:
    """The contract one level down: each field of a view type inside a context is read by some template."""
    types = view_types()
    assert len(types) > 20, "the walk over the contexts' annotations found too few view types"
    assert unread_fields(types, attributes_read(environment())) == [], "fields no template reads"


def unread_fields(types: set[type], read: set[str]) -> list[str]:
    return sorted(f"{tp.__name__}.{f.name}" for tp in types for f in dataclasses.fields(tp) if f.name not in read)


def test_the_nested_contract_check_sees_an_unread_field() -> None:
    @dataclasses.dataclass
    class Probe:
        never_read_by_any_template: str

    read = attributes_read(environment())
    assert unread_fields({Probe}, read) == ["Probe.never_read_by_any_template"]
    assert "label" in read and "href" in read
