"""An SOP's body as the site publishes it: the dialect's own HTML between the page's headings."""

from __future__ import annotations

import re

from soplib.core import dialect
from soplib.model import Sop
from soplib.project import SOPS_DIR, Project
from soplib.publish.urls import resolve_link

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~^=:])")


def markdown_text(text: str) -> str:
    """Text that any Markdown renderer shows as written: no markup, no raw HTML, no attribute list."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return _PUNCTUATION.sub(r"\\\1", " ".join(escaped.split()))


def body_markdown(project: Project, shown: Sop, lang: str, pages: set[str]) -> str:
    """The body of `shown` for the page in `lang`: each heading of the page in Markdown (for the table of
    contents and its permanent link), the rest as the dialect renders it, links pointed at their pages."""
    docs_path = shown.path.as_posix().removeprefix(f"{SOPS_DIR}/")
    procedure = next(s for s in project.sections if s.key == "procedure").names.get(shown.lang)

    def link(href: str) -> str:
        return resolve_link(href, docs_path, lang, project.source_language, pages)

    parts = []
    for part in dialect.publish(shown.body, procedure, link):
        if part.level:
            classes = "".join(f" .{name}" for name in part.classes)
            parts.append(f"{'#' * part.level} {markdown_text(part.text)} {{: #{part.anchor}{classes} }}")
        else:
            parts.append(f'<div class="sop-section">\n{part.html}\n</div>')
    return "\n\n".join(parts)
