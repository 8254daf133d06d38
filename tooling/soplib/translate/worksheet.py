"""The translator's worksheet: each English change since the translation's `source_version`, beside the
translation's text at the same place, and where the new text goes in the file.

The English change comes from the trainers' diff (soplib.diff: source_version -> the version in force).
Sections pair by key (translations/sections.yml); a step pairs with the translation's step of the same
number, any other block with the translation's block of the same kind and rank in its section (the
second paragraph with the second paragraph): a translation mirrors the English version it translates.
"""

from __future__ import annotations

from dataclasses import dataclass

from soplib.core.state import TranslationState
from soplib.diff.blocks import HEADER, STEP, Block, Section, parse_body
from soplib.diff.model import BlockDiff, SectionDiff, SopDiff, Status
from soplib.translate.source import Written, joined, new_lead, written


@dataclass(frozen=True)
class Spot:
    """Where a segment's text goes in the translation's body (lines 1-based)."""

    remove: tuple[int, int] | None  # the lines it takes the place of, or deletes
    after: int | None  # when it is not written in place: insert after this line (0: at the top)
    lead: str  # its list marker and indent
    indent: int
    tight_before: bool = False  # the next item of a list, or row of a table: no blank line between
    tight_after: bool = False


@dataclass(frozen=True)
class Segment:
    id: str  # stable: SOP id, versions, section key, step number or kind and rank
    number: int  # its number in the worksheet, 1 first
    section: str | None  # the section's key
    change: BlockDiff  # the English block, words marked
    english: str  # its Markdown now ("" when English removed it)
    english_before: str  # its Markdown at source_version ("" when it is new)
    place: Written | None  # the translation's block at that place, if it has one
    spot: Spot

    @property
    def needs_text(self) -> bool:
        """Removed blocks are deleted on import; every other change needs a translated text."""
        return self.change.status is not Status.REMOVED

    @property
    def unchanged(self) -> bool:
        """Moved, but its words are the same: the translation's own text moves with it."""
        return self.change.status is Status.SAME


@dataclass(frozen=True)
class SectionWork:
    key: str | None
    change: SectionDiff
    heading_line: int | None  # the translation's heading of it (None: the translation lacks the section)
    end_line: int  # the translation section's last line
    segments: tuple[Segment, ...]
    insert_after: int | None = None  # a section the translation lacks: where it goes


@dataclass(frozen=True)
class Bodies:
    """The three texts a worksheet reads: English then and now, the translation now."""

    old: list[Section]
    new: list[Section]
    translation: list[Section]
    old_lines: list[str]
    new_lines: list[str]
    lines: list[str]  # the translation's


@dataclass(frozen=True)
class Worksheet:
    sop_id: str
    title: str  # in the translation's language
    lang: str
    path: str  # the translation's file
    state: TranslationState
    source_version: str  # what the translation translates
    version: str  # the English version in force
    diff: SopDiff  # English, source_version -> version
    bodies: Bodies
    sections: tuple[SectionWork, ...]  # in the English order, changed ones only
    heading_names: dict[str, str]  # a section's heading in any language -> its key
    section_names: dict[str, str]  # a section's key -> its name in the translation's language

    @property
    def segments(self) -> list[Segment]:
        return [segment for section in self.sections for segment in section.segments]

    @property
    def to_translate(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.needs_text]


def parse_bodies(old: str, new: str, translation: str, names: dict[str, str]) -> Bodies:
    return Bodies(
        parse_body(old, names),
        parse_body(new, names),
        parse_body(translation, names),
        old.split("\n"),
        new.split("\n"),
        translation.split("\n"),
    )


def plan(diff: SopDiff, bodies: Bodies, base_id: str) -> tuple[SectionWork, ...]:
    """The changed sections, each changed block paired with the translation's and given its spot."""
    found: list[SectionWork] = []
    number = 0
    for index, change in enumerate(diff.sections):
        if change.status is Status.SAME:
            continue
        work = _section(change, bodies, base_id, number, diff.sections[index + 1 :])
        number += len(work.segments)
        found.append(work)
    return tuple(found)


def _same_section(sections: list[Section], key: str | None, title: str) -> Section | None:
    """A section by key; the text before the first heading by having no heading."""
    for section in sections:
        if (key is not None and section.key == key) or (key is None and not title and not section.title):
            return section
    return None


def _end_line(sections: list[Section], section: Section, total: int) -> int:
    later = [
        s.heading_line for s in sections if s.heading_line and s.heading_line > (section.heading_line or 0)
    ]
    return min(later) - 1 if later else total


def _section(
    change: SectionDiff, bodies: Bodies, base_id: str, number: int, following: tuple[SectionDiff, ...]
) -> SectionWork:
    ours = _same_section(bodies.translation, change.key, change.title)
    old = _same_section(bodies.old, change.key, change.title)
    new = _same_section(bodies.new, change.key, change.title)
    pairs = _Pairs(old, ours, bodies.lines)
    section_id = f"{base_id}:{change.key or 'preamble'}"
    segments: list[Segment] = []
    used: set[str] = set()
    for position, block in enumerate(change.blocks):
        if block.status is Status.SAME and not block.moved:
            continue
        ident = _unique(f"{section_id}:{_where(block, old, new)}", used)
        spot = _spot(change, position, pairs, ours)
        english = _text(bodies.new_lines, new, block.new_index)
        before = _text(bodies.old_lines, old, block.old_index)
        number += 1
        segments.append(Segment(ident, number, change.key, block, english, before, pairs.of(block), spot))
    if ours is None:
        insert = _section_spot(bodies, following)
        return SectionWork(change.key, change, None, insert, tuple(segments), insert)
    end = _end_line(bodies.translation, ours, len(bodies.lines))
    return SectionWork(change.key, change, ours.heading_line, end, tuple(segments))


def _unique(ident: str, used: set[str]) -> str:
    found, count = ident, 1
    while found in used:  # two lists numbered from 1 in one section: lint reports it; ids stay apart
        count += 1
        found = f"{ident}.{count}"
    used.add(found)
    return found


def _where(block: BlockDiff, old: Section | None, new: Section | None) -> str:
    """The block's place: its step number, or its kind and rank among its kind, in the version the
    translation follows (in the new version for a block that is new)."""
    if block.old_index is not None and old is not None:
        return block.kind + "-" + str(_rank(old.blocks, block.old_index, block.old_number))
    rank = _rank(new.blocks, block.new_index, block.new_number) if new and block.new_index is not None else 0
    return f"new-{block.kind}-{rank}"


def _rank(blocks: tuple[Block, ...], index: int, number: int | None) -> int:
    if blocks[index].kind == STEP and number is not None:
        return number
    return 1 + sum(1 for block in blocks[:index] if block.kind == blocks[index].kind)


def _text(lines: list[str], section: Section | None, index: int | None) -> str:
    if section is None or index is None:
        return ""
    found = written(lines, section.blocks[index])
    return found.text if found else ""


class _Pairs:
    """The translation's block for each English block of the version it translates."""

    def __init__(self, old: Section | None, ours: Section | None, lines: list[str]) -> None:
        self.old, self.ours, self.lines = old, ours, lines

    def block(self, change: BlockDiff) -> Block | None:
        if self.old is None or self.ours is None or change.old_index is None:
            return None
        english = self.old.blocks[change.old_index]
        if english.kind == STEP:
            return next((b for b in self.ours.blocks if b.kind == STEP and b.number == english.number), None)
        rank = _rank(self.old.blocks, change.old_index, None)
        same_kind = [b for b in self.ours.blocks if b.kind == english.kind]
        return same_kind[rank - 1] if rank <= len(same_kind) else None

    def of(self, change: BlockDiff) -> Written | None:
        block = self.block(change)
        return written(self.lines, block) if block is not None else None


def _spot(change: SectionDiff, position: int, pairs: _Pairs, ours: Section | None) -> Spot:
    block = change.blocks[position]
    place = pairs.of(block)
    if block.status is Status.REMOVED:
        return Spot((place.first, place.last) if place else None, None, "", 0)
    if place is not None and not block.moved:
        return Spot((place.first, place.last), None, place.lead, place.indent)
    lead, indent = new_lead(_as_block(block))
    kinds = [b.kind for b in change.blocks if b.status is not Status.REMOVED]
    at = [b for b in change.blocks if b.status is not Status.REMOVED].index(block)
    before = kinds[at - 1] if at else ""
    after = kinds[at + 1] if at + 1 < len(kinds) else ""
    removed = (place.first, place.last) if place is not None else None
    anchor = _anchor(change, position, pairs, ours)
    return Spot(removed, anchor, lead, indent, joined(before, block.kind), joined(block.kind, after))


def _as_block(change: BlockDiff) -> Block:
    return Block(change.kind, (), change.new_number)


def _anchor(change: SectionDiff, position: int, pairs: _Pairs, ours: Section | None) -> int:
    """The translation's line after which a new or moved block goes: after the nearest block before it
    that stays where it is, else after the section's heading."""
    for earlier in reversed(change.blocks[:position]):
        if earlier.status is Status.REMOVED or earlier.moved:
            continue
        place = pairs.of(earlier)
        if place is not None:
            block = pairs.block(earlier)
            return place.last + (1 if block is not None and block.kind == HEADER else 0)  # past |---|
    if ours is None:
        return 0
    return ours.heading_line or 0


def _section_spot(bodies: Bodies, following: tuple[SectionDiff, ...]) -> int:
    """A section the translation lacks goes before the next section it has, else at the end."""
    for later in following:
        ours = _same_section(bodies.translation, later.key, later.title)
        if ours is not None and ours.heading_line:
            return ours.heading_line - 1
    return len(bodies.lines)
