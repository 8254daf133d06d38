"""Recent changes in one language: every version of every SOP in force, newest first, one page per month
(so that no page grows with the history), each version linked to its SOP and to what changed in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from babel.dates import format_date

from soplib import changelog
from soplib.load.project import Project
from soplib.publish.markdown import cell, front_matter, in_language, markdown_text, relative
from soplib.publish.urls import page_url, relative_url

RECENT_MONTHS = 2  # shown on the main page; the others have a page each
DiffUrl = Callable[[str, str], str | None]  # (SOP id, version) -> its diff page's URL from the site root


@dataclass(frozen=True)
class Month:
    key: str  # YYYY-MM, or "" for versions without a valid date
    changes: list[changelog.Change]


def months(changes: list[changelog.Change]) -> list[Month]:
    """By month of effect, newest first; within a month by date, then team, SOP and version."""
    dated = sorted(changes, key=lambda c: (c.date, c.sop_id, c.version), reverse=True)
    return [Month(key, list(group)) for key, group in groupby(dated, key=_month_of)]


def _month_of(change: changelog.Change) -> str:
    return change.date[:7] if change.date[:4].isdigit() else ""


def change_pages(
    project: Project, changes: list[changelog.Change], lang: str, today: date, diff_url: DiffUrl
) -> dict[str, str]:
    """docs path -> Markdown: the main page (the newest months and a list of all) and one page per month."""
    end = "" if lang == project.source_language else f".{lang}"
    found = months(changes)
    pages = {f"changes{end}.md": _main(project, found, lang, today, diff_url)}
    for index, month in enumerate(found):
        newer = found[index - 1] if index else None
        older = found[index + 1] if index + 1 < len(found) else None
        page = f"changes/{month.key or 'undated'}.md"
        text = _month(project, month, lang, today, diff_url, page, newer, older)
        pages[f"changes/{month.key or 'undated'}{end}.md"] = text
    return pages


def _main(project: Project, found: list[Month], lang: str, today: date, diff_url: DiffUrl) -> str:
    t = project.text
    title = t("changes_title", lang)
    parts = [f"# {title}", t("changes_intro", lang)]
    if not found:
        parts.append(t("changelog_empty", lang))
    for month in found[:RECENT_MONTHS]:
        entries = _entries(project, month, lang, today, diff_url, "changes.md")
        parts += [f"## {_label(project, month, lang)}", entries]
    if len(found) > RECENT_MONTHS:
        links = [
            f"- [{_label(project, m, lang)}](changes/{m.key or 'undated'}.md) ({len(m.changes)})"
            for m in found
        ]
        parts += [f"## {t('changes_all_months', lang)}", "\n".join(links)]
    return front_matter(title) + "\n\n".join(parts) + "\n"


def _month(
    project: Project,
    month: Month,
    lang: str,
    today: date,
    diff_url: DiffUrl,
    page: str,
    newer: Month | None,
    older: Month | None,
) -> str:
    t = project.text
    title = f"{t('changes_title', lang)}: {_label(project, month, lang)}"
    around = [f"[{t('changes_all', lang)}](../changes.md)"]
    if older is not None:
        around.insert(0, f"[← {_label(project, older, lang)}]({older.key or 'undated'}.md)")
    if newer is not None:
        around.append(f"[{_label(project, newer, lang)} →]({newer.key or 'undated'}.md)")
    entries = _entries(project, month, lang, today, diff_url, page)
    parts = [f"# {markdown_text(title)}", " · ".join(around), entries]
    return front_matter(title) + "\n\n".join(parts) + "\n"


def _label(project: Project, month: Month, lang: str) -> str:
    """The month in words in `lang` ("noviembre de 2026")."""
    if not month.key:
        return project.text("changes_undated", lang)
    first = date(int(month.key[:4]), int(month.key[5:7]), 1)
    return format_date(first, "LLLL y", locale=lang)


def _entries(project: Project, month: Month, lang: str, today: date, diff_url: DiffUrl, page: str) -> str:
    t, lines = project.text, []
    here = page_url(page, lang, project.source_language)
    for change in month.changes:
        sop = relative(page, change.path.removeprefix("sops/"))
        diff = diff_url(change.sop_id, change.version)
        version = f"[{change.version}]({relative_url(here, diff)})" if diff else change.version
        kind = project.label("change_type", change.type, lang)
        note = "" if change.translated else t("changes_untranslated", lang)
        note += t("changelog_pending", lang) if change.pending else ""
        upcoming = f" · {t('changelog_upcoming', lang)}" if change.date > today.isoformat() else ""
        title = in_language(cell(change.title), change.title_lang or lang, lang)
        summary = markdown_text(change.summary)
        summary = summary if change.translated else in_language(summary, project.source_language, lang)
        lines.append(
            f"- {change.date}{upcoming} · **{change.sop_id}** [{title}]({sop}) · "
            f"**{version}** · {kind}: {summary}{note}"
        )
    return "\n".join(lines)
