"""One line of Markdown (a change summary, a step's lead) as a reader reads it, by the dialect's renderer:
as inline HTML for printed handouts, or as plain text for CSV and questions."""

from __future__ import annotations

import re
from html import escape as html_escape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from soplib.core import cmark
from soplib.core.dialect import EXTENSIONS

# Text that starts with a letter (no block marker) and holds no character of inline markup, entities or
# escapes: the renderer gives it back as it is, so plain text needs no parse (most step leads are such).
_PLAIN = re.compile(r"[^\W\d_][^\\`*_\[\]<>&!~|#]*")
_INLINE_KEPT = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "code": "code",
    "del": "del",
    "s": "del",
}


def _inline_tree(text: str) -> LexborNode | None:
    """Raw HTML is shown as the text it is: `<` is escaped before cmark sees it."""
    html = cmark.to_html(" ".join(text.split()).replace("<", "&lt;"), 0, EXTENSIONS)
    return LexborHTMLParser(html).body


def inline_html(text: str) -> str:
    """One line of Markdown as inline HTML: emphasis, code and struck text kept; a link shown as its words."""
    body = _inline_tree(text)
    return "".join(_inline(child) for child in body.iter(include_text=True)).strip() if body else ""


def inline_text(text: str) -> str:
    """One line of Markdown as plain text: no `**`, backticks or link addresses."""
    plain = " ".join(text.split())
    if _PLAIN.fullmatch(plain):
        return plain
    body = _inline_tree(text)
    return " ".join(body.text(deep=True).split()) if body is not None else ""


def _inline(node: LexborNode) -> str:
    if node.tag == "-text":
        return html_escape(node.text(deep=False), quote=False)
    inner = "".join(_inline(child) for child in node.iter(include_text=True))
    kept = _INLINE_KEPT.get(node.tag or "")
    if node.tag == "p":
        inner += " "
    return f"<{kept}>{inner}</{kept}>" if kept else inner
