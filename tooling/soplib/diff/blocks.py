"""An SOP body as the diff compares it: H2 sections, each a list of blocks, each block a few logical lines.

Wrapping is not content: the lines of a paragraph are joined, so re-wrapping a paragraph in the editor is
not a change. A step keeps each sub-item and each indented paragraph as a line of its own, so that an
added decision point shows as one added line. Steps are numbered by their place in the list, as Markdown
shows them, whatever number is written ("1. 1. 1." is 1, 2, 3).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from soplib.diff.words import words
from soplib.markdown_scan import FENCE as _FENCE
from soplib.markdown_scan import HEADING as _HEADING
from soplib.markdown_scan import heading_text

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

_ORDERED = re.compile(r"^( {0,3})(\d{1,9})[.)]([ \t]+)(.*)$")
_BULLET = re.compile(r"^( {0,3})[-*+]([ \t]+)(.*)$")
_SUB_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_TABLE = re.compile(r"^ {0,3}\|")
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


@dataclass(frozen=True)
class Line:
    depth: int
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
    title, lines = "", list[str]()
    fence: str | None = None
    seen: dict[str, int] = {}
    for raw in body.split("\n"):
        opening = _FENCE.match(raw)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
        elif opening:
            fence = opening.group(1)
        else:
            heading = _HEADING.match(raw) if raw.lstrip().startswith("##") else None
            if heading and len(heading.group(1)) == 2:
                sections.extend(_section(title, lines, names, seen))
                title, lines = heading_text(heading.group(2)), []
                continue
        lines.append(raw)
    sections.extend(_section(title, lines, names, seen))
    return sections


def _section(title: str, lines: list[str], names: dict[str, str], seen: dict[str, int]) -> Iterator[Section]:
    blocks = _numbered(list(_blocks(lines)))
    if not title and not blocks:
        return
    key = names.get(title.casefold()) if title else None
    ident = key or f"#{title.casefold()}"
    seen[ident] = seen.get(ident, 0) + 1
    if seen[ident] > 1:  # a repeated heading: the second one aligns with the second one
        ident = f"{ident}#{seen[ident]}"
    yield Section(key, title, ident, tuple(blocks))


def _numbered(blocks: list[Block]) -> list[Block]:
    """Number steps by their place in their list, starting from the first item's written number."""
    result, start, count = [], 0, 0
    for block in blocks:
        if block.kind == STEP:
            if count == 0:
                start = block.number or 1
            block = replace(block, number=start + count)
            count += 1
        elif block.kind != ITEM or count == 0:
            count = 0
        result.append(block)
    return result


def _normal(text: str) -> str:
    return " ".join(text.split())


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" "))


def _starts_block(raw: str) -> bool:
    return bool(
        _FENCE.match(raw)
        or _HEADING.match(raw)
        or _TABLE.match(raw)
        or _ORDERED.match(raw)
        or _BULLET.match(raw)
    )


def _blocks(lines: list[str]) -> Iterator[Block]:
    index = 0
    while index < len(lines):
        raw = lines[index]
        if not raw.strip():
            index += 1
        elif _FENCE.match(raw):
            index = yield from _code(lines, index)
        elif _HEADING.match(raw):
            heading = _HEADING.match(raw)
            assert heading is not None
            yield Block(HEADING, (Line(0, "", f"{heading.group(1)} {_normal(heading.group(2))}"),))
            index += 1
        elif _TABLE.match(raw):
            index = yield from _table(lines, index)
        elif _ORDERED.match(raw) or _BULLET.match(raw):
            index = yield from _list_item(lines, index)
        else:
            end = index + 1
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            yield Block(PARAGRAPH, (Line(0, "", _normal(" ".join(lines[index:end]))),))
            index = end


def _code(lines: list[str], index: int) -> Generator[Block, None, int]:
    fence = _FENCE.match(lines[index])
    assert fence is not None
    end = index + 1
    while end < len(lines):
        closing = _FENCE.match(lines[end])
        end += 1
        if (
            closing
            and closing.group(1)[0] == fence.group(1)[0]
            and len(closing.group(1)) >= len(fence.group(1))
        ):
            break
    yield Block(CODE, tuple(Line(0, "code", raw.rstrip()) for raw in lines[index:end]))
    return end  # the next line to read


def _table(lines: list[str], index: int) -> Generator[Block, None, int]:
    rows: list[Block] = []
    while index < len(lines) and _TABLE.match(lines[index]):
        raw = lines[index]
        if _TABLE_RULE.match(raw) and "-" in raw:
            if rows:
                rows[-1] = replace(rows[-1], kind=HEADER)
        else:
            rows.append(Block(ROW, (Line(0, "", _normal(raw)),)))
        index += 1
    yield from rows
    return index


def _list_item(lines: list[str], index: int) -> Generator[Block, None, int]:
    first = lines[index]
    ordered = _ORDERED.match(first)
    if ordered:
        kind, number, text = STEP, int(ordered.group(2)), ordered.group(4)
        content = len(ordered.group(1)) + len(ordered.group(2)) + 1 + len(ordered.group(3))
    else:
        bullet = _BULLET.match(first)
        assert bullet is not None
        kind, number, text = ITEM, None, bullet.group(3)
        content = len(bullet.group(1)) + 1 + len(bullet.group(2))
    end = index + 1
    while end < len(lines):
        raw = lines[end]
        if not raw.strip():
            following = next((line for line in lines[end:] if line.strip()), "")
            if _indent(following) < 2:
                break
        elif _indent(raw) < 2 and (_starts_block(raw) or not lines[end - 1].strip()):
            break
        end += 1
    yield Block(kind, tuple(_item_lines(text, lines[index + 1 : end], content)), number)
    return end


def _item_lines(text: str, rest: list[str], content: int) -> Iterator[Line]:
    """The item's lead text, then one line per sub-item and per paragraph; wrapped lines joined."""
    depth, marker, current = 0, "", [text]
    blank, fence = False, None
    for raw in rest:
        opening = _FENCE.match(raw.strip()) if raw.strip() else None
        if fence is not None or opening:
            if current:
                yield Line(depth, marker, _normal(" ".join(current)))
                current = []
            yield Line(depth, "code", raw.strip())
            if fence is None and opening:
                fence = opening.group(1)
            elif opening and fence is not None and opening.group(1)[0] == fence[0]:
                fence = None
            continue
        if not raw.strip():
            blank = True
            continue
        if raw.lstrip().startswith("|"):  # a table inside the step: one line per row
            if current:
                yield Line(depth, marker, _normal(" ".join(current)))
            if not _TABLE_RULE.match(raw.strip()):
                yield Line(0, "row", _normal(raw))
            current, blank = [], False
            continue
        sub = _SUB_ITEM.match(raw)
        if sub or blank or not current:
            if current:
                yield Line(depth, marker, _normal(" ".join(current)))
            if sub:
                depth, marker, current = min(3, 1 + max(0, _indent(raw) - content) // 2), "-", [sub.group(3)]
            else:
                depth = 0 if _indent(raw) <= content + 1 else depth
                marker, current = "", [raw]
        else:
            current.append(raw)
        blank = False
    if current:
        yield Line(depth, marker, _normal(" ".join(current)))
