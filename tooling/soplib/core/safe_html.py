"""The HTML an SOP may put on a page: one allowlist for lint, which reads the body as the dialect renders it,
and for the check of the built site (soplib.publish.security), which reads every page as published. What
lint accepts, the published check accepts: both ask these functions."""

from __future__ import annotations

import re

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
# Elements that run code, take input, load or embed something, or change how the rest of a page is read.
SCRIPT_TAGS = frozenset(
    {
        "script", "iframe", "object", "embed", "applet", "frame", "frameset", "style", "link", "meta",
        "base", "form", "button", "textarea", "select", "svg", "math", "template", "noscript", "portal",
    }
)  # fmt: skip
# The attributes each element of a body may carry (the renderer's own; raw HTML adds no others).
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "code": frozenset({"class"}),
    "input": frozenset({"type", "checked", "disabled"}),
    "abbr": frozenset({"title"}),
    "details": frozenset({"open"}),
}
# Attributes whose value a browser loads or navigates to (HTML, SVG and the legacy ones).
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcset", "cite",
        "data", "codebase", "archive", "longdesc", "usemap", "profile", "manifest", "ping", "lowsrc",
        "dynsrc",
    }
)  # fmt: skip
SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # a link to anything else is refused
CODE_CLASS = re.compile(r"^language-[\w+#.-]*$")  # a fenced block's language, as cmark writes it
THEME_IDS = "__"  # the theme's own ids (__config, __search, __drawer …): a heading taking one breaks the page

_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in an attribute's (already decoded) value, lower case; None when the URL
    is relative. As the URL standard reads it: spaces and controls at either end dropped, tabs and line
    breaks anywhere, so `jav&#x09;ascript:` is `javascript:` too."""
    match = _SCHEME.match(_TAB_OR_NEWLINE.sub("", _EDGES.sub("", url)))
    return match.group(1).lower() if match else None


def url_allowed(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in SCHEMES


def event_handler(attribute: str) -> bool:
    """An attribute that holds script (onerror, onload, ontoggle …): none is allowed, whatever follows on."""
    return attribute.lower().startswith("on")


def tag_allowed(tag: str) -> bool:
    return tag in MARKDOWN_TAGS or tag in SAFE_TAGS


def attribute_allowed(tag: str, attribute: str, value: str) -> bool:
    """Whether a body's element may carry the attribute with this value (URLs are checked apart)."""
    if attribute not in ATTRIBUTES.get(tag, ()):
        return False
    if tag == "input":
        return attribute != "type" or value == "checkbox"  # a task list's box, and nothing that takes input
    return attribute != "class" or CODE_CLASS.match(value) is not None


def anchor_allowed(anchor: str) -> bool:
    """A heading's `{#anchor}` may not take an id of the theme's."""
    return not anchor.startswith(THEME_IDS)
