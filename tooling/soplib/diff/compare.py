"""Two versions of an SOP file -> sections, blocks and lines in both, words marked; front-matter changes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from soplib.core.inline import inline_text
from soplib.diff.align import Pair, align
from soplib.diff.blocks import STEP, Block, Line, Section
from soplib.diff.model import BlockDiff, FieldChange, Figure, LineDiff, Op, Piece, SectionDiff, Status
from soplib.diff.words import diff_words, figures, whole

SCORECARD = "quality-checks"
_STEP_LIST = re.compile(r"\d{1,4}(?:\s*[,\-\u2013]\s*\d{1,4})*")
# Shown in the summary rather than in the table of fields; `changes` is the summary itself.
NOT_FIELDS = ("id", "version", "source_version", "changes", "change_summaries")


# -- the body -------------------------------------------------------------------------------------------
def compare_sections(old: Sequence[Section], new: Sequence[Section]) -> tuple[SectionDiff, ...]:
    result = []
    for pair in align(old, new):
        if pair.old is None:
            assert pair.new is not None
            result.append(_whole_section(new[pair.new], Status.ADDED))
        elif pair.new is None:
            result.append(_whole_section(old[pair.old], Status.REMOVED))
        else:
            result.append(_section(old[pair.old], new[pair.new]))
    return tuple(result)


def _whole_section(section: Section, status: Status) -> SectionDiff:
    added = status is Status.ADDED
    blocks = (
        replace(_whole_block(block, status), old_index=None if added else i, new_index=i if added else None)
        for i, block in enumerate(section.blocks)
    )
    return SectionDiff(section.key, section.title, status, tuple(blocks))


def _whole_block(block: Block, status: Status, moved: bool = False) -> BlockDiff:
    added = status is Status.ADDED
    lines = tuple(_whole_line(line, status) for line in block.lines)
    return BlockDiff(
        block.kind, status, moved, None if added else block.number, block.number if added else None, lines
    )


def _whole_line(line: Line, status: Status) -> LineDiff:
    op = {Status.ADDED: Op.INSERT, Status.REMOVED: Op.DELETE}.get(status)
    pieces = whole(op, line.text) if op else (Piece(Op.SAME, line.text),)
    return LineDiff(line.depth, line.marker, status, pieces)


def _section(old: Section, new: Section) -> SectionDiff:
    blocks = compare_blocks(old.blocks, new.blocks)
    same = all(block.status is Status.SAME and not block.moved for block in blocks)
    return SectionDiff(new.key, new.title, Status.SAME if same else Status.CHANGED, blocks)


def compare_blocks(old: Sequence[Block], new: Sequence[Block]) -> tuple[BlockDiff, ...]:
    result = []
    for pair in align(old, new):
        if pair.old is None:
            assert pair.new is not None
            found = _whole_block(new[pair.new], Status.ADDED)
        elif pair.new is None:
            found = _whole_block(old[pair.old], Status.REMOVED)
        else:
            found = _block(old[pair.old], new[pair.new], pair.moved)
        result.append(replace(found, old_index=pair.old, new_index=pair.new))
    return tuple(result)


def _block(old: Block, new: Block, moved: bool) -> BlockDiff:
    if old.ident == new.ident:
        lines = tuple(_whole_line(line, Status.SAME) for line in new.lines)
        return BlockDiff(new.kind, Status.SAME, moved, old.number, new.number, lines)
    return BlockDiff(new.kind, Status.CHANGED, moved, old.number, new.number, _lines(old.lines, new.lines))


def _lines(old: Sequence[Line], new: Sequence[Line]) -> tuple[LineDiff, ...]:
    """The first lines (a step's lead) always face each other; the sub-items and paragraphs are matched."""
    result = []
    pairs = [Pair(0, 0)] + [
        Pair(p.old + 1 if p.old is not None else None, p.new + 1 if p.new is not None else None, p.moved)
        for p in align(old[1:], new[1:])
    ]
    for pair in pairs:
        if pair.old is None:
            assert pair.new is not None
            result.append(_whole_line(new[pair.new], Status.ADDED))
        elif pair.new is None:
            result.append(_whole_line(old[pair.old], Status.REMOVED))
        else:
            a, b = old[pair.old], new[pair.new]
            if a.ident == b.ident:
                result.append(LineDiff(b.depth, b.marker, Status.SAME, (Piece(Op.SAME, b.text),), pair.moved))
            else:
                result.append(
                    LineDiff(b.depth, b.marker, Status.CHANGED, diff_words(a.text, b.text), pair.moved)
                )
    return tuple(result)


def changed_figures(sections: Sequence[SectionDiff]) -> tuple[Figure, ...]:
    """Numbers and time limits that changed: inside text in both versions (48 → 72 hours), and each number of
    added text (— → MXN 500), so that a new threshold in an added step is listed too."""
    found: dict[tuple[str, int | None, str, str], Figure] = {}
    for figure in _figures(sections):  # a threshold written twice in a step is one change
        found.setdefault((figure.section, figure.step, figure.old, figure.new), figure)
    return tuple(found.values())


def _figures(sections: Sequence[SectionDiff]) -> Iterator[Figure]:
    for section in sections:
        for block in section.blocks:
            if block.status not in (Status.CHANGED, Status.ADDED):
                continue
            step = block.new_number if block.kind == STEP else None
            for line in block.lines:
                if line.status is Status.CHANGED:
                    found = figures(line.pieces)
                elif line.status is Status.ADDED:
                    found = figures(_numbers_only(line.pieces))
                else:
                    continue
                text = _reader_text(line) if found else ""
                for old, new in found:
                    if section.key == SCORECARD and _steps_only(old) and _steps_only(new):
                        continue  # a check's step number: the pack lists criteria apart, renumbering aside
                    yield Figure(section.title, section.key, step, old, new, text)


def _steps_only(value: str) -> bool:
    return not value or bool(_STEP_LIST.fullmatch(value))


def _reader_text(line: LineDiff) -> str:
    """The newer text of a line as a reader reads it; a table row's cells apart."""
    text = "".join(piece.text for piece in line.pieces if piece.op is not Op.DELETE)
    if line.marker == "row" or text.lstrip().startswith("|"):
        text = " · ".join(cell.strip() for cell in text.strip().strip("|").split("|"))
    return inline_text(text)


def _numbers_only(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Added text with only its numbers marked: each number is listed with its currency or unit, not the
    whole line as one change."""
    return tuple(piece if piece.figure else Piece(Op.SAME, piece.text) for piece in pieces)


# -- the front matter ------------------------------------------------------------------------------------
def compare_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """Fields set, removed or changed: title first, then in the order of the newer file."""
    names = [name for name in dict.fromkeys(["title", *new, *old]) if name not in NOT_FIELDS]
    changes = []
    for name in names:
        before, after = _value(old.get(name)), _value(new.get(name))
        if before != after:
            is_list = isinstance(old.get(name), list) or isinstance(new.get(name), list)
            changes.append(FieldChange(name, before, after, is_list))
    return tuple(changes)


def _value(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, dict):
        return tuple(f"{key}: {item}" for key, item in value.items())
    return (str(value),)
