"""Security: agents' browsers run whatever an SOP page carries, so raw HTML is limited to a safelist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from soplib.lint.context import LintContext
from soplib.model import Finding, Sop

SAFE_TAGS = frozenset(
    {"br", "sub", "sup", "kbd", "abbr", "mark", "small", "ins", "del", "details", "summary"}
)
SCRIPT_TAGS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "applet",
        "frame",
        "frameset",
        "style",
        "link",
        "meta",
        "base",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "svg",
        "math",
    }
)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "background", "poster"})
_BARE_UNSAFE_URL = re.compile(r"<\s*(javascript|vbscript|data):", re.IGNORECASE)


def is_unsafe_url(url: str) -> bool:
    squeezed = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return squeezed.startswith(UNSAFE_SCHEMES)


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self.tags.append((tag, attrs, line, offset + 1))


def check_security(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        body = ctx.body(sop)
        for link in body.links:
            if is_unsafe_url(link.target):
                yield ctx.finding(
                    sop,
                    "url-unsafe",
                    (link.line, link.column),
                    f"unsafe link '{link.target[:40]}'",
                    "link only to http(s) pages or other SOPs",
                )
        for offset, line in enumerate(body.lines):
            for match in _BARE_UNSAFE_URL.finditer(line):
                yield ctx.finding(
                    sop,
                    "url-unsafe",
                    (body.first_line + offset, match.start() + 1),
                    f"unsafe {match.group(1)}: link",
                    "link only to http(s) pages or other SOPs",
                )
        yield from _tags(ctx, sop, "\n".join(body.lines), body.first_line)


def _tags(ctx: LintContext, sop: Sop, text: str, first_line: int) -> Iterator[Finding]:
    if "<" not in text:
        return
    collector = _TagCollector()
    collector.feed(text)
    collector.close()
    for name, attributes, line, column in collector.tags:
        at = (first_line + line - 1, column)
        if ":" in name:
            continue  # an autolink such as <https://…>; unsafe schemes are reported above
        if name in SCRIPT_TAGS:
            yield ctx.finding(
                sop,
                "html-unsafe",
                at,
                f"<{name}> is not allowed in an SOP",
                "remove it: SOP pages must not run code or embed other pages",
            )
            continue
        for attribute, value in attributes:
            if attribute.startswith("on"):
                yield ctx.finding(
                    sop, "html-unsafe", at, f"the attribute {attribute}= runs code", "remove the attribute"
                )
            elif attribute in _URL_ATTRIBUTES and value and is_unsafe_url(value):
                yield ctx.finding(
                    sop,
                    "url-unsafe",
                    at,
                    f"unsafe {attribute}= URL in <{name}>",
                    "link only to http(s) pages or other SOPs",
                )
        if name not in SAFE_TAGS:
            yield ctx.finding(
                sop,
                "html-not-allowed",
                at,
                f"raw HTML <{name}> is not allowed",
                f"write it in Markdown; the HTML allowed is: {', '.join(sorted(SAFE_TAGS))}",
            )
