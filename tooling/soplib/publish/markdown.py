"""Text as it goes into the published Markdown: escaped so that any Markdown renderer shows it as written."""

from __future__ import annotations

import posixpath
import re

from soplib.publish.urls import relative_path

# What Python-Markdown (with the site's extensions) lets a backslash escape; a test holds it to the renderer.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def escape_markdown(text: str) -> str:
    """Text between HTML tags that a Markdown renderer shows as written: its punctuation escaped."""
    return _PUNCTUATION.sub(r"\\\1", text)


def markdown_text(text: str) -> str:
    """Plain text that a Markdown renderer shows as written: no markup, no raw HTML, no attribute list."""
    return escape_markdown(" ".join(text.replace("&", "&amp;").replace("<", "&lt;").split()))


# Mid-line, only these start markup (emphasis, code, links and images, tables, strikethrough); < and an &
# that starts a character reference become references: a backslash before them would end a bare URL that
# GitHub links (https://x/\<img …>) and leave the tag after it.
_INLINE = re.compile(r"[\\`*_{}\[\]|~]")
_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_REFERENCE = re.compile(r"&(?=#?\w+;)|[<>]")


def markdown_inline(text: str) -> str:
    """Text in the middle of one Markdown line (after a list marker or a label: a report, a pull-request
    comment, an issue, llms.txt), shown as written: no markup, link, image or raw HTML can start in it,
    and where nobody renders it, it reads almost as written (only what could start markup is escaped)."""
    escaped = _REFERENCE.sub(lambda match: _REFERENCES[match[0]], " ".join(text.split()))
    return _INLINE.sub(lambda match: "\\" + match[0], escaped)


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
    return relative_path(target, posixpath.dirname(from_page) or ".")


def cell(text: str) -> str:
    """Text in one cell of a Markdown table."""
    return markdown_text(text)


def in_language(text: str, text_lang: str, lang: str) -> str:
    """Inline text in another language than the page's, marked as such (a screen reader switches voice)."""
    return text if text_lang == lang else f'<span lang="{text_lang}">{text}</span>'
