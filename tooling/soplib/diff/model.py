"""The diff of two versions of one SOP file, as plain data: what the renderers and the site turn into text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Op(StrEnum):
    """What happened to a run of words."""

    SAME = "same"
    INSERT = "insert"
    DELETE = "delete"


class Status(StrEnum):
    """What happened to a section, a block or a line."""

    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str  # Markdown source, spacing included
    figure: bool = False  # an inserted or deleted number (amount, time limit, percentage)


@dataclass(frozen=True)
class LineDiff:
    """One logical line of a block: its lead text, a sub-item, or a paragraph inside a step."""

    depth: int  # 0: the block's own text; 1 and more: nested sub-items
    marker: str  # "" text, "-" a sub-item, "row" a table row, "code" a line of code
    status: Status
    pieces: tuple[Piece, ...]
    moved: bool = False  # a sub-item that changed places inside its step


@dataclass(frozen=True)
class BlockDiff:
    """A paragraph, procedure step, list item, table row, sub-heading or code block, in both versions."""

    kind: str  # see soplib.diff.blocks: paragraph, step, item, header, row, heading, code
    status: Status
    moved: bool  # matched in the other version, but at another place in the order
    old_number: int | None  # a step's number (its position in the list, as a reader sees it)
    new_number: int | None
    lines: tuple[LineDiff, ...]
    # its place among its section's blocks in each version (None: not in that version), to find it again
    old_index: int | None = None
    new_index: int | None = None


@dataclass(frozen=True)
class SectionDiff:
    key: str | None  # the section's key in translations/sections.yml; None for a heading not listed there
    title: str  # the heading as written (in the newer version, or the older one if removed)
    status: Status
    blocks: tuple[BlockDiff, ...]


@dataclass(frozen=True)
class Figure:
    """A changed number or time limit, with the words around it, for the summary."""

    section: str  # heading as written
    section_key: str | None
    step: int | None  # the step's number in the newer version, when inside a procedure step
    old: str
    new: str
    text: str = ""  # the line that holds it in the newer version, as a reader reads it (for a quiz)


@dataclass(frozen=True)
class FieldChange:
    """One front-matter field that differs; list fields keep their items, scalars are one-item tuples."""

    field: str
    old: tuple[str, ...] | None  # None: not set
    new: tuple[str, ...] | None
    is_list: bool


@dataclass(frozen=True)
class Side:
    version: str
    effective: str | None  # the date of its `changes` entry
    published: str | None  # the day its commit entered the history; None if not committed
    before_history: bool = False  # older than the git history: no commit, no text


@dataclass(frozen=True)
class Entry:
    """A `changes` entry of a version after the older side, up to the newer one."""

    version: str
    date: str
    type: str
    summary: str
    translated: bool  # False when the summary is English in a diff of another language


@dataclass(frozen=True)
class SopDiff:
    sop_id: str
    title: str  # in the language of the text
    team: str
    lang: str  # the language of the text compared
    old: Side | None  # None: the first version, compared with nothing
    new: Side
    entries: tuple[Entry, ...]  # newest first
    fields: tuple[FieldChange, ...]
    sections: tuple[SectionDiff, ...]
    figures: tuple[Figure, ...]
    english_version: str | None  # the English version in force
    current: str | None = None  # the version of the text in force in this language: newer means an old one
    translation: str | None = None  # the state of that translation (soplib.core.state), when it is shown
    before_history: bool = False  # the older version predates the git history: its text is not there

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(s.status is not Status.SAME for s in self.sections)
