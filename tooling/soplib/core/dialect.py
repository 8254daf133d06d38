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
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
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
ATTRIBUTE_LIST = re.compile(r"[ \t]*\{:?[ \t]*((?:[#.][A-Za-z0-9_-]+[ \t]*)+)\}[ \t]*$")
MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
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


class Cell(NamedTuple):
    text: str  # as a reader reads it: emphasis and code marks gone, a link shown as its words
    line: int
    column: int


class Table(NamedTuple):
    """A table at the top level of the body (the "Quality checks" scorecard is one), cell by cell."""

    line: int
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]


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
    tables: list[Table] = field(default_factory=list)
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


def read_tree(source: str) -> LexborNode | None:
    """The body rendered and read as a browser reads it; None when it nests too deep to read."""
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
        anchor = unique(anchor or slug(text), self.used)
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
            if node.tag == "table":
                self.document.tables.append(self._table(node, first + self.offset))
            kind = {"p": "paragraph", "table": "table", "pre": "code"}.get(node.tag or "", "other")
            kind = "heading" if node.tag in HEADINGS else kind
            self.document.tops.append(Top(kind, first + self.offset, last + self.offset, None, list_id))

    def _table(self, node: LexborNode, line: int) -> Table:
        rows = []
        for row in node.css("tr"):
            cells = []
            for cell in children(row):
                where = sourcepos(cell) or (0, 1, 0, 0)
                at = self._at(where[0], where[1]) if where[0] else (line, 1)
                cells.append(Cell(" ".join(cell.text(deep=True).split()), *at))
            rows.append(tuple(cells))
        return Table(line, rows[0] if rows else (), tuple(rows[1:]))

    def _items(self, node: LexborNode, list_id: int) -> None:
        ordered = node.tag == "ol"
        start = number_attribute(node.attributes.get("start")) if ordered else None
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


def number_attribute(value: str | None) -> int:
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
    attributes = ATTRIBUTE_LIST.search(text)
    if not attributes:
        return text, None, ()
    names = attributes.group(1).split()
    anchors = [name[1:] for name in names if name.startswith("#")]
    classes = tuple(name[1:] for name in names if name.startswith("."))
    return text[: attributes.start()].rstrip(), (anchors[-1] if anchors else None), classes


@functools.lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """The anchor Python-Markdown's table of contents would make (section names repeat across SOPs)."""
    return slugify(text, "-") or "section"


def strip_sourcepos(html: str) -> str:
    return _SOURCEPOS_ATTRIBUTE.sub("", html)


def visible_text(source: str) -> str:
    """The words a reader reads: the rendered text without code and without link addresses."""
    body = read_tree(source)
    if body is None:
        return ""
    for node in body.css("code, pre"):
        node.decompose()
    return body.text(separator=" ")


def first_paragraph(source: str, heading: str) -> str:
    """The text of the first paragraph under the top-level heading `heading`, as a reader reads it."""
    body = read_tree(source)
    inside = False
    for node in children(body) if body is not None else ():
        if node.tag in HEADINGS:
            inside = heading_label(node)[0] == heading
        elif inside and node.tag == "p":
            return " ".join(node.text(deep=True).split())
    return ""


def children(node: LexborNode, tag: str | None = None) -> Iterator[LexborNode]:
    """The element children of `node` (comments left out), or those of one tag."""
    return (
        child
        for child in node.iter(include_text=False)
        if child.is_element_node and (tag is None or child.tag == tag)
    )
