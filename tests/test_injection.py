"""Text stays text: hostile strings in every kind of field are inert in the built HTML,
and the escaping boundary round-trips arbitrary text."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from uprkb.build.safety import scan_html, scan_site
from uprkb.build.site import build_site
from uprkb.core import markup
from uprkb.core.errors import DataError
from uprkb.core.project import Project

from .conftest import copy_project
from .injection import PAYLOADS, plant_everywhere

ALLOWED_INLINE = {"em", "strong", "sup", "a", "p", "div", "li", "ol", "hr", "span"}


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, list[str]]:
    paths = copy_project(tmp_path_factory.mktemp("hostile"))
    fields = plant_everywhere(paths.data)
    build_site(paths)
    return paths, fields


def article_texts(site: Path) -> dict[str, str]:
    out = {}
    for page in site.rglob("*.html"):
        doc = lxml_html.parse(str(page)).getroot()
        for article in doc.xpath("//article"):
            out[str(page.relative_to(site))] = ws(article.text_content())
    return out


def test_no_active_markup_anywhere(hostile: tuple[Project, list[str]]) -> None:
    paths, _ = hostile
    for page in paths.site.rglob("*.html"):
        doc = lxml_html.parse(str(page)).getroot()
        for article in doc.xpath("//article"):
            assert not article.xpath(".//script | .//iframe | .//style | .//svg | .//object | .//embed")
            # The only images are the site's own charts, drawn at build time.
            for src in article.xpath(".//img/@src"):
                assert re.fullmatch(r"(\.\./)*charts/[a-z0-9-]+\.svg", src), (page, src)
            for el in article.iter():
                if not isinstance(el.tag, str):
                    continue
                assert not any(a.startswith("on") for a in el.attrib), (page, el.tag, dict(el.attrib))
                for attr in ("href", "src"):
                    v = (el.get(attr) or "").strip().lower()
                    assert not v.startswith(("javascript:", "data:", "vbscript:")), (page, v)
                    assert "evil.example" not in v, (page, v)
    assert scan_site(paths.site, paths.config) == []


def test_every_payload_is_shown_literally_in_every_field(hostile: tuple[Project, list[str]]) -> None:
    paths, fields = hostile
    texts = " || ".join(article_texts(paths.site).values())
    for field in fields:
        for payload in PAYLOADS:
            shown = ws(markup.plain(f"{field} {payload}"))
            assert shown in texts or ws(markup.plain(payload)) in texts, (field, payload)
    assert "alert('xss-1')" in texts  # the words are there, as text
    # The template syntax is shown as typed, never evaluated where the data put it (paragraph 49 may exist).
    assert "{{ 7*7 }}" in texts
    assert not [f for f in fields if ws(markup.plain(f"{f} 49")) in texts]


@pytest.mark.slow
def test_the_html_scan_catches_script_a_template_lets_through(tmp_path: Path) -> None:
    paths = copy_project(tmp_path / "p")
    (paths.site / "marker").parent.mkdir(parents=True, exist_ok=True)
    template = paths.templates / "section.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{{ m.body(body) }}", '{{ m.body(body) }}\n\n<img src="x" onerror="alert(1)">\n'
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        build_site(paths)
    codes = {p.code for p in info.value.problems}
    assert codes == {"active-content"}
    assert any("onerror" in p.message for p in info.value.problems)
    assert not (paths.site / "index.html").exists()


MD = markdown.Markdown(extensions=["abbr", "attr_list", "footnotes", "md_in_html", "tables", "toc"])


def render(md_text: str) -> lxml_html.HtmlElement:
    MD.reset()
    return lxml_html.fragment_fromstring(MD.convert(md_text) or "<p></p>", create_parent="div")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))
def test_escaping_round_trips_visible_text(text: str) -> None:
    """Arbitrary text renders to exactly its visible words and never to active markup."""
    root = render(markup.inline(text))
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)}
    assert tags <= ALLOWED_INLINE, tags
    assert not any(a.startswith("on") for el in root.iter() if isinstance(el.tag, str) for a in el.attrib)
    assert ws(root.text_content()) == ws(markup.plain(text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            PAYLOADS
            + [
                "*",
                "**",
                "_",
                "\\",
                "<",
                ">",
                "&",
                "[",
                "]",
                "(",
                ")",
                "#",
                "|",
                "{",
                "}",
                "!",
                "`",
                "~",
                "^",
                ":",
                " ",
                "\n",
                "x",
                "1.",
                "- ",
            ]
        ),
        max_size=12,
    )
)
def test_escaping_of_syntax_soup(parts: list[str]) -> None:
    text = "".join(parts)
    root = render(markup.inline(text))
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)}
    assert tags <= ALLOWED_INLINE, (text, tags)
    assert ws(root.text_content()) == ws(markup.plain(text))


def test_footnote_markers_only_for_known_sources() -> None:
    assert markup.inline("a[^known] b[^secret]", {"known"}) == "a[^known] b"


@pytest.mark.parametrize(
    "snippet",
    [
        '<a href="javascript&#58;alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        "<a href=javascript:alert(1)>x</a>",
        "<img src=x onerror=alert(1)>",
        '<a href="data:text/html,x">x</a>',
        "<SCRIPT>alert(1)</SCRIPT>",
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    ],
)
def test_the_scan_sees_through_encodings(snippet: str) -> None:
    page = f"<html><body><nav><a href='/'>home</a></nav>\n<article>\n<p>{snippet}</p>\n</article></body></html>"
    findings = scan_html(page)
    assert findings and findings[0][0] == 3  # the line within the whole page


def test_the_scan_passes_ordinary_links() -> None:
    page = '<article><a href="../x/">a</a><a href="#fn:1">b</a><a href="https://e.org/?a=1&amp;b">c</a></article>'
    assert scan_html(page) == []
