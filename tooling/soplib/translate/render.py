"""The worksheet as text and as one printable HTML page, in the translator's language (translations/ui.yml).

Each place to change shows the English change (inserted words {+…+} / <ins>, deleted [-…-] / <del>) and,
under or beside it, the translation's text there now: what to rewrite, and into what.
"""

from __future__ import annotations

from html import escape

from soplib.core.state import TranslationState
from soplib.diff.html import entries_html, inline, page
from soplib.diff.model import LineDiff, Status
from soplib.diff.present import block_tags, entry_text, figure_where, section_name, section_tag
from soplib.diff.text import Style
from soplib.load.project import Project
from soplib.translate.worksheet import SectionWork, Segment, Worksheet

_STYLE = """\
.sop-translate td { width: 50%; }
.sop-translate__where { font-weight: 600; }
.sop-translate__id { color: #555; font-size: .85em; font-family: monospace; }
.sop-translate__text { white-space: pre-wrap; }
.sop-translate__hint { color: #8a4b00; font-style: italic; }
"""


def intro(sheet: Worksheet, project: Project) -> list[str]:
    """What the translator reads first: which file, how far behind, what to do."""
    t, lang = project.text, sheet.lang
    language = project.language_names.get(lang, lang)
    lines = [t("translate_heading", lang, language=language)]
    if sheet.state is TranslationState.CURRENT:
        return [*lines, t("translate_current", lang, path=sheet.path, current=sheet.version)]
    lines.append(
        t("translate_behind", lang, path=sheet.path, source=sheet.source_version, current=sheet.version)
    )
    lines.append(t("translate_stale" if sheet.state is TranslationState.STALE else "translate_wording", lang))
    count = len(sheet.segments)
    lines.append(t("translate_todo", lang, count=count, current=sheet.version))
    command = f"sop translate {sheet.sop_id} --lang {lang} --format xliff -o {sheet.sop_id}.{lang}.xlf"
    lines.append(t("translate_export", lang, command=command))
    return lines


def where(sheet: Worksheet, project: Project, section: SectionWork, segment: Segment) -> str:
    """`[2] Procedimiento, paso 3 · con cambios`: the section in the translator's language, the step."""
    name = section_name(project, section.change, sheet.lang)
    number = segment.change.new_number or segment.change.old_number
    if segment.change.kind == "step" and number is not None:
        name += ", " + project.text("diff_step", sheet.lang, number=number)
    tags = block_tags(project, segment.change, sheet.lang)
    return f"[{segment.number}] {name}" + (f" · {', '.join(tags)}" if tags else "")


def hint(sheet: Worksheet, project: Project, section: SectionWork, segment: Segment) -> str | None:
    """What to do with the translation's text when it is not simply rewritten."""
    t, lang = project.text, sheet.lang
    if section.heading_line is None:
        return t("translate_new_section", lang)
    if segment.change.status is Status.REMOVED:
        return t("translate_delete", lang) if segment.place else None
    if segment.unchanged and segment.place:
        return t("translate_moved_only", lang)
    return None if segment.place else t("translate_not_there", lang)


# -- text ----------------------------------------------------------------------------------------------
def render_text(sheet: Worksheet, project: Project) -> str:
    t, lang, style = project.text, sheet.lang, Style(colour=False)
    lines = [f"{sheet.sop_id} · {sheet.title}", *intro(sheet, project)]
    if sheet.diff.entries:
        lines += ["", t("diff_changes_heading", lang)]
        for entry in sheet.diff.entries:
            head, summary = entry_text(project, entry, lang)
            lines += [f"  {head}", f"    {summary}"]
    if sheet.diff.figures:
        lines += ["", t("diff_figures_heading", lang)]
        lines += [
            f"  {figure_where(project, f, lang)}: {f.old or '—'} → {f.new or '—'}" for f in sheet.diff.figures
        ]
    if sheet.segments:
        lines += ["", t("diff_legend_text", lang)]
    for section in sheet.sections:
        heading = (
            f"## {section_name(project, section.change, lang)} · {section_tag(project, section.change, lang)}"
        )
        lines += ["", heading]
        for segment in section.segments:
            lines += ["", where(sheet, project, section, segment), f"    {segment.id}"]
            lines += _english_lines(segment.change.lines, style)
            lines += _translation_lines(sheet, segment, hint(sheet, project, section, segment))
    return "\n".join(lines) + "\n"


def _english_lines(changes: tuple[LineDiff, ...], style: Style) -> list[str]:
    out = []
    for index, line in enumerate(changes):
        label = "en  " if index == 0 else "    "
        bullet = "  " * max(0, line.depth - 1) + ("- " if line.marker == "-" else "")
        out.append(f"  {label}{bullet}{style.pieces(line.pieces)}")
    return out


def _translation_lines(sheet: Worksheet, segment: Segment, note: str | None) -> list[str]:
    label = f"{sheet.lang}  "
    if segment.place is None:
        return [f"  {label}{note}"] if note else []
    first, *rest = segment.place.text.split("\n")
    out = [f"  {label}{first}", *(f"      {line}" if line else "" for line in rest)]
    return out + ([f"      ({note})"] if note else [])


# -- HTML ----------------------------------------------------------------------------------------------
def render_html(sheet: Worksheet, project: Project) -> str:
    t, lang = project.text, sheet.lang
    parts = [
        f'<article class="sop-diff sop-translate" lang="{escape(lang)}">',
        f'<h1 class="sop-diff__title">{escape(sheet.sop_id)} · {escape(sheet.title)}</h1>',
        *(f"<p>{escape(line)}</p>" for line in intro(sheet, project)),
    ]
    parts += entries_html(sheet.diff, project, lang, "h2")
    if sheet.segments:
        parts.append(f'<p class="sop-diff__legend">{escape(t("diff_legend", lang))}</p>')
    parts += [_html_section(sheet, project, section) for section in sheet.sections]
    parts.append("</article>")
    title = (
        f"{sheet.sop_id} · {t('translate_heading', lang, language=project.language_names.get(lang, lang))}"
    )
    return page(title, lang, "\n".join(parts), _STYLE)


def _html_section(sheet: Worksheet, project: Project, section: SectionWork) -> str:
    lang = sheet.lang
    heading = (
        f'<h2 class="sop-diff__heading">{escape(section_name(project, section.change, lang))}'
        f' <span class="sop-diff__tag">{escape(section_tag(project, section.change, lang))}</span></h2>'
    )
    names = project.language_names
    english = f"{names.get('en', 'English')} {sheet.version}"
    head = f'<tr><th lang="en">{escape(english)}</th><th>{escape(names.get(lang, lang))}</th></tr>'
    rows = "".join(_html_row(sheet, project, section, segment) for segment in section.segments)
    return (
        f'<section lang="{escape(lang)}">{heading}<table class="sop-translate">{head}{rows}</table></section>'
    )


def _html_row(sheet: Worksheet, project: Project, section: SectionWork, segment: Segment) -> str:
    label = (
        f'<tr><td colspan="2"><span class="sop-translate__where">'
        f"{escape(where(sheet, project, section, segment))}</span> "
        f'<span class="sop-translate__id">{escape(segment.id)}</span></td></tr>'
    )
    english = "".join(
        f'<div class="sop-diff__line sop-diff__line--d{min(line.depth, 3)}'
        f'{" sop-diff__line--bullet" if line.marker == "-" else ""}">{inline(line.pieces)}</div>'
        for line in segment.change.lines
    )
    note = hint(sheet, project, section, segment)
    ours = f'<div class="sop-translate__text">{escape(segment.place.text)}</div>' if segment.place else ""
    ours += f'<p class="sop-translate__hint">{escape(note)}</p>' if note else ""
    return f'{label}<tr><td lang="en">{english}</td><td>{ours}</td></tr>'
