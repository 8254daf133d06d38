"""Security: agents' browsers run whatever an SOP page carries, so the rendered body is held to an allowlist.

The check reads the body as the site publishes it (soplib.core.dialect: cmark-gfm's HTML read back by an
HTML5 parser), so it sees what a browser would build from tricks such as unclosed comments or odd fences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from soplib.core.dialect import Element
from soplib.core.model import Finding, Sop
from soplib.lint.context import LintContext

# What Markdown itself renders, and the little raw HTML an SOP may add (keys, line breaks, fold-outs).
MARKDOWN_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "li", "blockquote", "pre", "code", "em",
        "strong", "a", "img", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "del", "input",
    }
)  # fmt: skip
SAFE_TAGS = frozenset(
    {"br", "sub", "sup", "kbd", "abbr", "mark", "small", "ins", "del", "details", "summary", "s"}
)
SCRIPT_TAGS = frozenset(
    {
        "script", "iframe", "object", "embed", "applet", "frame", "frameset", "style", "link", "meta",
        "base", "form", "button", "textarea", "select", "svg", "math", "template", "noscript", "portal",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "input": {"type", "checked", "disabled"},
    "abbr": {"title"},
    "details": {"open"},
}
ANY_TAG = frozenset({"data-sourcepos"})  # the renderer's own positions, dropped when published
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcset", "cite", "data"}
)
LINKS = frozenset({("a", "href"), ("img", "src")})  # checked as the document's links
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_CLASS = re.compile(r"^language-[\w+#.-]*$")


def is_unsafe_url(url: str) -> bool:
    squeezed = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return squeezed.startswith(UNSAFE_SCHEMES)


def check_security(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        document = sop.document
        for link in document.links:
            if is_unsafe_url(link.target):
                yield ctx.finding(
                    sop,
                    "url-unsafe",
                    document.where(link),
                    f"unsafe link '{link.target[:40]}'",
                    "link only to http(s) pages or other SOPs",
                )
        for element in document.elements:
            yield from _element(ctx, sop, element)


def _element(ctx: LintContext, sop: Sop, element: Element) -> Iterator[Finding]:
    name, at = element.tag, (element.line, element.column)
    if name in SCRIPT_TAGS or (name == "input" and dict(element.attributes).get("type") != "checkbox"):
        yield ctx.finding(
            sop,
            "html-unsafe",
            at,
            f"<{name}> is not allowed in an SOP",
            "remove it: SOP pages must not run code, take input or embed other pages",
        )
        return
    if name not in MARKDOWN_TAGS and name not in SAFE_TAGS:
        yield ctx.finding(
            sop,
            "html-not-allowed",
            at,
            f"raw HTML <{name}> is not allowed",
            f"write it in Markdown; the HTML allowed is: {', '.join(sorted(SAFE_TAGS))}",
        )
    for attribute, value in element.attributes:
        yield from _attribute(ctx, sop, name, attribute, value or "", at)


def _attribute(
    ctx: LintContext, sop: Sop, tag: str, attribute: str, value: str, at: tuple[int, int]
) -> Iterator[Finding]:
    if attribute.startswith("on"):
        yield ctx.finding(
            sop, "html-unsafe", at, f"the attribute {attribute}= runs code", "remove the attribute"
        )
    elif attribute in URL_ATTRIBUTES and is_unsafe_url(value) and (tag, attribute) not in LINKS:
        yield ctx.finding(
            sop,
            "url-unsafe",
            at,
            f"unsafe {attribute}= URL in <{tag}>",
            "link only to http(s) pages or other SOPs",
        )
    elif attribute not in ATTRIBUTES.get(tag, ()) and attribute not in ANY_TAG:
        yield ctx.finding(
            sop,
            "html-not-allowed",
            at,
            f"the attribute {attribute}= is not allowed on <{tag}>",
            f"remove it; <{tag}> may carry: {', '.join(sorted(ATTRIBUTES.get(tag, ()))) or 'no attributes'}",
        )
    elif attribute == "class" and not _CLASS.match(value):
        yield ctx.finding(
            sop, "html-not-allowed", at, f'class="{value[:40]}" is not allowed on <{tag}>', "remove it"
        )
