"""An SOP's body as the site publishes it: the dialect's own HTML between the page's headings."""

from __future__ import annotations

import re

from soplib.core import dialect
from soplib.model import Sop
from soplib.project import SOPS_DIR, Project
from soplib.publish.urls import resolve_link

# What Python-Markdown (with the site's extensions) lets a backslash escape; a test holds it to the renderer.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def escape_markdown(text: str) -> str:
    """Text between HTML tags that a Markdown renderer shows as written: its punctuation escaped."""
    return _PUNCTUATION.sub(r"\\\1", text)


def markdown_text(text: str) -> str:
    """Plain text that a Markdown renderer shows as written: no markup, no raw HTML, no attribute list."""
    return escape_markdown(" ".join(text.replace("&", "&amp;").replace("<", "&lt;").split()))


def body_markdown(project: Project, shown: Sop, lang: str, pages: set[str]) -> str:
    """The body of `shown` for the page in `lang`: each heading of the page in Markdown (for the table of
    contents and its permanent link), the rest as the dialect renders it, links pointed at their pages."""
    docs_path = shown.path.as_posix().removeprefix(f"{SOPS_DIR}/")
    procedure = next(s for s in project.sections if s.key == "procedure").names.get(shown.lang)

    def link(href: str) -> str:
        return resolve_link(href, docs_path, lang, project.source_language, pages)

    return parts_markdown(dialect.publish(shown.body, procedure, link, escape_markdown))


def parts_markdown(parts: list[dialect.Part]) -> str:
    """Headings as Markdown headings with their anchors; the rendered HTML between them as one raw block
    each (in a <div>, which every Markdown renderer passes through untouched)."""
    written = []
    for part in parts:
        if part.level:
            classes = "".join(f" .{name}" for name in part.classes)
            written.append(f"{'#' * part.level} {' '.join(part.html.split())} {{: #{part.anchor}{classes} }}")
        else:
            written.append(f'<div class="sop-section">\n{part.html}\n</div>')
    return "\n\n".join(written)
