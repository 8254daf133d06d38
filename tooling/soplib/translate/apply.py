"""Write translated texts into the translation's body: each in place of the text it replaces, new and moved
blocks where the English puts them, removed ones deleted; every other line as it was.

Edits are worked out on the body as read and applied from the bottom up, so that no edit moves the lines
another one names.
"""

from __future__ import annotations

from collections.abc import Mapping

from soplib.core.errors import SopError
from soplib.diff.blocks import STEP, Section, parse_body
from soplib.diff.model import Status
from soplib.translate.source import lay_out, one_line
from soplib.translate.worksheet import SectionWork, Segment, Worksheet

_ROWS = ("header", "row")


class _Edits:
    def __init__(self) -> None:
        self.removed: list[tuple[int, int]] = []
        self.inserted: dict[int, list[str]] = {}  # after line -> lines, in the English order

    def insert(self, after: int, lines: list[str]) -> None:
        self.inserted.setdefault(after, []).extend(lines)

    def apply(self, lines: list[str]) -> list[str]:
        result = list(lines)
        edits = [(first - 1, last - first + 1, list[str]()) for first, last in self.removed]
        edits += [(after, 0, new) for after, new in self.inserted.items()]
        # bottom up; where a removal and an insertion start at one line, the removal first: the text
        # inserted there (a block's new text in place of its old one) then takes its place
        for start, count, new in sorted(edits, key=lambda edit: (edit[0], edit[1] > 0), reverse=True):
            result[start : start + count] = new
        return result


def translated_body(sheet: Worksheet, targets: Mapping[str, str]) -> str:
    """The translation's new body, with `targets` (segment id -> translated Markdown) written in."""
    lines = list(sheet.bodies.lines)
    edits = _Edits()
    for section in sheet.sections:
        if section.heading_line is None:
            _new_section(section, sheet, targets, edits, lines)
        elif section.change.status is Status.REMOVED:
            edits.removed.append(_with_blank(lines, section.heading_line, section.end_line))
        else:
            for segment in section.segments:
                _segment(segment, targets, edits, lines)
    return "\n".join(edits.apply(lines))


def _text(segment: Segment, targets: Mapping[str, str]) -> list[str]:
    text = targets[segment.id]
    if segment.change.kind in _ROWS and not one_line(text):
        raise SopError(f"segment {segment.id}: a table row is one line; the translation has several")
    return lay_out(text, segment.spot.lead, segment.spot.indent)


def _segment(segment: Segment, targets: Mapping[str, str], edits: _Edits, lines: list[str]) -> None:
    spot = segment.spot
    if spot.after is None:  # in place, or deleted
        if spot.remove is not None and segment.needs_text:
            edits.removed.append(spot.remove)
            edits.insert(spot.remove[0] - 1, _text(segment, targets))
        elif spot.remove is not None:
            edits.removed.append(_with_blank(lines, *spot.remove))
        return
    if spot.remove is not None:  # moved: out of its old place
        edits.removed.append(_with_blank(lines, *spot.remove))
    new = _text(segment, targets)
    following = lines[spot.after] if spot.after < len(lines) else ""
    before = [] if spot.tight_before else [""]
    after = [] if spot.tight_after or not following.strip() else [""]
    edits.insert(spot.after, [*before, *new, *after])


def _with_blank(lines: list[str], first: int, last: int) -> tuple[int, int]:
    """Lines to delete, with one blank line after them when they stood between blank lines."""
    alone = first == 1 or not lines[first - 2].strip()
    if alone and last < len(lines) and not lines[last].strip():
        return first, last + 1
    return first, last


def _new_section(
    section: SectionWork, sheet: Worksheet, targets: Mapping[str, str], edits: _Edits, lines: list[str]
) -> None:
    """A section the translation does not have: its heading in the translation's language, its blocks."""
    if section.change.status is Status.REMOVED:
        return
    name = sheet.section_names.get(section.key or "", section.change.title)
    after = section.insert_after or 0
    new = ["", f"## {name}"] if after and lines[after - 1].strip() else [f"## {name}"]
    for segment in section.segments:
        if segment.needs_text:
            new += ([] if segment.spot.tight_before else [""]) + _text(segment, targets)
    edits.insert(after, [*new, ""])


def check_structure(sheet: Worksheet, body: str) -> None:
    """The new body has the English sections, and as many steps in each: a translated text that ends a
    list or opens a section would break the file, so nothing is written."""
    mine, english = parse_body(body, sheet.heading_names), sheet.bodies.new
    for what, ours, theirs in (
        ("sections", [s.key for s in mine if s.title], [s.key for s in english if s.title]),
        ("steps", [_steps(s) for s in mine], [_steps(s) for s in english]),
    ):
        if ours != theirs:
            raise SopError(
                f"the translated texts would give {sheet.path} other {what} than English "
                f"({', '.join(map(str, ours))} instead of {', '.join(map(str, theirs))}): check the "
                "segments that add a heading, a blank line or a list marker"
            )


def _steps(section: Section) -> int:
    return sum(1 for block in section.blocks if block.kind == STEP)
