"""Text as it goes into the published Markdown: escaped so that any Markdown renderer shows it as written."""

from __future__ import annotations

import posixpath
import re

# What Python-Markdown (with the site's extensions) lets a backslash escape; a test holds it to the renderer.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def escape_markdown(text: str) -> str:
    """Text between HTML tags that a Markdown renderer shows as written: its punctuation escaped."""
    return _PUNCTUATION.sub(r"\\\1", text)


def markdown_text(text: str) -> str:
    """Plain text that a Markdown renderer shows as written: no markup, no raw HTML, no attribute list."""
    return escape_markdown(" ".join(text.replace("&", "&amp;").replace("<", "&lt;").split()))


def yaml_text(text: str) -> str:
    """A one-line YAML string, HTML-escaped: generators print a page's title into HTML without escaping."""
    escaped = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '"' + escaped.replace("\\", "\\\\").replace('"', "&quot;") + '"'


def front_matter(title: str, description: str = "") -> str:
    """A page's front matter. Pagefind indexes the site, so the generator's own search index stays empty
    (Material's search box is driven by assets/sop/search.js)."""
    lines = [f"title: {yaml_text(title)}"]
    if description:
        lines.append(f"description: {yaml_text(description)}")
    return "---\n" + "\n".join([*lines, "search: {exclude: true}"]) + "\n---\n\n"


def relative(from_page: str, target: str) -> str:
    """A link from the page written at `from_page` to the file `target` (both docs paths)."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def cell(text: str) -> str:
    """Text in one cell of a Markdown table."""
    return markdown_text(text)
