"""A diff as terminal text (ANSI colour, or {+inserted+} and [-deleted-] markers) and as Markdown."""

from __future__ import annotations

from collections.abc import Iterable

from soplib.diff.blocks import CODE, HEADER, ITEM, STEP
from soplib.diff.model import BlockDiff, LineDiff, Op, Piece, SopDiff, Status
from soplib.diff.present import (
    NONE,
    Shown,
    block_tags,
    entry_text,
    field_label,
    field_values,
    figure_where,
    is_row,
    lead,
    notes,
    number,
    section_name,
    section_tag,
    side_line,
    versions_line,
    view,
)
from soplib.load.project import Project

_RESET = "\x1b[0m"
_COLOURS = {Op.INSERT: "32;4", Op.DELETE: "31;9"}  # green underlined, red struck through
_PREFIX = {Status.ADDED: ("+", "32"), Status.REMOVED: ("-", "31"), Status.CHANGED: ("~", "33")}


def _runs(pieces: Iterable[Piece]) -> list[Piece]:
    """Adjacent pieces of the same kind as one, so that markers do not split around a number."""
    runs: list[Piece] = []
    for piece in pieces:
        if runs and runs[-1].op is piece.op:
            runs[-1] = Piece(piece.op, runs[-1].text + piece.text, runs[-1].figure or piece.figure)
        else:
            runs.append(piece)
    return runs


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def paint(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}{_RESET}" if self.colour and text else text

    def pieces(self, pieces: Iterable[Piece]) -> str:
        if self.colour:
            out, previous = [], Op.SAME
            for p in pieces:
                gap = " " if previous is Op.DELETE and p.op is Op.INSERT else ""
                code = _COLOURS.get(p.op)
                out.append(gap + (self.paint(code + (";1" if p.figure else ""), p.text) if code else p.text))
                previous = p.op
            return "".join(out)
        marks = {Op.SAME: ("", ""), Op.INSERT: ("{+", "+}"), Op.DELETE: ("[-", "-]")}
        return "".join(f"{marks[p.op][0]}{p.text}{marks[p.op][1]}" for p in _runs(pieces))

    def prefix(self, block: BlockDiff) -> str:
        if block.moved:
            return self.paint("36", ">") + " "
        mark, code = _PREFIX.get(block.status, (" ", ""))
        return (self.paint(code, mark) if code else mark) + " "


def render_text(diff: SopDiff, project: Project, lang: str, colour: bool = False) -> str:
    style, t = Style(colour), project.text
    lines = [style.paint("1", f"{diff.sop_id} · {diff.title}"), versions_line(project, diff, lang)]
    lines += [f"  {side_line(project, side, lang)}" for side in (diff.old, diff.new) if side]
    for note in notes(project, diff, lang):
        lines += ["", style.paint("33", f"! {note}")]
    if diff.entries:
        lines += ["", style.paint("1", t("diff_changes_heading", lang))]
        for entry in diff.entries:
            head, summary = entry_text(project, entry, lang)
            lines += [f"  {head}", f"    {summary}"]
    if diff.fields:
        lines += ["", style.paint("1", t("diff_fields_heading", lang))]
        for change in diff.fields:
            before = style.pieces(_listed(field_values(project, change, lang, newer=False)))
            after = style.pieces(_listed(field_values(project, change, lang, newer=True)))
            lines.append(f"  {field_label(project, change.field, lang)}: {before} → {after}")
    if diff.figures:
        lines += ["", style.paint("1", t("diff_figures_heading", lang))]
        for figure in diff.figures:
            old, new = figure.old or NONE, figure.new or NONE
            lines.append(f"  {figure_where(project, figure, lang)}: {old} → {new}")
    if not diff.before_history:
        lines += ["", t("diff_legend_colour" if colour else "diff_legend_text", lang)]
    if not diff.changed and not diff.before_history:
        lines += ["", t("diff_no_text_changes", lang)]
    previous = None
    for section in diff.sections:
        heading = f"## {section_name(project, section, lang)}"
        if not (previous is Status.SAME and section.status is Status.SAME):  # unchanged ones in a row
            lines.append("")
        lines.append(f"{style.paint('1', heading)} · {section_tag(project, section, lang)}")
        previous = section.status
        for shown in view(section):
            lines += _shown_text(shown, style, project, lang)
    return "\n".join(lines) + "\n"


def _listed(values: list[tuple[Op, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    for index, (op, text) in enumerate(values):
        if index:
            pieces.append(Piece(Op.SAME, ", "))
        pieces.append(Piece(op, text))
    return pieces


def _label(block: BlockDiff) -> str:
    """A step's number or a list item's dash, right-aligned so that the texts line up."""
    if block.kind == STEP:
        return f"{number(block)}. ".rjust(4)
    return "  - " if block.kind == ITEM else ""


def _shown_text(shown: Shown, style: Style, project: Project, lang: str) -> list[str]:
    block = shown.block
    if shown.how == "collapsed":
        return [f"  {style.paint('2', project.text('diff_collapsed', lang, count=shown.count))}"]
    tags = block_tags(project, block, lang)
    suffix = style.paint("2", f"  ({', '.join(tags)})") if tags else ""
    if shown.how == "lead":
        return [f"  {_label(block)}{lead(block)}{suffix}"]
    first, *rest = block.lines
    head = f"{style.prefix(block)}{_label(block)}"
    out = [f"{head}{style.pieces(first.pieces)}{suffix}"]
    indent = " " * len(f"  {_label(block)}")
    for line in rest:
        out.append(
            indent + _line_lead(line) + style.pieces(line.pieces) + _line_tag(line, project, lang, style)
        )
    return out


def _line_lead(line: LineDiff) -> str:
    return "  " * max(0, line.depth - 1) + ("- " if line.marker == "-" else "")


def _line_tag(line: LineDiff, project: Project, lang: str, style: Style) -> str:
    return style.paint("2", f"  ({project.text('diff_moved', lang)})") if line.moved else ""


# -- Markdown ------------------------------------------------------------------------------------------
def _md_pieces(pieces: Iterable[Piece]) -> str:
    tags = {Op.SAME: ("", ""), Op.INSERT: ("<ins>", "</ins>"), Op.DELETE: ("<del>", "</del>")}
    text = "".join(f"{tags[p.op][0]}{p.text}{tags[p.op][1]}" for p in _runs(pieces))
    return text.replace("</del><ins>", "</del> <ins>")


def render_markdown(diff: SopDiff, project: Project, lang: str) -> str:
    t = project.text
    parts = [f"# {diff.sop_id} · {diff.title}", versions_line(project, diff, lang)]
    parts.append("\n".join(f"- {side_line(project, side, lang)}" for side in (diff.old, diff.new) if side))
    parts += [f"> **{note}**" for note in notes(project, diff, lang)]
    if diff.entries:
        entries = (entry_text(project, entry, lang) for entry in diff.entries)
        parts += [f"## {t('diff_changes_heading', lang)}", "\n".join(f"- **{h}**: {s}" for h, s in entries)]
    if diff.fields:
        rows = [
            f"| {t('diff_field', lang)} | {t('diff_before', lang)} | {t('diff_after', lang)} |",
            "| --- | --- | --- |",
        ]
        for change in diff.fields:
            before = _md_pieces(_listed(field_values(project, change, lang, newer=False)))
            after = _md_pieces(_listed(field_values(project, change, lang, newer=True)))
            rows.append(f"| {field_label(project, change.field, lang)} | {_cell(before)} | {_cell(after)} |")
        parts += [f"## {t('diff_fields_heading', lang)}", "\n".join(rows)]
    if diff.figures:
        items = (
            f"- {figure_where(project, f, lang)}: <del>{f.old or NONE}</del> → <ins>{f.new or NONE}</ins>"
            for f in diff.figures
        )
        parts += [f"## {t('diff_figures_heading', lang)}", "\n".join(items)]
    if not diff.before_history:
        parts.append(f"*{t('diff_legend_md', lang)}*")
    if not diff.changed and not diff.before_history:
        parts.append(t("diff_no_text_changes", lang))
    for section in diff.sections:
        parts.append(f"## {section_name(project, section, lang)} · {section_tag(project, section, lang)}")
        parts += _md_section(view(section), project, lang)
    return "\n\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _md_section(shown: list[Shown], project: Project, lang: str) -> list[str]:
    parts: list[str] = []
    table: list[str] = []
    for item in shown:
        block = item.block
        if is_row(block):
            table += _md_row(item, project, lang, table)
            continue
        if table:
            parts.append("\n".join(table))
            table = []
        parts.append(_md_block(item, project, lang))
    if table:
        parts.append("\n".join(table))
    return parts


def _with_tags(row: str, tags: list[str]) -> str:
    """A table row with its tags inside its last cell, so that the table stays a table."""
    if not tags:
        return row
    note = f" *({', '.join(tags)})*"
    return f"{row[:-1].rstrip()}{note} |" if row.endswith("|") else row + note


def _md_table(rows: list[tuple[str, bool]]) -> list[str]:
    """Rows (text, is the header) as a Markdown table: an empty header when the first row is not one."""
    columns = max(1, rows[0][0].count("|") - 1)
    head = [rows.pop(0)[0]] if rows[0][1] else ["|" + " |" * columns]
    return [*head, "|" + " --- |" * columns, *(text for text, _ in rows)]


def _md_row(item: Shown, project: Project, lang: str, table: list[str]) -> list[str]:
    block = item.block
    if item.how == "collapsed":
        text = f"| *{project.text('diff_collapsed', lang, count=item.count)}* |"
    else:
        text = _with_tags(_md_pieces(block.lines[0].pieces), block_tags(project, block, lang))
    return _md_table([(text, block.kind == HEADER)]) if not table else [text]


def _md_block(item: Shown, project: Project, lang: str) -> str:
    block = item.block
    if item.how == "collapsed":
        return f"*{project.text('diff_collapsed', lang, count=item.count)}*"
    label = f"**{number(block)}.** " if block.kind == STEP else ("- " if block.kind == ITEM else "")
    tags = block_tags(project, block, lang)
    suffix = f" *({', '.join(tags)})*" if tags else ""
    if item.how == "lead":
        return f"{label}{lead(block)}{suffix}"
    if block.kind == CODE:
        return "```\n" + "\n".join(_md_pieces(line.pieces) for line in block.lines[1:-1]) + "\n```" + suffix
    first, *rest = block.lines
    parts = [f"{label}{_md_pieces(first.pieces)}{suffix}"]
    rows: list[tuple[str, bool]] = []
    for line in rest:
        if line.marker == "row":  # a table inside the step
            rows.append((_md_pieces(line.pieces), not rows))
            continue
        if rows:
            parts.append("\n".join(_md_table(rows)))
            rows = []
        moved = f" *({project.text('diff_moved', lang)})*" if line.moved else ""
        bullet = "  " * max(0, line.depth - 1) + ("- " if line.marker == "-" else "")
        text = f"{bullet}{_md_pieces(line.pieces)}{moved}"
        if line.marker == "-" and parts[-1].lstrip().startswith("- "):
            parts[-1] += "\n" + text  # one list, not one list per item
        else:
            parts.append(text)
    if rows:
        parts.append("\n".join(_md_table(rows)))
    return "\n\n".join(parts)
