"""An SOP body as the diff compares it: H2 sections, each a list of blocks, each block a few logical lines.

The blocks come from the SOP Markdown dialect (soplib.core.dialect), the parse that lint and the site use,
so a step's number here is the number on the page. Wrapping is not content: the lines of a paragraph are
joined, so re-wrapping a paragraph in the editor is not a change. A step keeps each sub-item and each
paragraph inside it as a line of its own, so that an added decision point shows as one added line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from selectolax.lexbor import LexborNode

from soplib.core.dialect import (
    HEADINGS,
    MARKER,
    char_column,
    children,
    heading_label,
    number_attribute,
    read_tree,
    sourcepos,
)
from soplib.diff.words import words

PARAGRAPH, STEP, ITEM, HEADER, ROW, HEADING, CODE = (
    "paragraph",
    "step",
    "item",
    "header",
    "row",
    "heading",
    "code",
)
LISTS = (STEP, ITEM)


@dataclass(frozen=True)
class Line:
    """One logical line of a block as the source writes it (wrapping joined): its lead text, a sub-item, a
    paragraph inside a step, a table row or a line of code."""

    depth: int  # 0: the block's own text; 1 and more: nested sub-items
    marker: str  # "" text, "-" a sub-item, "row" a table row, "code" a line of code
    text: str

    @property
    def ident(self) -> str:
        return f"{self.marker}\x00{self.text}"

    @property
    def kind(self) -> str:
        return self.marker

    @cached_property
    def words(self) -> tuple[str, ...]:
        return words(self.text)


@dataclass(frozen=True)
class Block:
    kind: str
    lines: tuple[Line, ...]
    number: int | None = None  # a step's number, as rendered
    level: int = 0  # a heading's level
    title: str = ""  # a heading's text as shown
    # its first and last line in the body (1-based), for `sop translate --import` to write in its place
    span: tuple[int, int] | None = field(default=None, compare=False)

    @cached_property
    def ident(self) -> str:
        return self.kind + "\x00" + "\n".join(f"{line.depth}{line.ident}" for line in self.lines)

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(word for line in self.lines for word in line.words)


@dataclass(frozen=True)
class Section:
    key: str | None
    title: str
    ident: str  # what aligns the section across versions: its key, or its heading
    blocks: tuple[Block, ...]
    heading_line: int | None = field(default=None, compare=False)  # in the body; None: no heading

    @property
    def kind(self) -> str:
        return "section"

    @property
    def words(self) -> tuple[str, ...]:
        return ()  # sections are matched by heading only


def section_names(names_by_key: dict[str, dict[str, str]]) -> dict[str, str]:
    """Heading (any language, case-insensitive) -> section key, from translations/sections.yml."""
    return {name.casefold(): key for key, names in names_by_key.items() for name in names.values()}


def parse_body(body: str, names: dict[str, str]) -> list[Section]:
    """The body's sections in order; text before the first H2 is a section without a heading."""
    sections: list[Section] = []
    title, blocks, line = "", list[Block](), None
    seen: dict[str, int] = {}
    for block in read_blocks(body):
        if block.kind == HEADING and block.level == 2:
            sections.extend(_section(title, blocks, names, seen, line))
            title, blocks, line = block.title, [], block.span[0] if block.span else None
            continue
        blocks.append(block)
    sections.extend(_section(title, blocks, names, seen, line))
    return sections


def _section(
    title: str, blocks: list[Block], names: dict[str, str], seen: dict[str, int], line: int | None
) -> Iterator[Section]:
    if not title and not blocks:
        return
    key = names.get(title.casefold()) if title else None
    ident = key or f"#{title.casefold()}"
    seen[ident] = seen.get(ident, 0) + 1
    if seen[ident] > 1:  # a repeated heading: the second one aligns with the second one
        ident = f"{ident}#{seen[ident]}"
    yield Section(key, title, ident, tuple(blocks), line)


# -- reading the one parse ----------------------------------------------------------------------------------
_BLOCK_TAGS = frozenset({"p", "ul", "ol", "pre", "table", "blockquote", "hr", "div", *HEADINGS})
_MAX_DEPTH = 3  # sub-items deeper than this are one line each: a diff shows no more levels


def read_blocks(source: str) -> list[Block]:
    """The body's top-level blocks, each list item and table row a block of its own; a body too deep to read
    is one paragraph of its source."""
    body = read_tree(source)
    if body is None:
        return [Block(PARAGRAPH, (Line(0, "", " ".join(source.split())),))]
    text = _Source(source)
    found: list[Block] = []
    for node in children(body):
        tag = node.tag
        if tag in HEADINGS:
            label = heading_label(node)[0]
            heading = (Line(0, "", text.of(node)),)
            found.append(Block(HEADING, heading, level=int(tag[1]), title=label, span=_span(node)))
        elif tag in ("ol", "ul"):
            start = number_attribute(node.attrs.get("start")) if tag == "ol" else None
            for index, item in enumerate(children(node, "li")):
                number = None if start is None else start + index
                kind = STEP if tag == "ol" else ITEM
                found.append(Block(kind, tuple(text.item(item, 0)), number, span=_span(item)))
        elif tag == "table":
            for row in node.css("tr"):
                kind = HEADER if row.parent is not None and row.parent.tag == "thead" else ROW
                found.append(Block(kind, (Line(0, "", text.of(row)),), span=_span(row)))
        elif tag == "pre":
            code = tuple(Line(0, "code", line.rstrip()) for line in text.lines_of(node))
            found.append(Block(CODE, code, span=_span(node)))
        else:
            found.append(Block(PARAGRAPH, (Line(0, "", text.of(node)),), span=_span(node)))
    return found


def _span(node: LexborNode) -> tuple[int, int] | None:
    where = sourcepos(node)
    return (where[0], max(where[0], where[2])) if where else None


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
    return MARKER.sub("", text, count=1)
