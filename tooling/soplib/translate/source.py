"""A block's Markdown source as a translator sees it, and back: without and with its list marker and indent.

A translator translates a step's text, not its `2. ` or the three spaces before its sub-items; the import
puts them back, so a returned text lands where the old one stood and stays inside its step.
"""

from __future__ import annotations

from dataclasses import dataclass

from soplib.core.procedure import content_column
from soplib.diff.blocks import HEADER, ITEM, ROW, STEP, Block

LISTS = (STEP, ITEM)


@dataclass(frozen=True)
class Written:
    """A block as its file writes it: where, with which lead (indent and list marker), and its text."""

    first: int  # its lines in the body, 1-based
    last: int
    lead: str  # what comes before the text on its first line: "2. ", "- ", or an indent
    indent: int  # how far its next lines are indented
    text: str  # the Markdown a translator edits: no marker, next lines indented as if it had none


def written(lines: list[str], block: Block) -> Written | None:
    """The block's source, from its span in the body's lines; None when the parse gave no position."""
    if block.span is None:
        return None
    first, last = block.span
    chosen = lines[first - 1 : last]
    while len(chosen) > 1 and not chosen[-1].strip():
        chosen.pop()  # a list item's span runs to the blank line after it
    last = first + len(chosen) - 1
    head = chosen[0] if chosen else ""
    column = content_column(head) if block.kind in LISTS else len(head) - len(head.lstrip(" "))
    rest = [_dedent(line, column) for line in chosen[1:]]
    return Written(first, last, head[:column], column, "\n".join([head[column:], *rest]))


def _dedent(line: str, column: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, column) :]


def lay_out(text: str, lead: str, indent: int) -> list[str]:
    """A translated text as lines of the file: `lead` on the first, the next ones indented under it."""
    first, *rest = text.strip("\n").split("\n")
    return [lead + first, *(" " * indent + line if line.strip() else "" for line in rest)]


def new_lead(block: Block) -> tuple[str, int]:
    """The marker of a block the translation does not have yet: its number as the English gives it."""
    if block.kind == STEP:
        marker = f"{block.number or 1}. "
        return marker, len(marker)
    return ("- ", 2) if block.kind == ITEM else ("", 0)


def joined(before: str, after: str) -> bool:
    """Whether two blocks of these kinds follow each other without a blank line: items of one list, rows of
    one table."""
    return (before == after and before in LISTS) or (before in (HEADER, ROW) and after == ROW)


def one_line(text: str) -> bool:
    return "\n" not in text.strip("\n")
