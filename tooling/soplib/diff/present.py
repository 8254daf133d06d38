"""What every renderer of a diff says the same way, in the reader's language (translations/ui.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from soplib.core.state import TranslationState
from soplib.diff.blocks import HEADER, HEADING, ROW, STEP
from soplib.diff.model import BlockDiff, Entry, FieldChange, Figure, Op, SectionDiff, Side, SopDiff, Status
from soplib.load.project import Project

# front-matter field -> its label in translations/ui.yml; the vocabulary that labels its values
FIELD_LABELS = {
    "title": "diff_field_title",
    "status": "meta_status",
    "team": "meta_team",
    "owner": "meta_owner",
    "regions": "meta_regions",
    "audience": "meta_audience",
    "kpis": "meta_kpis",
    "effective_date": "meta_effective",
    "review_by": "meta_review_by",
    "tags": "diff_field_tags",
    "superseded_by": "diff_field_superseded_by",
    "languages": "diff_field_languages",
    "aliases": "diff_field_aliases",
}
VOCABULARY = {"status": "status", "team": "team", "regions": "region", "audience": "audience", "kpis": "kpi"}
NONE = "—"
_LEAD = re.compile(r"^(\*\*.+?\*\*|__.+?__)")
_LEAD_WORDS = 8


def section_name(project: Project, section: SectionDiff, lang: str) -> str:
    """The section's name in the reader's language when it is a known one, else the heading as written."""
    known = next((s for s in project.sections if s.key == section.key), None)
    if known is not None:
        return known.names.get(lang, section.title)
    return section.title or project.text("diff_preamble", lang)


def section_tag(project: Project, section: SectionDiff, lang: str) -> str:
    return project.text(f"diff_{section.status.value}", lang)


def block_tags(project: Project, block: BlockDiff, lang: str) -> list[str]:
    t = project.text
    tags = []
    if block.status in (Status.ADDED, Status.REMOVED, Status.CHANGED):
        tags.append(t(f"diff_{block.status.value}", lang))
    if block.moved:
        if block.kind == STEP and block.old_number is not None:
            tags.append(t("diff_moved_step", lang, number=block.old_number))
        else:
            tags.append(t("diff_moved", lang))
    elif (
        block.kind == STEP
        and block.status in (Status.SAME, Status.CHANGED)
        and block.old_number != block.new_number
    ):
        tags.append(t("diff_renumbered", lang, number=block.old_number))
    return tags


def is_row(block: BlockDiff) -> bool:
    return block.kind in (HEADER, ROW)


def lead(block: BlockDiff) -> str:
    """A step shown collapsed: its bold lead, or its first words."""
    text = block.lines[0].pieces[0].text if block.lines and block.lines[0].pieces else ""
    bold = _LEAD.match(text)
    shown = bold.group(1) if bold else " ".join(text.split()[:_LEAD_WORDS])
    return shown if shown == text and len(block.lines) == 1 else f"{shown} …"


def number(block: BlockDiff) -> int | None:
    return block.new_number if block.new_number is not None else block.old_number


def versions_line(project: Project, diff: SopDiff, lang: str) -> str:
    language = project.language_names.get(diff.lang, diff.lang)
    if diff.old is None:
        return project.text("diff_first", lang, language=language, new=diff.new.version)
    return project.text("diff_versions", lang, language=language, old=diff.old.version, new=diff.new.version)


def side_line(project: Project, side: Side, lang: str) -> str:
    t = project.text
    parts = [side.version]
    if side.effective:
        parts.append(t("diff_in_force", lang, date=side.effective))
    if side.published:
        parts.append(t("diff_published", lang, date=side.published))
    else:
        parts.append(t("diff_before_git" if side.before_history else "diff_unpublished", lang))
    return " · ".join(parts)


def entry_text(project: Project, entry: Entry, lang: str) -> tuple[str, str]:
    """(version · type · date, summary) of a `changes` entry."""
    head, summary, note = entry_parts(project, entry, lang)
    return head, f"{summary}{note}"


def entry_parts(project: Project, entry: Entry, lang: str) -> tuple[str, str, str]:
    """(version · type · date, the summary as written, a note when it is not in `lang`)."""
    kind = project.label("change_type", entry.type, lang) if entry.type else NONE
    note = "" if entry.translated else project.text("changes_untranslated", lang)
    return f"{entry.version} · {kind} · {entry.date}", entry.summary, note


def field_label(project: Project, field: str, lang: str) -> str:
    return project.text(FIELD_LABELS[field], lang) if field in FIELD_LABELS else field


def field_values(project: Project, change: FieldChange, lang: str, newer: bool) -> list[tuple[Op, str]]:
    """One side of a field's change, each value labelled; values only on this side are marked."""
    mine, other = (change.new, change.old) if newer else (change.old, change.new)
    if mine is None:
        return [(Op.SAME, NONE)]
    op = Op.INSERT if newer else Op.DELETE
    kept = set(other or ()) if change.is_list else set()
    return [
        (Op.SAME if value in kept else op, _value_label(project, change.field, value, lang)) for value in mine
    ]


def _value_label(project: Project, field: str, value: str, lang: str) -> str:
    if field == "languages":
        return project.language_names.get(value, value)
    return project.label(VOCABULARY[field], value, lang) if field in VOCABULARY else value


def figure_where(project: Project, figure: Figure, lang: str) -> str:
    known = next((s for s in project.sections if s.key == figure.section_key), None)
    where = known.names.get(lang, figure.section) if known else figure.section
    if figure.step is not None:
        where += ", " + project.text("diff_step", lang, number=figure.step)
    return where


def notes(project: Project, diff: SopDiff, lang: str) -> list[str]:
    """What a reader must know before reading the diff: English is shown for lack of a text in their
    language; this is not the version in force; the translation lags English in meaning (train from English)
    or only in wording (it is still in force); the older version predates the history."""
    found = [note] if (note := _version_note(project, diff, lang)) else []
    if diff.before_history and diff.old is not None:
        found.append(project.text("diff_before_history", lang, version=diff.old.version))
    return found


def _version_note(project: Project, diff: SopDiff, lang: str) -> str | None:
    if diff.lang != lang:
        language = project.language_names.get(lang, lang)
        return project.text("diff_english_shown", lang, language=language, version=diff.new.version)
    current = diff.current
    if current is not None and diff.new.version != current:
        return project.text(
            "diff_old_version", lang, version=diff.new.version, current=diff.english_version or current
        )
    if diff.translation == TranslationState.STALE:
        return project.text("diff_behind", lang, source=diff.new.version, current=diff.english_version)
    if diff.translation == TranslationState.WORDING:
        return project.text("diff_wording", lang, source=diff.new.version, current=diff.english_version)
    return None


@dataclass(frozen=True)
class Shown:
    """How a block appears: whole, as the lead of an unchanged step, or in a run of unchanged blocks."""

    how: str  # "full" | "lead" | "collapsed"
    block: BlockDiff  # for "collapsed", the first block of the run
    count: int = 1


def view(section: SectionDiff) -> list[Shown]:
    """An unchanged section shows nothing but its heading; in a changed one, unchanged steps show their lead
    (where each change sits in the procedure), other unchanged blocks are counted, table headers kept."""
    if section.status is Status.SAME:
        return []
    shown: list[Shown] = []
    for block in section.blocks:
        if block.status is not Status.SAME or block.moved or block.kind in (HEADER, HEADING):
            shown.append(Shown("full", block))
        elif block.kind == STEP:
            shown.append(Shown("lead", block))
        elif shown and shown[-1].how == "collapsed" and is_row(shown[-1].block) == is_row(block):
            shown[-1] = Shown("collapsed", shown[-1].block, shown[-1].count + 1)
        else:
            shown.append(Shown("collapsed", block))
    return shown
