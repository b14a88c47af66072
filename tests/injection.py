"""Hostile strings planted in every kind of text field of a project copy."""

from __future__ import annotations

import json
import re
from pathlib import Path

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "[click me](javascript:alert('xss-3'))",
    "<a href=\"javascript:alert('xss-4')\">link</a>",
    "{: onclick=\"alert('xss-5')\" }",
    "{{ 7*7 }} {% raw %}",
    '--8<-- "/etc/passwd"',
    "<!-- hidden comment -->",
    "# a heading",
    "1. a list item",
    "- a bullet",
    "| a | table |",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    "![pixel](https://evil.example/p.png)",
    "<https://evil.example/autolink>",
    "&lt;script&gt;alert('xss-6')&lt;/script&gt;",
    "`code` and ```fence```",
    "[^Not A Source] and [ref]: https://evil.example/",
    "<svg onload=alert('xss-7')>",
    "data:text/html,<script>alert('xss-8')</script>",
    "\\<script\\>alert('xss-9')\\</script\\>",
]
JOINED = " ~~ ".join(PAYLOADS)

SUB = "submissions/ili-kazakhstan-upr4"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def plant_everywhere(data: Path, value: str = JOINED) -> list[str]:
    """Put ``value`` into one field of every kind of record; returns the field names used."""
    meta = data / SUB / "submission.yaml"
    text = meta.read_text(encoding="utf-8")
    title, description = f"title: {q('Title ' + value)}", f"  description: {q('Org ' + value)}"
    text = re.sub(r"^title: .*$", lambda m: title, text, count=1, flags=re.M)
    text = re.sub(r"^  description: .*$", lambda m: description, text, count=1, flags=re.M)
    text = re.sub(
        r"^(sections:\n(?:( *)- .*\n)+)", lambda m: m.group(1) + f"{m.group(2)}- injected\n", text, count=1, flags=re.M
    )
    meta.write_text(text, encoding="utf-8")
    section = f"""\
id: injected
number: 6
title: {q("Section " + value)}
body:
  - type: paragraph
    id: inj-paragraph
    text: {q("Paragraph " + value + "[^inj-source]")}
  - type: quote
    id: inj-quote
    text: {q("Quote " + value)}
    provision: iccpr-art-2-2
  - type: list
    id: inj-list
    items:
      - {q("Item " + value)}
  - type: finding
    finding:
      id: inj-finding
      text: {q("Finding " + value)}
      kind: fact
      events:
        - date: 2022-01-05
          description: {q("Event " + value)}
      figures:
        - value: "1"
          unit: {q("Unit " + value)}
  - type: recommendations
    label: {q("Label " + value)}
    items:
      - id: inj-recommendation
        number: 1
        text: {q("Recommendation " + value)}
        action_category: 5
        action_verb: {q("Verb " + value)}
        addressee: {q("Addressee " + value)}
        themes: [inj-theme]
        sdg_targets: [sdg-16-3]
        findings: [inj-finding]
sources:
  - id: inj-source
    kind: media
    title: {q("Source title " + value)}
    author: {q("Author " + value)}
    citation: {q("Citation " + value)}
    link_text: {q("Link text " + value)}
    url: "https://example.org/inj?a=1&b=%3C2%3E&c=it's"
"""
    (data / SUB / "sections" / "06-injected.yaml").write_text(section, encoding="utf-8")
    themes = data / "vocabularies" / "themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8")
        + f"""
- id: inj-theme
  label: {q("Theme " + value)}
  description: {q("Theme description " + value)}
""",
        encoding="utf-8",
    )
    return [
        "Title",
        "Org",
        "Section",
        "Paragraph",
        "Quote",
        "Item",
        "Finding",
        "Event",
        "Unit",
        "Label",
        "Recommendation",
        "Verb",
        "Addressee",
        "Source title",
        "Author",
        "Citation",
        "Link text",
        "Theme",
        "Theme description",
    ]
