"""Security: agents' browsers run whatever an SOP page carries, so the rendered body is held to an allowlist.

The check reads the body as the site publishes it (soplib.core.dialect: cmark-gfm's HTML read back by an
HTML5 parser), so it sees what a browser would build from tricks such as unclosed comments or odd fences.
The allowlist is soplib.core.safe_html, which the check of the built site (soplib.publish.security) holds
every published page to as well: what lint accepts here, that check accepts there.
"""

from __future__ import annotations

from collections.abc import Iterator

from soplib.core.dialect import Element
from soplib.core.model import Finding, Sop
from soplib.core.safe_html import (
    ATTRIBUTES,
    SAFE_TAGS,
    SCHEMES,
    SCRIPT_TAGS,
    URL_ATTRIBUTES,
    anchor_allowed,
    attribute_allowed,
    event_handler,
    tag_allowed,
    url_allowed,
)
from soplib.lint.context import LintContext

ANY_TAG = frozenset({"data-sourcepos"})  # the renderer's own positions, dropped when published
LINKS = frozenset({("a", "href"), ("img", "src")})  # checked as the document's links
LINK_HINT = f"link only to other SOPs or to {', '.join(f'{s}:' for s in sorted(SCHEMES))} addresses"


def check_security(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        document = sop.document
        for link in document.links:
            if not url_allowed(link.target):
                yield ctx.finding(
                    sop, "url-unsafe", document.where(link), f"unsafe link '{link.target[:40]}'", LINK_HINT
                )
        for heading in document.headings:
            if not anchor_allowed(heading.anchor):
                yield ctx.finding(
                    sop,
                    "html-not-allowed",
                    (heading.line, heading.column),
                    f"the anchor #{heading.anchor} is one the site's theme uses",
                    "choose an anchor that does not start with __",
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
    if not tag_allowed(name):
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
    if event_handler(attribute):
        yield ctx.finding(
            sop, "html-unsafe", at, f"the attribute {attribute}= runs code", "remove the attribute"
        )
    elif attribute in URL_ATTRIBUTES and not url_allowed(value) and (tag, attribute) not in LINKS:
        yield ctx.finding(sop, "url-unsafe", at, f"unsafe {attribute}= URL in <{tag}>", LINK_HINT)
    elif attribute in ANY_TAG or (attribute in URL_ATTRIBUTES and (tag, attribute) in LINKS):
        return
    elif attribute not in ATTRIBUTES.get(tag, ()):
        yield ctx.finding(
            sop,
            "html-not-allowed",
            at,
            f"the attribute {attribute}= is not allowed on <{tag}>",
            f"remove it; <{tag}> may carry: {', '.join(sorted(ATTRIBUTES.get(tag, ()))) or 'no attributes'}",
        )
    elif not attribute_allowed(tag, attribute, value):
        yield ctx.finding(
            sop, "html-not-allowed", at, f'{attribute}="{value[:40]}" is not allowed on <{tag}>', "remove it"
        )
