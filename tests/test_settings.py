"""The settings are read in one place: mkdocs.yml as MkDocs reads it, the environment through one accessor.

A ``mkdocs.yml`` using MkDocs' ``!ENV`` tag and Material's emoji recipe (``!!python/name:…``) gives the
publishing address and the plugins MkDocs builds with; before, any tag silently turned the address into
the placeholder and a Pagefind build replaced the plugins with an empty list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.project import PROJECT
from uprkb.core.errors import UserError
from uprkb.core.settings import ENVIRONMENT, PLACEHOLDER_SITE_URL, environ, site_settings
from uprkb.site.search import plugins_without_search

TAGGED = """\
site_name: Tagged
site_url: !ENV [UPRKB_TEST_PUBLISHED_AT, "https://fallback.example.org/"]
theme:
  name: material
plugins:
  - search
  - tags
markdown_extensions:
  - attr_list
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
extra_javascript:
  - assets/javascripts/tables.js
  - path: assets/javascripts/extra.js
    defer: true
"""


@pytest.fixture
def tagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("UPRKB_SITE_URL", raising=False)
    config = tmp_path / "mkdocs.yml"
    config.write_text(TAGGED, encoding="utf-8")
    return config


def test_env_tag_and_emoji_recipe_read_as_mkdocs_reads_them(tagged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert site_settings(tagged).site_url == "https://fallback.example.org/"
    monkeypatch.setenv("UPRKB_TEST_PUBLISHED_AT", "https://org.github.io/repo/")
    settings = site_settings(tagged)
    assert settings.site_url == "https://org.github.io/repo/"
    assert settings.plugins == ("search", "tags")
    assert settings.extra_javascript == ("assets/javascripts/tables.js", "assets/javascripts/extra.js")
    assert plugins_without_search(tagged) == ["tags"], "a Pagefind build keeps the user's other plugins"


def test_the_environment_overrides_and_the_placeholder_is_only_for_no_address(
    tagged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPRKB_SITE_URL", "https://preview.example.org/")
    assert site_settings(tagged).site_url == "https://preview.example.org/"
    monkeypatch.delenv("UPRKB_SITE_URL")
    bare = tmp_path / "bare.yml"
    bare.write_text("site_name: Bare\n", encoding="utf-8")
    assert site_settings(bare).site_url == PLACEHOLDER_SITE_URL
    assert site_settings(bare).plugins == ("search",), "MkDocs' default plugins"


def test_inherited_settings_are_merged_as_mkdocs_merges_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPRKB_SITE_URL", raising=False)
    (tmp_path / "base.yml").write_text("site_url: https://base.example.org/\nplugins: [search, tags]\n", "utf-8")
    child = tmp_path / "mkdocs.yml"
    child.write_text("INHERIT: base.yml\nsite_name: Child\n", encoding="utf-8")
    assert site_settings(child).site_url == "https://base.example.org/"
    assert site_settings(child).plugins == ("search", "tags")


def test_a_file_mkdocs_cannot_read_is_said_not_replaced_by_the_placeholder(tmp_path: Path) -> None:
    broken = tmp_path / "mkdocs.yml"
    broken.write_text("site_url: [unclosed\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        site_settings(broken)
    assert "mkdocs.yml" in info.value.format() and "MkDocs cannot read it" in info.value.format()


@pytest.mark.slow
def test_a_site_whose_address_comes_from_env_builds_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from uprkb.build.site import build_site

    project = copy_project(tmp_path / "project")
    config = project.config.read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_url: .*$", 'site_url: !ENV [UPRKB_TEST_PUBLISHED_AT, "https://x.example.org/"]', config)
    config += "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    config = config.replace("markdown_extensions:\n", "markdown_extensions:\n", 1)
    project.config.write_text(config, encoding="utf-8")
    monkeypatch.delenv("UPRKB_SITE_URL", raising=False)
    monkeypatch.setenv("UPRKB_TEST_PUBLISHED_AT", "https://kb.example.net/")
    build_site(project)
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://kb.example.net/">' in home


def test_environment_variables_are_read_in_one_place() -> None:
    """The guard looks for the concept itself: any read of the environment outside core/settings.py."""
    reads = re.compile(r"os\.environ(?:\.get)?\s*[\[(]|os\.getenv\(")
    found = [
        f"{path.relative_to(PROJECT)}:{n}"
        for path in sorted((PROJECT / "src").rglob("*.py"))
        if path.name != "settings.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line)
    ]
    assert found == [], "read the environment with uprkb.core.settings.environ (and list the variable there)"
    named = set(
        re.findall(r'environ\("([A-Z_]+)"', "\n".join(p.read_text("utf-8") for p in (PROJECT / "src").rglob("*.py")))
    )
    assert named <= set(ENVIRONMENT)
    with pytest.raises(KeyError):
        environ("UPRKB_NOT_A_SETTING")


def test_mkdocs_yml_is_read_in_one_place() -> None:
    """No module but core/settings.py parses mkdocs.yml (the concept: YAML parsing next to 'mkdocs.yml' or config)."""
    parses = re.compile(r"yaml\.(?:safe_)?load\(|yaml_load\(")
    found = [
        f"{path.relative_to(PROJECT)}"
        for path in sorted((PROJECT / "src").rglob("*.py"))
        if path.name != "settings.py" and parses.search(text := path.read_text(encoding="utf-8"))
        and re.search(r"mkdocs\.yml|\bconfig\b", text)
    ]  # fmt: skip
    assert found == [], found


def test_readme_lists_every_environment_variable() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in ENVIRONMENT if name not in readme and not name.startswith("XDG")]
    assert missing == []
