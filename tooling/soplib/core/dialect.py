"""The SOP Markdown dialect: GitHub's Markdown, read back from the HTML that readers get.

A body is parsed by cmark-gfm, GitHub's own Markdown library (so the site shows what GitHub's preview shows
the SME), into HTML in which every block carries its source lines; lexbor, an HTML5 parser like a browser's,
reads that HTML back. Lint, diff, reports and the site take headings, steps, links and code from this one
parse, and the site publishes this very HTML: what lint checked is what readers get.

One addition to GitHub's Markdown: a heading may end with `{#anchor}` (and `.class`), the attribute list
of Python-Markdown, so that links to it survive a change of its words. GitHub shows it as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from html import escape as escape_html
from typing import NamedTuple
from urllib.parse import unquote

from markdown.extensions.toc import slugify, unique
from selectolax.lexbor import LexborHTMLParser, LexborNode

from soplib.core import cmark

EXTENSIONS = ("table", "strikethrough", "autolink", "tasklist")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RESERVED_ANCHORS = frozenset({"sop-history", "sop-title"})  # ids the page itself gives
STEP_ANCHOR = "step-{number}"
_SOURCEPOS = re.compile(r"(\d+):(\d+)-(\d+):(\d+)")
_SOURCEPOS_ATTRIBUTE = re.compile(r' data-sourcepos="[^"]*"')
_ATTRIBUTE_LIST = re.compile(r"[ \t]*\{:?[ \t]*((?:[#.][A-Za-z0-9_-]+[ \t]*)+)\}[ \t]*$")
_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUERY = ",".join([*HEADINGS, "a[href]", "img[src]", "pre"])
# Elements that nest (list items, paragraphs and cells close themselves): how deep a body goes is counted on
# them before an HTML parser sees it, which takes seconds for tens of thousands of levels, as browsers do.
_NESTING = re.compile(
    r"<(/?)(?:ul|ol|blockquote|div|section|article|aside|nav|details|dl|table|figure|main|header|footer|"
    r"center|fieldset|form|menu|address|hgroup|search)\b",
    re.IGNORECASE,
)
UNREADABLE = 500  # deeper than this, a body is not read as a tree at all: lint says why


class Heading(NamedTuple):
    level: int
    text: str  # as a reader sees it
    line: int
    column: int
    anchor: str  # the id the site gives it
    top: bool  # a heading of the page, not one inside a list or quote
    classes: tuple[str, ...] = ()


class Link(NamedTuple):
    target: str  # where the browser goes: the href or src as rendered
    line: int  # where the block holding the link starts; `Document.where` finds the link itself
    column: int
    image: bool = False
    end: int = 0  # the block's last line


class Element(NamedTuple):
    """An HTML element of the rendered body with its attributes, where the source wrote it."""

    tag: str
    attributes: tuple[tuple[str, str | None], ...]
    line: int
    column: int


class Top(NamedTuple):
    """A block at the top level of the body; a list counts as one Top per item."""

    kind: str  # step (an ordered list item) | item | heading | paragraph | table | code | other
    line: int
    end: int
    number: int | None = None  # a step's number as rendered
    list_id: int = 0  # which top-level element it is part of: the items of one list share it


@dataclass
class Document:
    """What one parse of an SOP body says, with lines of the file (the body starts at `first_line`)."""

    source: str
    first_line: int
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)  # every element when the body has raw HTML
    tops: list[Top] = field(default_factory=list)
    code_lines: frozenset[int] = frozenset()
    depth: int = 0  # how deep lists and quotes nest
    depth_line: int = 0

    @property
    def anchors(self) -> set[str]:
        return {heading.anchor for heading in self.headings}

    @property
    def lines(self) -> list[str]:
        return self.source.split("\n")

    def where(self, link: Link) -> tuple[int, int]:
        """Where the source writes a link's target (looked up only when a finding needs it): in the block
        that holds the link, else in a reference definition elsewhere, else where the block starts."""
        lines, first = self.lines, self.first_line
        inside = range(link.line - first, min(len(lines), max(link.line, link.end) - first + 1))
        for needle in _written(link.target):
            for index in [*inside, *range(len(lines))]:
                column = lines[index].find(needle)
                if column >= 0:
                    return index + first, column + 1
        return link.line, char_column(self.line_text(link.line), link.column)

    def line_text(self, line: int) -> str:
        lines = self.lines
        index = line - self.first_line
        return lines[index] if 0 <= index < len(lines) else ""

    def section_of(self, line: int) -> Heading | None:
        """The level-2 heading of the page that a line falls under."""
        current = None
        for heading in self.headings:
            if heading.line > line:
                break
            if heading.level == 2 and heading.top:
                current = heading
        return current

    def tops_in(self, heading: Heading) -> list[Top]:
        """The top-level blocks of the section that `heading` opens, up to the next heading of its level."""
        following = [
            h.line for h in self.headings if h.top and h.level <= heading.level and h.line > heading.line
        ]
        end = following[0] if following else 10**12
        return [top for top in self.tops if heading.line < top.line < end]


def render(source: str) -> str:
    """The body as cmark-gfm renders it, each block marked with `data-sourcepos`."""
    return cmark.to_html(source, cmark.SOURCEPOS | cmark.UNSAFE, EXTENSIONS)


def parse(source: str, first_line: int = 1) -> Document:
    document = Document(source, first_line)
    html = render(source)
    reader = _Reader(document)
    reader.depth(html)
    body = _body(html, document.depth)
    if body is None:
        return document
    reader.scan(body)
    reader.tops(body)
    if "<" in source:  # only raw HTML adds elements and attributes of its own
        reader.elements(body)
    return document


def _body(html: str, depth: int) -> LexborNode | None:
    """The rendered body read as a browser reads it; None when it nests too deep to be read at all."""
    return LexborHTMLParser(html).body if depth <= UNREADABLE else None


def _read(source: str) -> LexborNode | None:
    html = render(source)
    return _body(html, nesting(html)[0])


def nesting(html: str) -> tuple[int, int]:
    """How deep the rendered body nests, and the offset in `html` where it is deepest."""
    level, deepest, where = 0, 0, 0
    for match in _NESTING.finditer(html):
        if match.group(1):
            level = max(0, level - 1)
            continue
        level += 1
        if level > deepest:
            deepest, where = level, match.start()
    return deepest, where


# -- positions ---------------------------------------------------------------------------------------------
def sourcepos(node: LexborNode) -> tuple[int, int, int, int] | None:
    """(first line, first byte column, last line, last byte column) of a block, in the body's lines."""
    value = node.attrs.get("data-sourcepos")
    if not value:
        return None
    first, _, last = value.partition("-")
    start, _, column = first.partition(":")
    end, _, end_column = last.partition(":")
    try:
        return int(start), int(column), int(end), int(end_column)
    except ValueError:  # raw HTML that wrote a data-sourcepos of its own
        return None


def _block_of(node: LexborNode) -> LexborNode | None:
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        if current.attrs.get("data-sourcepos") is not None:
            return current
        current = current.parent
    return None


def char_column(line: str, byte_column: int) -> int:
    """cmark counts columns in bytes of UTF-8; a reader counts characters."""
    return len(line.encode("utf-8")[: max(0, byte_column - 1)].decode("utf-8", "ignore")) + 1


class _Reader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.offset = document.first_line - 1
        self.used = set(RESERVED_ANCHORS)

    @cached_property
    def lines(self) -> list[str]:
        return self.document.source.split("\n")

    def _at(self, line: int, byte_column: int) -> tuple[int, int]:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return line + self.offset, byte_column if text.isascii() else char_column(text, byte_column)

    def _find(self, needle: str, start: int, end: int, fold: bool = False) -> tuple[int, int] | None:
        """Where `needle` is first written between two body lines (1-based), as a file position."""
        if fold:
            needle = needle.lower()
        for number in range(max(1, start), min(len(self.lines), end) + 1):
            line = self.lines[number - 1]
            column = (line.lower() if fold else line).find(needle)
            if column >= 0:
                return number + self.offset, column + 1
        return None

    def _span(self, node: LexborNode) -> tuple[int, int, int]:
        """The first and last body line of the block that holds `node`, and its first byte column."""
        block = _block_of(node)
        where = sourcepos(block) if block is not None else None
        return (where[0], where[2], where[1]) if where else (1, len(self.lines), 1)

    def _locate(self, node: LexborNode, needle: str, fold: bool = False) -> tuple[int, int]:
        """Where the source writes `needle` in the block that holds `node`, else where the block starts."""
        start, end, column = self._span(node)
        return self._find(needle, start, end, fold) or self._at(start, column)

    # -- what lint reads -----------------------------------------------------------------------------------
    def scan(self, body: LexborNode) -> None:
        """Headings, links and code in one query: each query of the tree costs more than its matches."""
        code: list[int] = []
        for node in body.css(_QUERY):
            tag = node.tag
            if tag == "a" or tag == "img":
                self._link(node, tag == "img")
            elif tag == "pre":
                where = sourcepos(node)
                if where is not None:
                    code.extend(range(where[0] + self.offset, where[2] + self.offset + 1))
            else:
                self._heading(node)
        self.document.code_lines = frozenset(code)

    def _heading(self, node: LexborNode) -> None:
        text, anchor, classes = heading_label(node)
        where = sourcepos(node)
        # before a heading's first column there are only spaces and #: its byte column is its column
        line, column = (
            (where[0] + self.offset, where[1]) if where else self._locate(node, f"<{node.tag}", True)
        )
        anchor = unique(anchor or _slug(text), self.used)
        parent = node.parent
        top = parent is not None and parent.tag == "body"
        level = int((node.tag or "h0")[1])
        self.document.headings.append(Heading(level, text, line, column, anchor, top, classes))

    def _link(self, node: LexborNode, image: bool) -> None:
        target = node.attrs.get("src" if image else "href") or ""
        block = _block_of(node)
        where = sourcepos(block) if block is not None else None
        start, column, end, _ = where or (1, 1, 1, 1)  # columns in bytes: `Document.where` finds the link
        self.document.links.append(Link(target, start + self.offset, column, image, end + self.offset))

    def tops(self, body: LexborNode) -> None:
        for list_id, node in enumerate(children(body)):
            where = sourcepos(node)
            first, last = (where[0], where[2]) if where else (0, 0)
            if node.tag in ("ol", "ul"):
                self._items(node, list_id)
                continue
            kind = {"p": "paragraph", "table": "table", "pre": "code"}.get(node.tag or "", "other")
            kind = "heading" if node.tag in HEADINGS else kind
            self.document.tops.append(Top(kind, first + self.offset, last + self.offset, None, list_id))

    def _items(self, node: LexborNode, list_id: int) -> None:
        ordered = node.tag == "ol"
        start = _number(node.attributes.get("start")) if ordered else None
        for index, item in enumerate(children(node, "li")):
            where = sourcepos(item) or (0, 1, 0, 0)
            number = (start if start is not None else 1) + index if ordered else None
            kind = "step" if ordered else "item"
            self.document.tops.append(
                Top(kind, where[0] + self.offset, where[2] + self.offset, number, list_id)
            )

    def elements(self, body: LexborNode) -> None:
        cursor = (1, 0)  # where the last element was found: raw HTML is found in the source in order
        for node in body.traverse(include_text=False):
            if not node.is_element_node or node.tag in ("body", "html", "head"):
                continue
            where = sourcepos(node)
            if where is not None:
                cursor = (where[0], 0)
                line, column = self._at(where[0], where[1])
            else:  # an inline element, or one of raw HTML: where its tag is written next, if it is
                found = self._find_after(f"<{node.tag}", *cursor)
                if found is not None:
                    cursor = found
                line, column = (found[0] + self.offset, found[1]) if found else (cursor[0] + self.offset, 1)
            attributes = tuple(node.attributes.items())
            self.document.elements.append(Element(node.tag or "", attributes, line, column))

    def _find_after(self, needle: str, line: int, column: int) -> tuple[int, int] | None:
        """The body line and 1-based column of `needle` (any case), searched from a 0-based column on: the
        next search starts just after it."""
        needle = needle.lower()
        for number in range(line, len(self.lines) + 1):
            found = self.lines[number - 1].lower().find(needle, column if number == line else 0)
            if found >= 0:
                return number, found + 1
        return None

    def depth(self, html: str) -> None:
        self.document.depth, deepest = nesting(html)
        where = _SOURCEPOS.search(html, deepest) if self.document.depth else None
        if where is not None:
            self.document.depth_line = int(where.group(1)) + self.offset


def _number(value: str | None) -> int:
    try:
        return int(value) if value is not None else 1
    except ValueError:
        return 1


def _written(target: str) -> list[str]:
    """How a rendered target may be written in the source: its first characters, as rendered (escaped) and
    as typed."""
    start = target.split("#", 1)[0][:40] or target[:40]
    return [needle for needle in dict.fromkeys([start, unquote(start)]) if needle]


def heading_label(node: LexborNode) -> tuple[str, str | None, tuple[str, ...]]:
    """A heading's text as shown, and the anchor and classes of a trailing `{#anchor .class}`."""
    text = " ".join(node.text(deep=True).split())
    attributes = _ATTRIBUTE_LIST.search(text)
    if not attributes:
        return text, None, ()
    names = attributes.group(1).split()
    anchors = [name[1:] for name in names if name.startswith("#")]
    classes = tuple(name[1:] for name in names if name.startswith("."))
    return text[: attributes.start()].rstrip(), (anchors[-1] if anchors else None), classes


@functools.lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    """The anchor Python-Markdown's table of contents would make (section names repeat across SOPs)."""
    return slugify(text, "-") or "section"


def strip_sourcepos(html: str) -> str:
    return _SOURCEPOS_ATTRIBUTE.sub("", html)


def visible_text(source: str) -> str:
    """The words a reader reads: the rendered text without code and without link addresses."""
    body = _read(source)
    if body is None:
        return ""
    for node in body.css("code, pre"):
        node.decompose()
    return body.text(separator=" ")


def first_paragraph(source: str, heading: str) -> str:
    """The text of the first paragraph under the top-level heading `heading`, as a reader reads it."""
    body = _read(source)
    inside = False
    for node in children(body) if body is not None else ():
        if node.tag in HEADINGS:
            inside = heading_label(node)[0] == heading
        elif inside and node.tag == "p":
            return " ".join(node.text(deep=True).split())
    return ""


# -- the blocks a diff aligns ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One logical line of a block as the source writes it (wrapping joined): its lead text, a sub-item, a
    paragraph inside a step, a table row or a line of code."""

    depth: int  # 0: the block's own text; 1 and more: nested sub-items
    marker: str  # "" text, "-" a sub-item, "row" a table row, "code" a line of code
    text: str


@dataclass(frozen=True)
class Block:
    kind: str  # paragraph | step | item | heading | header | row | code
    lines: tuple[Line, ...]
    number: int | None = None  # a step's number as rendered
    level: int = 0  # a heading's level
    title: str = ""  # a heading's text as shown


_BLOCK_TAGS = frozenset({"p", "ul", "ol", "pre", "table", "blockquote", "hr", "div", *HEADINGS})
_MAX_DEPTH = 3  # sub-items deeper than this are one line each: a diff shows no more levels


def blocks(source: str) -> list[Block]:
    """The body's top-level blocks, each list item and table row a block of its own; a body too deep to read
    is one paragraph of its source."""
    body = _read(source)
    if body is None:
        return [Block("paragraph", (Line(0, "", " ".join(source.split())),))]
    text = _Source(source)
    found: list[Block] = []
    for node in children(body):
        tag = node.tag
        if tag in HEADINGS:
            label = heading_label(node)[0]
            found.append(Block("heading", (Line(0, "", text.of(node)),), level=int(tag[1]), title=label))
        elif tag in ("ol", "ul"):
            start = _number(node.attrs.get("start")) if tag == "ol" else None
            for index, item in enumerate(children(node, "li")):
                number = None if start is None else start + index
                found.append(Block("step" if tag == "ol" else "item", tuple(text.item(item, 0)), number))
        elif tag == "table":
            for row in node.css("tr"):
                kind = "header" if row.parent is not None and row.parent.tag == "thead" else "row"
                found.append(Block(kind, (Line(0, "", text.of(row)),)))
        elif tag == "pre":
            found.append(Block("code", tuple(Line(0, "code", line.rstrip()) for line in text.lines_of(node))))
        else:
            found.append(Block("paragraph", (Line(0, "", text.of(node)),)))
    return found


def children(node: LexborNode, tag: str | None = None) -> Iterator[LexborNode]:
    """The element children of `node` (comments left out), or those of one tag."""
    return (
        child
        for child in node.iter(include_text=False)
        if child.is_element_node and (tag is None or child.tag == tag)
    )


class _Source:
    """The source text of rendered blocks, found through their `data-sourcepos`."""

    def __init__(self, source: str) -> None:
        self.lines = source.split("\n")

    def lines_of(self, node: LexborNode) -> list[str]:
        where = sourcepos(node)
        if where is None:  # raw HTML: no position; its HTML stands for its source
            return [" ".join(node.html.split())] if node.html else []
        start, column, end, _ = where
        chosen = self.lines[start - 1 : end]
        if chosen:
            chosen[0] = chosen[0][char_column(chosen[0], column) - 1 :]
        return [line.strip() if index else line for index, line in enumerate(chosen)]

    def of(self, node: LexborNode) -> str:
        return " ".join(" ".join(self.lines_of(node)).split())

    def item(self, item: LexborNode, depth: int) -> Iterator[Line]:
        """A list item: its lead text, then one line per sub-item, paragraph, table row or code line."""
        marker = "-" if depth else ""
        rest = [child for child in children(item) if child.tag in _BLOCK_TAGS]
        if depth >= _MAX_DEPTH:
            yield Line(depth, marker, _unmarked(self.of(item)))
            return
        if rest and rest[0].tag == "p":
            yield Line(depth, marker, self.of(rest[0]))
            rest = rest[1:]
        else:
            yield Line(depth, marker, _unmarked(self._lead(item, rest)))
        for child in rest:
            if child.tag in ("ul", "ol"):
                for sub in children(child, "li"):
                    yield from self.item(sub, depth + 1)
            elif child.tag == "table":
                yield from (Line(0, "row", self.of(row)) for row in child.css("tr"))
            elif child.tag == "pre":
                yield from (Line(depth, "code", line.strip()) for line in self.lines_of(child))
            else:
                yield Line(depth, "", self.of(child))

    def _lead(self, item: LexborNode, blocks: list[LexborNode]) -> str:
        """A tight item's own text: its lines up to its first nested block."""
        where, following = sourcepos(item), sourcepos(blocks[0]) if blocks else None
        if where is None:
            return " ".join(item.text(deep=False).split())
        start, column, end, _ = where
        last = following[0] - 1 if following else end
        chosen = self.lines[start - 1 : max(start, last)]
        if chosen:
            chosen[0] = chosen[0][char_column(chosen[0], column) - 1 :]
        return " ".join(" ".join(line.strip() for line in chosen).split())


def _unmarked(text: str) -> str:
    return _MARKER.sub("", text, count=1)


# -- the body the site publishes ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """A piece of a published body: rendered HTML, or a heading of the page (for the generator's table of
    contents and permanent link), then `html` is its content, text escaped by the caller's `escape`."""

    html: str = ""
    level: int = 0  # a heading when above 0
    text: str = ""
    anchor: str = ""
    classes: tuple[str, ...] = ()


def publish(
    source: str, steps_under: str | None, link: Callable[[str], str], escape: Callable[[str], str] = str
) -> list[Part]:
    """The body as readers get it: the same parse as `parse`, every heading with its anchor, each step of
    the section titled `steps_under` with `step-N`, and every link and image pointed by `link`. A body too
    deep to read is shown as its source text."""
    body = _read(source)
    if body is None:
        return [Part(f"<pre>{escape_html(source)}</pre>")]
    headings = _anchored(body)
    for node in body.css("a[href]"):
        node.attrs["href"] = link(node.attrs.get("href") or "")
    for node in body.css("img[src]"):
        node.attrs["src"] = link(node.attrs.get("src") or "")
    _mark_steps(body, steps_under)
    parts: list[Part] = []
    for node in children(body):
        heading = headings.get(node.mem_id)
        if heading is not None and heading.text:
            texts = [text for text in node.traverse(include_text=True) if text.is_text_node]
            for text in texts:  # replaced once the walk is over: lexbor frees a replaced node
                text.replace_with(escape(text.text_content or ""))
            content = strip_sourcepos(node.inner_html or "")
            parts.append(Part(content, heading.level, heading.text, heading.anchor, heading.classes))
        elif parts and not parts[-1].level:
            parts[-1] = Part(parts[-1].html + "\n" + strip_sourcepos(node.html or ""))
        else:
            parts.append(Part(strip_sourcepos(node.html or "")))
    return parts


def _anchored(body: LexborNode) -> dict[int, Heading]:
    """Give every heading its anchor (and drop a trailing `{#anchor}` from its text), in document order, as
    `parse` numbers them: the same anchors in lint and on the page."""
    used = set(RESERVED_ANCHORS)
    found = {}
    for node in body.css(",".join(HEADINGS)):
        text, anchor, classes = heading_label(node)
        anchor = unique(anchor or _slug(text), used)
        _drop_attribute_list(node)
        node.attrs["id"] = anchor
        if classes:
            node.attrs["class"] = " ".join(classes)
        parent = node.parent
        if parent is not None and parent.tag == "body":  # a heading of the page
            found[node.mem_id] = Heading(int((node.tag or "h0")[1]), text, 0, 0, anchor, True, classes)
    return found


def _drop_attribute_list(node: LexborNode) -> None:
    last = node.last_child
    if last is not None and last.is_text_node:
        written = last.text_content or ""
        match = _ATTRIBUTE_LIST.search(written)
        if match:
            last.replace_with(written[: match.start()])


def _mark_steps(body: LexborNode, title: str | None) -> None:
    inside = False
    for node in children(body):
        if node.tag in ("h1", "h2"):
            inside = title is not None and heading_label(node)[0] == title
        elif inside and node.tag == "ol":
            start = _number(node.attrs.get("start"))
            for index, item in enumerate(children(node, "li")):
                item.attrs["id"] = STEP_ANCHOR.format(number=start + index)
