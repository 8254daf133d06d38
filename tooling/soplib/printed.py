"""Printed handouts (calibration pack, scorecards, quizzes): a running header and page numbers on every page.

Chromium prints CSS page-margin boxes (`@top-left`, `@bottom-right`) with `counter(page)` and
`counter(pages)`, but not `string-set` or running elements, so a header cannot be taken from the text as it
flows. Instead each part of a handout (one SOP) is a named page (`page: sop-3`) whose `@page sop-3` rule
writes that SOP's id and title in the margin: every page the part fills carries it, and a part starts on a
new page. Pages of no part (a cover) carry the handout's title. Tested by printing to PDF (tests/browser).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from soplib.load.project import Project

_UNSAFE_IN_CSS = re.compile(r'[\\"<>\x00-\x1f\x7f]')


def css_string(text: str) -> str:
    """`text` as a CSS string inside an HTML <style>: quotes, backslashes, line breaks and `<` escaped (a
    title cannot end the string, nor the <style> element)."""
    return '"' + _UNSAFE_IN_CSS.sub(lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def part_class(index: int) -> str:
    """The class that puts an element (one SOP's part of a handout) on its own named pages."""
    return f"sop-part-{index}"


def page_css(project: Project, lang: str, title: str, parts: Sequence[str]) -> str:
    """@page rules: `title` on pages outside every part, each part's header on its own pages, and
    "Page N of M" in the reader's language at the foot of every page."""
    page = project.text("print_page", lang)
    of = project.text("print_of", lang)
    margin = "font: 8pt system-ui, 'DejaVu Sans', Arial, sans-serif; color: #444;"
    rules = [
        "@page { size: A4; margin: 18mm 14mm 16mm;",
        f"  @top-left {{ content: {css_string(title)}; {margin} }}",
        f"  @bottom-right {{ content: {css_string(page + ' ')} counter(page) {css_string(' ' + of + ' ')} "
        f"counter(pages); {margin} }} }}",
    ]
    for index, header in enumerate(parts):
        name = part_class(index)
        rules.append(f"@page {name} {{ @top-left {{ content: {css_string(header)}; {margin} }} }}")
        rules.append(f".{name} {{ page: {name}; }}")
    return "\n".join(rules) + "\n"


def document(title: str, lang: str, style: str, body: str, policy: str = "") -> str:
    """A self-contained HTML page: no script, nothing loaded from elsewhere; `policy`: its
    Content-Security-Policy, for a page published on the site."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n' if policy else ""
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{meta}'
        f"<title>{escape(title)}</title>\n<style>\n{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
