"""A diff as HTML: one self-contained printable page, or a fragment for the site.

Inserted words are <ins> (green, underlined) and deleted words <del> (red, struck through), so a page
printed in black and white still tells them apart; changed numbers are bold and boxed. Every block that
changed carries its status as a word (added, moved …), not only as a colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html import escape

from soplib.core.inline import inline_html
from soplib.diff.blocks import CODE, HEADER, HEADING, ITEM, STEP
from soplib.diff.model import BlockDiff, LineDiff, Op, Piece, SectionDiff, SopDiff, Status
from soplib.diff.present import (
    NONE,
    Shown,
    block_tags,
    entry_parts,
    field_label,
    field_values,
    figure_where,
    is_row,
    lead,
    number,
    section_name,
    section_tag,
    side_line,
    versions_line,
    view,
)
from soplib.diff.present import notes as diff_notes
from soplib.load.project import Project
from soplib.printed import document

STYLE = """\
.sop-diff { font: 10.5pt/1.45 system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: #1b1b1b;
  max-width: 58rem; margin: 0 auto 2rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sop-diff__title { font-size: 1.6em; margin: 0 0 .3em; }
.sop-diff__part { font-size: 1.1em; margin: 1em 0 .3em; }
.sop-diff__heading { font-size: 1.2em; margin: 1.1em 0 .4em; padding-bottom: .15em;
  border-bottom: 1px solid #bbb; }
.sop-diff__section--same .sop-diff__heading { font-size: 1em; font-weight: 500; color: #555; margin: .3em 0;
  border-bottom: 1px dotted #bbb; }
.sop-diff__versions { font-size: 1.1em; font-weight: 600; margin: 0; }
.sop-diff__sides { margin: .2em 0 0; padding-left: 1.2em; color: #444; }
.sop-diff ins { color: #0a5a1f; background: #d9f2df; text-decoration: underline;
  text-decoration-thickness: .12em;
  text-underline-offset: .16em; }
.sop-diff del { color: #9c1219; background: #fbe0e0; text-decoration: line-through;
  text-decoration-thickness: .12em; }
.sop-diff .fig { font-weight: 700; outline: 1.5px solid currentColor; outline-offset: 1px; margin: 0 .15em;
  border-radius: 2px; }
.sop-diff__note { border: 2px solid #b26a00; background: #fff4e0; padding: .5em .8em; font-weight: 600; }
.sop-diff__legend { font-size: .9em; color: #333; border: 1px solid #999; padding: .3em .6em;
  display: inline-block; }
.sop-diff__entries dt { font-weight: 700; margin-top: .3em; }
.sop-diff__entries dd { margin: 0 0 0 1.2em; }
.sop-diff table { border-collapse: collapse; margin: .4em 0; width: 100%; }
.sop-diff th, .sop-diff td { border: 1px solid #aaa; padding: .2em .45em; text-align: left;
  vertical-align: top; }
.sop-diff th { background: #eee; }
.sop-diff__tag { display: inline-block; margin-left: .5em; padding: 0 .45em; border: 1px solid currentColor;
  border-radius: .7em; font-size: .78em; font-weight: 600; white-space: nowrap; color: #333;
  background: #fff; }
.sop-diff__block { display: flex; gap: .5em; padding: .2em .5em; margin: .25em 0;
  border-left: .3em solid transparent; }
.sop-diff__num { flex: 0 0 2em; text-align: right; font-weight: 700; }
.sop-diff__text { flex: 1; min-width: 0; }
.sop-diff__block--same { color: #555; }
.sop-diff__block--added { border-left: .3em solid #1e7d32; }
.sop-diff__block--removed { border-left: .3em dashed #b3261e; }
.sop-diff__block--changed { border-left: .3em double #8a6d00; }
.sop-diff__block--moved { border-left: .3em dotted #1565c0; }
.sop-diff__line { margin: .15em 0 0; }
.sop-diff__line--bullet::before { content: "•"; display: inline-block; width: 1em; margin-left: -1em; }
.sop-diff__line--d1 { margin-left: 1.2em; } .sop-diff__line--d2 { margin-left: 2.4em; }
.sop-diff__line--d3 { margin-left: 3.6em; }
.sop-diff__collapsed { color: #666; font-style: italic; margin: .2em 0 .2em 2.5em; }
.sop-diff__subheading { font-weight: 700; }
.sop-diff pre { margin: 0; white-space: pre-wrap; }
.sop-pack__cover { margin-bottom: 2rem; }
.sop-pack__cover h1 { font-size: 2em; }
.sop-pack__cover p { margin: .2em 0; font-size: 1.1em; }
.sop-pack__flag { color: #8a4b00; font-weight: 600; }
.sop-pack__summaries { margin: 0; padding-left: 1.1em; }
.sop-pack__table td:first-child { white-space: nowrap; }
.sop-pack__fatal strong { color: #9c1219; }
.sop-diff__new { font-weight: 700; }
.sop-diff__section--new .sop-diff__block--same { color: inherit; }
@media print {
  @page { margin: 14mm 12mm; }
  .sop-diff { max-width: none; font-size: 10pt; }
  .sop-diff__block, .sop-diff tr, .sop-diff__entries, .sop-diff__note, .sop-diff header,
  .sop-pack__criteria li { break-inside: avoid; }
  .sop-diff h1, .sop-diff h2, .sop-diff h3, .sop-diff header, .sop-diff__part { break-after: avoid; }
  .sop-pack__item { break-before: page; }
}
"""

_INLINE = re.compile(r"(\*\*|__|`|\]\([^)\s]*\)|\[)")
_TAGS = {Op.INSERT: "ins", Op.DELETE: "del"}


@dataclass
class _Emphasis:
    """Bold and code run across the pieces of one line (`**` may open in one piece and close in the next),
    on each side: a deleted `**` closes the old text's bold, not the new text's."""

    bold: bool = False
    code: bool = False


def inline(pieces: Iterable[Piece], heading: bool = False) -> str:
    """Pieces as HTML: Markdown's bold and code kept, a link shown as its text, changes marked."""
    old, new, out, previous = _Emphasis(), _Emphasis(), [], Op.SAME
    for index, piece in enumerate(pieces):
        text = piece.text.lstrip("#").lstrip() if heading and index == 0 else piece.text
        sides = {Op.SAME: (new, old), Op.INSERT: (new,), Op.DELETE: (old,)}[piece.op]
        content = "".join(_parts(text, *sides))
        if piece.op is Op.SAME or not content.strip():
            out.append(content)
        else:
            figure = ' class="fig"' if piece.figure else ""
            gap = (
                " " if previous is Op.DELETE and piece.op is Op.INSERT else ""
            )  # "~~48~~ 72", not "~~48~~72"
            out.append(f"{gap}<{_TAGS[piece.op]}{figure}>{content}</{_TAGS[piece.op]}>")
        previous = piece.op
    return "".join(out)


def _parts(text: str, shown: _Emphasis, *others: _Emphasis) -> Iterable[str]:
    """`text` as HTML in the emphasis of `shown`; the markers also switch `others` (the other side)."""
    for part in _INLINE.split(text):
        if part in ("**", "__"):
            for state in (shown, *others):
                state.bold = not state.bold
        elif part == "`":
            for state in (shown, *others):
                state.code = not state.code
        elif part and part != "[" and not part.startswith("]("):
            html = escape(part, quote=False)
            html = f"<code>{html}</code>" if shown.code else html
            yield f"<strong>{html}</strong>" if shown.bold else html


def _tags(tags: list[str]) -> str:
    return "".join(f' <span class="sop-diff__tag">{escape(tag)}</span>' for tag in tags)


def render_fragment(
    diff: SopDiff,
    project: Project,
    lang: str,
    level: int = 2,
    notes: Sequence[str] = (),
    legend: bool = True,
    extra: str = "",
) -> str:
    """The diff as an <article>, headings from <h{level}>, `notes` under them, the HTML `extra` after the
    summary; style it with STYLE."""
    t, h, sub = project.text, f"h{level}", f"h{level + 1}"
    parts = [
        f'<article class="sop-diff" lang="{escape(lang)}" id="{anchor(diff.sop_id, diff.new.version)}">',
        f'<header><{h} class="sop-diff__title">{escape(diff.sop_id)} · {escape(diff.title)}</{h}>',
        f'<p class="sop-diff__versions">{escape(versions_line(project, diff, lang))}</p>',
        '<ul class="sop-diff__sides">'
        + "".join(f"<li>{escape(side_line(project, s, lang))}</li>" for s in (diff.old, diff.new) if s)
        + "</ul></header>",
    ]
    for text in (*diff_notes(project, diff, lang), *notes):
        parts.append(f'<p class="sop-diff__note" role="note">{escape(text)}</p>')
    parts += _summary(diff, project, lang, sub)
    parts += [extra] if extra else []
    if legend and not diff.before_history:
        parts.append(f'<p class="sop-diff__legend">{escape(t("diff_legend", lang))}</p>')
    if not diff.changed and not diff.before_history:
        parts.append(f"<p>{escape(t('diff_no_text_changes', lang))}</p>")
    text_lang = f' lang="{escape(diff.lang)}"' if diff.lang != lang else ""  # English shown to a reader of es
    if diff.old is None and not diff.before_history:  # a new SOP: its text, not one long insertion
        parts.append(f'<p class="sop-diff__new">{escape(t("diff_new_sop", lang))}</p>')
        parts += [_section(section, project, lang, sub, text_lang, plain=True) for section in diff.sections]
    else:
        parts += [_section(section, project, lang, sub, text_lang) for section in diff.sections]
    parts.append("</article>")
    return "\n".join(parts)


def entries_html(diff: SopDiff, project: Project, lang: str, h: str) -> list[str]:
    """The `changes` entries of the versions compared, under a heading <h>; nothing when there are none."""
    if not diff.entries:
        return []
    entries = (entry_parts(project, entry, lang) for entry in diff.entries)
    return [
        f'<{h} class="sop-diff__part">{escape(project.text("diff_changes_heading", lang))}</{h}>',
        '<dl class="sop-diff__entries">'
        + "".join(
            f"<dt>{escape(head)}</dt><dd>{inline_html(text)}{escape(note)}</dd>"
            for head, text, note in entries
        )
        + "</dl>",
    ]


def _summary(diff: SopDiff, project: Project, lang: str, h: str) -> list[str]:
    t, parts = project.text, entries_html(diff, project, lang, h)
    if diff.fields:
        head = "".join(
            f"<th>{escape(t(key, lang))}</th>" for key in ("diff_field", "diff_before", "diff_after")
        )
        rows = "".join(
            f"<tr><th>{escape(field_label(project, c.field, lang))}</th>"
            f"<td>{_values(field_values(project, c, lang, newer=False))}</td>"
            f"<td>{_values(field_values(project, c, lang, newer=True))}</td></tr>"
            for c in diff.fields
        )
        parts += [
            f'<{h} class="sop-diff__part">{escape(t("diff_fields_heading", lang))}</{h}>',
            f'<table class="sop-diff__fields"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>',
        ]
    if diff.figures:
        items = "".join(
            f'<li>{escape(figure_where(project, f, lang))}: <del class="fig">{escape(f.old or NONE)}</del>'
            f' → <ins class="fig">{escape(f.new or NONE)}</ins></li>'
            for f in diff.figures
        )
        parts += [
            f'<{h} class="sop-diff__part">{escape(t("diff_figures_heading", lang))}</{h}>',
            f'<ul class="sop-diff__figures">{items}</ul>',
        ]
    return parts


def _values(values: list[tuple[Op, str]]) -> str:
    return ", ".join(
        escape(text) if op is Op.SAME else f"<{_TAGS[op]}>{escape(text)}</{_TAGS[op]}>" for op, text in values
    )


def anchor(sop_id: str, version: str) -> str:
    """The id of a diff's <article>, for links to it."""
    return escape(f"diff-{sop_id}-{version}")


def _section(
    section: SectionDiff, project: Project, lang: str, h: str, text_lang: str, plain: bool = False
) -> str:
    """A section as its changes show it, or `plain`: its text as written (a new SOP), nothing marked."""
    tags = "" if plain else _tags([section_tag(project, section, lang)])
    heading = f'<{h} class="sop-diff__heading">{escape(section_name(project, section, lang))}{tags}</{h}>'
    body, table = [], []
    shown_blocks = [Shown("full", _unmarked(block)) for block in section.blocks] if plain else view(section)
    for shown in shown_blocks:
        if is_row(shown.block):
            table.append(_row(shown, project, lang))
            continue
        if table:
            body.append("<table>\n" + "\n".join(table) + "\n</table>")
            table = []
        body.append(_block(shown, project, lang))
    if table:
        body.append("<table>\n" + "\n".join(table) + "\n</table>")
    inner = "\n".join([heading, *body])
    status = "new" if plain else section.status.value
    return f'<section class="sop-diff__section sop-diff__section--{status}"{text_lang}>{inner}</section>'


def _unmarked(block: BlockDiff) -> BlockDiff:
    """A block of a new SOP as plain text: its words are not insertions to a reader."""
    lines = tuple(
        replace(line, status=Status.SAME, pieces=tuple(Piece(Op.SAME, p.text) for p in line.pieces))
        for line in block.lines
    )
    return replace(block, status=Status.SAME, old_number=block.new_number, lines=lines)


def _classes(block: BlockDiff, how: str) -> str:
    names = [f"sop-diff__block--{block.kind}", f"sop-diff__block--{block.status.value}"]
    if block.moved:
        names.append("sop-diff__block--moved")
    if how == "lead":
        names.append("sop-diff__block--lead")
    return "sop-diff__block " + " ".join(names)


def _block(shown: Shown, project: Project, lang: str) -> str:
    block = shown.block
    if shown.how == "collapsed":
        collapsed = project.text("diff_collapsed", lang, count=shown.count)
        return f'<p class="sop-diff__collapsed">{escape(collapsed)}</p>'
    label = f"{number(block)}." if block.kind == STEP else ("•" if block.kind == ITEM else "")
    tags = _tags(block_tags(project, block, lang))
    if shown.how == "lead":
        text = inline([Piece(Op.SAME, lead(block))])
    elif block.kind == CODE:
        code = "\n".join(
            inline(line.pieces)
            for line in block.lines
            if not line.pieces[0].text.lstrip().startswith(("```", "~~~"))
        )
        text = f"<pre>{code}</pre>"
    else:
        first, *rest = block.lines
        text = inline(first.pieces, heading=block.kind == HEADING)
        text = f'<span class="sop-diff__subheading">{text}</span>' if block.kind == HEADING else text
        text += _lines(rest, project, lang)
    number_cell = f'<span class="sop-diff__num">{escape(label)}</span>' if label else ""
    body = f'<div class="sop-diff__text">{text}{tags}</div>'
    return f'<div class="{_classes(block, shown.how)}">{number_cell}{body}</div>'


def _lines(lines: Sequence[LineDiff], project: Project, lang: str) -> str:
    """The lines after a step's lead; the rows of a table inside the step as a table."""
    out: list[str] = []
    rows: list[str] = []
    for line in lines:
        if line.marker == "row":
            cell = "th" if not rows else "td"
            cells = "".join(f"<{cell}>{inline(pieces)}</{cell}>" for pieces in _cells(line.pieces))
            rows.append(f'<tr class="sop-diff__row--{line.status.value}">{cells}</tr>')
            continue
        if rows:
            out.append(f"<table>{''.join(rows)}</table>")
            rows = []
        out.append(_line(line, project, lang))
    if rows:
        out.append(f"<table>{''.join(rows)}</table>")
    return "".join(out)


def _line(line: LineDiff, project: Project, lang: str) -> str:
    names = ["sop-diff__line", f"sop-diff__line--{line.status.value}"]
    if line.depth:
        names.append(f"sop-diff__line--d{min(line.depth, 3)}")
    if line.marker == "-":
        names.append("sop-diff__line--bullet")
    moved = _tags([project.text("diff_moved", lang)]) if line.moved else ""
    return f'<div class="{" ".join(names)}">{inline(line.pieces)}{moved}</div>'


def _row(shown: Shown, project: Project, lang: str) -> str:
    block = shown.block
    if shown.how == "collapsed":
        text = escape(project.text("diff_collapsed", lang, count=shown.count))
        return f'<tr class="sop-diff__collapsed"><td colspan="20">{text}</td></tr>'
    cell = "th" if block.kind == HEADER else "td"
    cells = [f"<{cell}>{inline(pieces)}</{cell}>" for pieces in _cells(block.lines[0].pieces)]
    tags = _tags(block_tags(project, block, lang))
    if tags and cells:
        cells[-1] = cells[-1].replace(f"</{cell}>", f"{tags}</{cell}>")
    classes = f"sop-diff__row--{block.status.value}" + (" sop-diff__row--moved" if block.moved else "")
    return f'<tr class="{classes}">{"".join(cells)}</tr>'


def _cells(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """A table row's pieces split at its pipes; the empty cells outside the outer pipes dropped."""
    cells: list[list[Piece]] = [[]]
    for piece in pieces:
        for index, part in enumerate(piece.text.split("|")):
            if index:
                cells.append([])
            if part:
                cells[-1].append(Piece(piece.op, part, piece.figure))
    if cells and not "".join(p.text for p in cells[0]).strip():
        cells = cells[1:]
    if cells and not "".join(p.text for p in cells[-1]).strip():
        cells = cells[:-1]
    return cells


# -- whole pages --------------------------------------------------------------------------------------------
def page(title: str, lang: str, body: str, style: str = "") -> str:
    return document(title, lang, STYLE + style, body)


def render_document(diff: SopDiff, project: Project, lang: str) -> str:
    title = f"{diff.sop_id} · {versions_line(project, diff, lang)}"
    return page(title, lang, render_fragment(diff, project, lang, level=1))
