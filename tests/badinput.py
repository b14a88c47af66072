"""A catalogue of bad inputs: each case names the file it writes, its content, the
problem code expected and a needle that locates the expected line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SUBMISSION = "ili-kazakhstan-upr4"
PROBE = f"submissions/{SUBMISSION}/sections/06-probe.yaml"
META = f"submissions/{SUBMISSION}/submission.yaml"

BASE = """\
id: probe
number: 6
title: Probe
body:
  - type: paragraph
    id: probe-p1
    text: Probe text[^probe-src].
  - type: finding
    finding:
      id: probe-f1
      text: A probe finding.
      kind: fact
      events:
        - date: 2022-01-05
          end: 2022-01-10
          description: a span
  - type: recommendations
    label: "Recommendations:"
    items:
      - id: probe-r1
        number: 1
        text: Do the probe.
        action_category: 5
        action_verb: Do
        themes: [right-to-life]
        findings: [probe-f1]
sources:
  - id: probe-src
    kind: media
    url: https://example.org/probe
"""


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    content: str | bytes
    needle: str | None = None  # the expected line holds this text (None: line 1)
    path: str = PROBE
    warning: bool = False

    def expected_line(self) -> int:
        if self.needle is None:
            return 1
        text = self.content.decode("utf-8", "replace") if isinstance(self.content, bytes) else self.content
        for i, line in enumerate(text.splitlines(), 1):
            if self.needle in line:
                return i
        raise AssertionError(f"needle {self.needle!r} not in case {self.name}")


def sub(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


LAUGHS = "a: &a [lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
DEEP = "id: probe\nnumber: 6\ntitle: Probe\nbody:\n" + "".join(
    "  " * (i + 1) + f"- # level {i + 1}\n" for i in range(30)
)

CASES: list[Case] = [
    Case(
        "yaml-tag",
        "yaml-tag",
        sub("text: Probe text[^probe-src].", 'text: !!python/object/apply:os.system ["echo pwned"]'),
        "python/object",
    ),
    Case("anchor", "yaml-anchor", sub("id: probe-p1", "id: &x probe-p1"), "&x"),
    Case("alias", "yaml-alias", sub("title: Probe", "title: *x"), "*x"),
    Case("merge-key", "yaml-merge", sub("    id: probe-p1\n", "    id: probe-p1\n    <<: {a: b}\n"), "<<"),
    Case("billion-laughs", "yaml-anchor", LAUGHS, "&a"),
    Case("duplicate-key", "duplicate-key", sub("title: Probe\n", "title: Probe\ntitle: Again\n"), "Again"),
    Case("typed-keys-collide", "key-not-string", sub("title: Probe\n", "title: Probe\n1: one\ntrue: yes\n"), "1: one"),
    Case("non-string-key", "key-not-string", sub("title: Probe\n", "title: Probe\n? [a, b]\n: x\n"), "? [a, b]"),
    Case("invalid-date", "invalid-value", sub("date: 2022-01-05", "date: 2024-13-45"), "2024-13-45"),
    Case("ambiguous-date", "invalid-value", sub("date: 2022-01-05", "date: 05/01/2024"), "05/01/2024"),
    Case(
        "review-date",
        "invalid-value",
        "id: ili-kazakhstan-upr4\ntitle: T\norganisation: {name: N}\nstate: {name: K, iso3: KAZ}\n"
        "cycle: 4\nsession: 48\nreview_date: 2024-02-30\n",
        "2024-02-30",
        path=META,
    ),
    Case("empty-file", "empty-file", ""),
    Case("comments-only", "empty-file", "# nothing here\n"),
    Case("several-documents", "yaml-multiple-documents", BASE + "---\nid: again\n", "---"),
    Case("tab-indentation", "yaml-syntax", sub("    id: probe-p1", "\tid: probe-p1"), "\tid"),
    Case("unquoted-colon", "yaml-syntax", sub("title: Probe", "title: a: b"), "a: b"),
    Case("value-star", "yaml-alias", sub("title: Probe", "title: *starred words"), "*starred"),
    Case("value-ampersand", "yaml-anchor", sub("title: Probe", "title: &amp words"), "&amp"),
    Case("value-bang", "yaml-tag", sub("title: Probe", "title: !important words"), "!important"),
    Case("value-at", "yaml-syntax", sub("title: Probe", "title: @handle"), "@handle"),
    Case("utf16", "encoding", BASE.encode("utf-16")),
    Case("latin1", "encoding", sub("title: Probe", "title: Caf\u00e9").encode("latin-1"), "Caf"),
    Case("control-character", "control-character", sub("title: Probe", "title: Pro\x07be"), "Pro"),
    Case("zero-width-in-id", "invalid-value", sub("id: probe-p1", "id: probe\u200b-p1"), "probe\u200b-p1"),
    Case(
        "bidi-in-url",
        "invalid-value",
        sub("url: https://example.org/probe", "url: https://example.org/\u202eprobe"),
        "example.org/\u202e",
    ),
    Case("oversize", "file-too-large", BASE + "# " + "x" * (2 * 1024 * 1024) + "\n"),
    Case("too-deep", "too-deep", DEEP, "# level 25\n".strip()),
    Case("unknown-field", "unknown-field", sub("    text: Probe text", "    txet: Probe text"), "txet"),
    Case("missing-field", "missing-field", sub("        action_verb: Do\n", ""), "- id: probe-r1"),
    Case("wrong-type", "wrong-type", sub("themes: [right-to-life]", "themes: {a: b}"), "themes:"),
    Case("wrong-number", "wrong-type", sub("number: 6", "number: six"), "number: six"),
    Case("id-path", "invalid-value", sub("id: probe-p1", 'id: "../../etc/passwd"'), "passwd"),
    Case("id-reserved", "invalid-value", sub("id: probe-p1", "id: con"), "id: con"),
    Case("id-uppercase", "invalid-value", sub("id: probe-p1", "id: Probe-P1"), "Probe-P1"),
    Case("id-cyrillic", "invalid-value", sub("id: probe-p1", "id: prob\u0435-p1"), "prob\u0435"),
    Case("id-duplicate-by-case", "invalid-value", sub("id: probe-f1", "id: PROBE-P1"), "PROBE-P1"),
    Case(
        "url-javascript",
        "invalid-value",
        sub("url: https://example.org/probe", "url: javascript:alert(1)"),
        "javascript",
    ),
    Case("url-data", "invalid-value", sub("url: https://example.org/probe", 'url: "data:text/html,<b>x</b>"'), "data:"),
    Case("url-file", "invalid-value", sub("url: https://example.org/probe", "url: file:///etc/passwd"), "file:"),
    Case("url-malformed", "invalid-value", sub("url: https://example.org/probe", "url: https//example"), "https//"),
    Case(
        "unknown-reference",
        "unknown-reference",
        sub("themes: [right-to-life]", "themes: [right-to-lief]"),
        "right-to-lief",
    ),
    Case(
        "footnote-undefined",
        "unknown-footnote",
        sub("text: A probe finding.", "text: A probe finding[^nowhere]."),
        "nowhere",
    ),
    Case(
        "footnote-unused", "unused-source", sub("text: Probe text[^probe-src].", "text: Probe text."), "id: probe-src"
    ),
    Case("end-before-start", "invalid-value", sub("end: 2022-01-10", "end: 2021-12-31"), "- date: 2022-01-05"),
    Case("duplicate-id", "duplicate-id", sub("id: probe-f1", "id: probe-p1"), "      id: probe-p1"),
]

WARNINGS: list[Case] = [
    Case(
        "url-cut-by-comment",
        "url-cut-by-comment",
        sub("url: https://example.org/probe", "url: https://example.org/probe #section"),
        "#section",
        warning=True,
    ),
    Case("stray-docx", "stray-file", b"PK\x03\x04 not really a docx", path="submission-draft.docx", warning=True),
    Case("office-lock", "stray-file", b"lock", path=f"submissions/{SUBMISSION}/sections/~$02-x.yaml", warning=True),
    Case("swap-file", "stray-file", b"swap", path=f"submissions/{SUBMISSION}/sections/.02-x.yaml.swp", warning=True),
]


def plant(data: Path, case: Case) -> Path:
    """Write the case into a data folder (registering the probe section in submission.yaml)."""
    if case.path == PROBE:
        meta = data / META
        text = meta.read_text(encoding="utf-8")
        m = re.search(r"^sections:\n((?:( *)- .*\n)+)", text, flags=re.M)
        assert m, "submission.yaml lists its sections"
        if "- probe\n" not in m.group(1):
            text = text[: m.end()] + f"{m.group(2)}- probe\n" + text[m.end() :]
            meta.write_text(text, encoding="utf-8")
    target = data / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.content if isinstance(case.content, bytes) else case.content.encode("utf-8"))
    return target
