"""Units of the view layer: relative links and pagination."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from uprkb.present.links import paginate, rel

segment = st.sampled_from(["a", "b", "kb", "themes", "x-y", "page-2"])
page = st.lists(segment, min_size=0, max_size=3).map(lambda parts: "/".join([*parts, "p.md"]))


@given(page, page)
def test_relative_links_match_posixpath(src: str, dst: str) -> None:
    expected = posixpath.relpath(dst, posixpath.dirname(src) or ".") if src != dst else "p.md"
    assert rel(src, dst) == expected


def test_pagination_keeps_every_item_once_and_a_bounded_pager() -> None:
    chunks = paginate("themes/t", list(range(1000)), 10)
    assert [c.path for c in chunks[:2]] == ["themes/t.md", "themes/t/page-2.md"]
    assert [i for c in chunks for i in c.items] == list(range(1000))
    assert max(len(c.pager) for c in chunks) <= 11
    middle = chunks[50]
    assert [p.label for p in middle.pager if p.current] == ["51"]
    links = {p.label: p.href for p in middle.pager}
    assert links["1"] == "../t.md" and links["52"] == "page-52.md"
    assert paginate("x", [], 10)[0].pager == []
