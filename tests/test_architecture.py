"""The shape of the package: stage packages whose imports only run downhill, one place that reads ``__file__``."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "uprkb"

STAGES = [
    "core",
    "model",
    "load",
    "index",
    "present",
    "check",
    "exports",
    "site",
    "linkcheck",
    "build",
    "importers",
    "authoring",
    "preview",
    "cli",
]
"""The packages in pipeline order (as the package docstring lists them): each imports only from those before it."""

MAX_LINES = 600
TYPED_MODELS = {"model/records.py"}
"""Modules of typed models, allowed to be longer: one class per record kind, a docstring per field."""


@functools.cache
def modules() -> dict[str, Path]:
    return {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in PACKAGE.rglob("*.py")
    }


def imports_of(module: str, path: Path) -> set[str]:
    """Every ``uprkb`` module ``path`` imports, at any depth of the file (function-level and TYPE_CHECKING too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = {f"{base}.{a.name}" for a in node.names}
            # "from pkg import submodule" takes the submodule; names from pkg's __init__ take pkg itself.
            found |= names if names <= set(modules()) else names | {base}
    return {name for name in found if name == "uprkb" or name.startswith("uprkb.")}


def stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_every_package_is_a_stage() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages | {"cli"} == set(STAGES)


def test_imports_only_run_downhill() -> None:
    known = modules()
    uphill = []
    for module, path in known.items():
        here = stage(module)
        if here is None:
            continue
        for target in imports_of(module, path):
            there = stage(target)
            if there is not None and there > here:
                uphill.append(f"{module} imports {target}")
    assert uphill == []


def test_no_import_circle() -> None:
    known = modules()

    def resolve(name: str) -> str | None:
        while name:
            if name in known:
                return name
            name = name.rpartition(".")[0]
        return None

    # A submodule taking names from its own package's __init__ counts too: that __init__ imports it back.
    graph = {m: {r for t in imports_of(m, p) if (r := resolve(t)) and r != m} for m, p in known.items()}
    # Each module's reach; a module that reaches itself is in a circle.
    circles = []
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            m = todo.pop()
            if m == start:
                circles.append(start)
                break
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
    assert circles == []


def test_only_the_project_module_reads_its_own_location() -> None:
    def reads_own_location(path: Path) -> bool:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(tree))

    readers = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if reads_own_location(p)]
    assert readers == ["core/project.py"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_read_in_a_few_screens(path: Path) -> None:
    rel = str(path.relative_to(PACKAGE))
    if rel in TYPED_MODELS:
        pytest.skip("typed models: one class per record kind, a docstring per field")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{rel} has {lines} lines; split it by responsibility"
