"""Recent changes in one language: every version of every SOP in force, newest first, one page per month
(a month with very many versions, such as the one a library was imported in, over several), so that no page
grows with the history; each version linked to its SOP and to what changed in it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from babel.dates import format_date

from soplib import changelog
from soplib.load.project import Project
from soplib.publish.markdown import cell, front_matter, in_language, markdown_text, relative
from soplib.publish.urls import page_url, relative_url

RECENT_MONTHS = 2  # shown on the main page; the others have pages of their own
PER_PAGE = 250  # versions on one page (about 75 KB of HTML): a month with more is split
DiffUrl = Callable[[str, str], str | None]  # (SOP id, version) -> its diff page's URL from the site root


@dataclass(frozen=True)
class Month:
    key: str  # YYYY-MM, or "" for versions without a valid date
    changes: list[changelog.Change]


@dataclass(frozen=True)
class Part:
    """One page of the change log: a month, or one part of a month with more than PER_PAGE versions."""

    month: Month
    number: int  # from 1
    parts: int
    changes: list[changelog.Change]

    @property
    def name(self) -> str:
        base = self.month.key or "undated"
        return base if self.number == 1 else f"{base}-{self.number}"


def months(changes: list[changelog.Change]) -> list[Month]:
    """By month of effect, newest first; within a month by date, then team, SOP and version."""
    dated = sorted(changes, key=lambda c: (c.date, c.sop_id, c.version), reverse=True)
    return [Month(key, list(group)) for key, group in groupby(dated, key=_month_of)]


def parts(found: list[Month], per_page: int = PER_PAGE) -> list[Part]:
    """Every page of the months, in order: a month's parts one after another."""
    split = []
    for month in found:
        count = max(1, -(-len(month.changes) // per_page))
        for number in range(1, count + 1):
            chunk = month.changes[(number - 1) * per_page : number * per_page]
            split.append(Part(month, number, count, chunk))
    return split


def _month_of(change: changelog.Change) -> str:
    return change.date[:7] if change.date[:4].isdigit() else ""


def change_pages(
    project: Project,
    changes: list[changelog.Change],
    lang: str,
    today: date,
    diff_url: DiffUrl,
    per_page: int = PER_PAGE,
) -> dict[str, str]:
    """docs path -> Markdown: the main page (the newest months and a list of all) and the month pages."""
    end = "" if lang == project.source_language else f".{lang}"
    found = months(changes)
    pages = {f"changes{end}.md": _main(project, found, lang, today, diff_url, per_page)}
    split = parts(found, per_page)
    for index, part in enumerate(split):
        around = (split[index + 1] if index + 1 < len(split) else None, split[index - 1] if index else None)
        pages[f"changes/{part.name}{end}.md"] = _part(project, part, lang, today, diff_url, around)
    return pages


def _main(
    project: Project, found: list[Month], lang: str, today: date, diff_url: DiffUrl, per_page: int
) -> str:
    t = project.text
    title = t("changes_title", lang)
    lines = [f"# {title}", t("changes_intro", lang)]
    if not found:
        lines.append(t("changelog_empty", lang))
    for part in parts(found[:RECENT_MONTHS], per_page):
        if part.number == 1:
            lines += [
                f"## {_label(project, part, lang)}",
                _entries(project, part, lang, today, diff_url, "changes.md"),
            ]
        elif part.number == 2:  # the rest of a big month is on its own pages
            lines.append(f"[{_label(project, part, lang)} →](changes/{part.name}.md)")
    if len(found) > RECENT_MONTHS:
        whole = [Part(month, 1, 1, month.changes) for month in found]  # named without its parts
        links = [f"- [{_label(project, p, lang)}](changes/{p.name}.md) ({len(p.changes)})" for p in whole]
        lines += [f"## {t('changes_all_months', lang)}", "\n".join(links)]
    return front_matter(title) + "\n\n".join(lines) + "\n"


def _part(
    project: Project,
    part: Part,
    lang: str,
    today: date,
    diff_url: DiffUrl,
    around: tuple[Part | None, Part | None],
) -> str:
    t = project.text
    title = f"{t('changes_title', lang)}: {_label(project, part, lang)}"
    older, newer = around
    links = [f"[{t('changes_all', lang)}](../changes.md)"]
    if older is not None:
        links.insert(0, f"[← {_label(project, older, lang)}]({older.name}.md)")
    if newer is not None:
        links.append(f"[{_label(project, newer, lang)} →]({newer.name}.md)")
    entries = _entries(project, part, lang, today, diff_url, f"changes/{part.name}.md")
    return front_matter(title) + "\n\n".join([f"# {markdown_text(title)}", " · ".join(links), entries]) + "\n"


def _label(project: Project, part: Part, lang: str) -> str:
    """The month in words in `lang` ("noviembre de 2026"), and which part of it ("2/4")."""
    key = part.month.key
    name = _month(key, lang) if key else project.text("changes_undated", lang)
    return name if part.parts == 1 else f"{name} ({part.number}/{part.parts})"


@functools.cache
def _month(key: str, lang: str) -> str:
    """A month ("2026-11") in words in `lang`: Babel reads its locale's data on each call."""
    return format_date(date(int(key[:4]), int(key[5:7]), 1), "LLLL y", locale=lang)


def _entries(project: Project, part: Part, lang: str, today: date, diff_url: DiffUrl, page: str) -> str:
    t, lines = project.text, []
    here = page_url(page, lang, project.source_language)
    for change in part.changes:
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
