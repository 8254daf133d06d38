"""The site's own renderer, as MkDocs runs it on every page: Python-Markdown with mkdocs.yml's extensions,
and what a page made from an SOP body shows (read back with the same HTML5 parser as the dialect)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import markdown
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from sop_trees import REPO
from soplib.core import dialect
from soplib.publish.body import escape_markdown, parts_markdown, publish


@functools.cache
def _extensions() -> tuple[list[object], dict[str, object]]:
    config = load_config(str(REPO / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs)


def render_page(page_markdown: str) -> str:
    extensions, configs = _extensions()
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(page_markdown)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Shown:
    headings: list[tuple[int, str, str]]  # level, text, id
    links: list[str]  # every href and image src, in order
    steps: list[str]  # ids of the list items marked as steps


def shown(html: str) -> Shown:
    body = LexborHTMLParser(html).body
    assert body is not None
    for permalink in body.css("a.headerlink"):
        permalink.decompose()
    headings = [
        (int(node.tag[1]), " ".join(node.text(deep=True).split()), node.attrs.get("id") or "")
        for node in body.css("h1, h2, h3, h4, h5, h6")
    ]
    links = [
        node.attrs.get("src" if node.tag == "img" else "href") or "" for node in body.css("a[href], img[src]")
    ]
    steps = [node.attrs.get("id") or "" for node in body.css("li[id^=step-]")]
    return Shown(headings, links, steps)


def site_shows(source: str, steps_under: str | None = None) -> Shown:
    """What the site shows of an SOP body, links kept as written."""
    return shown(
        render_page(parts_markdown(publish(source, steps_under, lambda href: href, escape_markdown)))
    )


def lint_sees(source: str) -> Shown:
    document = dialect.parse(source)
    return Shown(
        [(h.level, h.text, h.anchor) for h in document.headings],
        [link.target for link in document.links],
        [],
    )
