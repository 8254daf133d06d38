"""An SOP body as the diff compares it: H2 sections, each a list of blocks, each block a few logical lines.

The blocks come from the SOP Markdown dialect (soplib.core.dialect), the parse that lint and the site use,
so a step's number here is the number on the page. Wrapping is not content: the lines of a paragraph are
joined, so re-wrapping a paragraph in the editor is not a change. A step keeps each sub-item and each
paragraph inside it as a line of its own, so that an added decision point shows as one added line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from soplib.core import dialect
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


class Line(dialect.Line):
    """A logical line of the dialect, with what the diff compares it by."""

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
    number: int | None = None  # steps only

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
    title, blocks = "", list[Block]()
    seen: dict[str, int] = {}
    for block in dialect.blocks(body):
        if block.kind == HEADING and block.level == 2:
            sections.extend(_section(title, blocks, names, seen))
            title, blocks = block.title, []
            continue
        lines = tuple(Line(line.depth, line.marker, line.text) for line in block.lines)
        blocks.append(Block(block.kind, lines, block.number))
    sections.extend(_section(title, blocks, names, seen))
    return sections


def _section(
    title: str, blocks: list[Block], names: dict[str, str], seen: dict[str, int]
) -> Iterator[Section]:
    if not title and not blocks:
        return
    key = names.get(title.casefold()) if title else None
    ident = key or f"#{title.casefold()}"
    seen[ident] = seen.get(ident, 0) + 1
    if seen[ident] > 1:  # a repeated heading: the second one aligns with the second one
        ident = f"{ident}#{seen[ident]}"
    yield Section(key, title, ident, tuple(blocks))
