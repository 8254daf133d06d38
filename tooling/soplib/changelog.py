"""The change log: every version of every SOP, from the `changes` entries the SOPs carry.

Pure stages, as in towncrier: `entries` finds the versions, `group` orders them by date of effect (newest
first), then team (in the schema's order), then SOP id, and a renderer writes Markdown or JSON. Today's
date and the repository's history are passed in, so the same repository gives the same bytes.

    history = read_history(Git(project.root), project)      # or None: no commits in the output
    changes = entries(library, history, lang)                 # filter by sop_id for one SOP's history
    page = render_markdown(group(changes, project.allowed_values("team")), project, lang, today, link=...)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from soplib.core.state import SopState
from soplib.core.versions import Version, parse_version
from soplib.dates import iso_date, reject_other_formats
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.repo.baseline import baseline
from soplib.repo.git import Commit, Git
from soplib.repo.history import History, read_history

NO_DATE = "(no date)"


@dataclass(frozen=True)
class Change:
    """One version of one SOP, as the change log lists it."""

    sop_id: str
    team: str
    title: str  # in the change log's language where the SOP is translated, else English
    path: str  # the English file, e.g. sops/appeals/seller-appeal.md
    version: str
    date: str  # date of effect: the `changes` entry's date
    type: str
    summary: str  # in the change log's language where translated (`change_summaries`), else English
    translated: bool  # False when `summary` is English in a change log of another language
    pending: bool  # the translation into the change log's language does not include this version yet
    # where the version first appeared in git; None if older than the history, or not committed yet
    commit: Commit | None
    title_lang: str = ""  # the language of `title` (English where the SOP has no translation)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "type": self.type,
            "summary": self.summary,
            "summary_translated": self.translated,
            "translation_pending": self.pending,
            "commit": self.commit.as_dict() if self.commit else None,
        }


@dataclass(frozen=True)
class Since:
    """Which versions to keep: in force on or after a date, or newer than each SOP's version at a commit."""

    label: str  # as shown: the date, or the ref and its commit
    date: str | None = None
    versions: dict[str, Version] | None = None  # SOP id -> English version at the commit

    def keeps(self, sop_id: str, version: Version, effective: str) -> bool:
        if self.date is not None:
            return effective != NO_DATE and effective >= self.date
        before = (self.versions or {}).get(sop_id)
        return before is None or version > before


def resolve_bound(option: str, text: str, git: Git, library: Library) -> Since:
    """--since or --until: YYYY-MM-DD is a date; anything else a branch, tag or commit (each SOP's version
    in the library at that reference: the baseline `lint --base` and `sop report` use), unless it reads as a
    date written another way, which gets the plain answer (not git's) and exit 2."""
    day = iso_date(option, text)
    if day is not None:
        return Since(day, date=day)
    if git.commit_of(text) is None:
        reject_other_formats(text, library.project.languages)
    base = baseline(library, git, text)  # an unknown reference: a message that says what to do
    versions = {
        state.sop_id: number
        for state in base.library.state.sops
        if (number := parse_version(state.version)) is not None
    }
    return Since(f"{text} ({base.commit[:7]})", versions=versions)


# -- find ------------------------------------------------------------------------------------------------
def entries(
    library: Library, history: History | None, lang: str, since: Since | None = None, drafts: bool = False
) -> list[Change]:
    """Every version of every SOP once, with its title and summary in `lang` where translated. Drafts are
    not in force: left out unless asked for."""
    found: list[Change] = []
    for state in library.state.sops:
        if state.lifecycle.published or drafts:
            found.extend(_versions(state, history, lang, since))
    return found


def _versions(state: SopState, history: History | None, lang: str, since: Since | None) -> Iterable[Change]:
    translation = state.translations.get(lang)
    lacking = {change.version for change in translation.lacks} if translation else set()
    source = state.english.lang
    for change in state.changes:
        effective = change.date or NO_DATE
        if since and not since.keeps(state.sop_id, change.number, effective):
            continue
        summary, translated = state.summary(change, lang)
        yield Change(
            state.sop_id,
            state.team,
            state.title(lang),
            state.english.path.as_posix(),
            change.version,
            effective,
            change.type.value if change.type else "",
            summary,
            translated,
            change.version in lacking,
            _commit(history, state.sop_id, source, change.version),
            state.shown(lang).lang,
        )


def _commit(history: History | None, sop_id: str, lang: str, version: str) -> Commit | None:
    record = history.first_seen(sop_id, lang, version) if history else None
    return record.commit if record else None


# -- group -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SopChanges:
    sop_id: str
    title: str
    path: str
    changes: list[Change]  # newest version first


@dataclass(frozen=True)
class TeamChanges:
    team: str
    sops: list[SopChanges]


@dataclass(frozen=True)
class DateChanges:
    date: str
    teams: list[TeamChanges]


def group(changes: Iterable[Change], team_order: list[str]) -> list[DateChanges]:
    """By date of effect (newest first), then team (in `team_order`), SOP id and version (newest first)."""
    rank = {team: index for index, team in enumerate(team_order)}
    ordered = sorted(
        changes,
        key=lambda c: (rank.get(c.team, len(rank)), c.team, c.sop_id, _descending(c.version)),
    )
    ordered.sort(key=lambda c: (c.date != NO_DATE, c.date), reverse=True)  # stable: keeps the order above
    dates: list[DateChanges] = []
    for change in ordered:
        if not dates or dates[-1].date != change.date:
            dates.append(DateChanges(change.date, []))
        teams = dates[-1].teams
        if not teams or teams[-1].team != change.team:
            teams.append(TeamChanges(change.team, []))
        sops = teams[-1].sops
        if not sops or sops[-1].sop_id != change.sop_id:
            sops.append(SopChanges(change.sop_id, change.title, change.path, []))
        sops[-1].changes.append(change)
    return dates


def _descending(version: str) -> tuple[int, ...]:
    return tuple(-part for part in parse_version(version) or (0, 0, 0))


# -- render ----------------------------------------------------------------------------------------------
def _upcoming(day: str, today: date) -> bool:
    return day != NO_DATE and day > today.isoformat()


def _inline(text: str) -> str:
    """Text as it goes into a Markdown line: one line, no raw HTML."""
    return " ".join(text.split()).replace("<", "&lt;")


@dataclass(frozen=True)
class ChangeLog:
    """The change log as the renderers show it: versions grouped by date, in `lang`, as of `today`."""

    dates: list[DateChanges]
    project: Project
    lang: str
    today: date
    since: Since | None = None


def render_markdown(log: ChangeLog, link: Callable[[SopChanges], str] | None = None) -> str:
    """The change log as a Markdown document; `link` gives the URL of an SOP's page (plain titles without)."""
    dates, project, lang, today, since = log.dates, log.project, log.lang, log.today, log.since
    t = project.text
    lines = [f"# {t('changelog_title', lang)}", "", t("changelog_intro", lang)]
    if since is not None:
        lines += ["", t("changelog_since", lang, since=since.label)]
    if not dates:
        lines += ["", t("changelog_empty", lang)]
    for day in dates:
        upcoming = f" · {t('changelog_upcoming', lang)}" if _upcoming(day.date, today) else ""
        lines += ["", f"## {day.date}{upcoming}"]
        for team in day.teams:
            lines += ["", f"### {project.label('team', team.team, lang)}"]
            for sop in team.sops:
                title = f"[{_inline(sop.title)}]({link(sop)})" if link else _inline(sop.title)
                lines += ["", f"#### {sop.sop_id} · {title}", ""]
                for change in sop.changes:
                    note = "" if change.translated else t("changes_untranslated", lang)
                    note += t("changelog_pending", lang) if change.pending else ""
                    kind = project.label("change_type", change.type, lang)
                    lines.append(f"- **{change.version}** · {kind}: {_inline(change.summary)}{note}")
    return "\n".join(lines) + "\n"


def render_json(log: ChangeLog) -> str:
    dates, project, lang, today, since = log.dates, log.project, log.lang, log.today, log.since
    data = {
        "lang": lang,
        "since": since.label if since else None,
        "dates": [
            {
                "date": day.date,
                "upcoming": _upcoming(day.date, today),
                "teams": [
                    {
                        "team": team.team,
                        "label": project.label("team", team.team, lang),
                        "sops": [
                            {
                                "id": sop.sop_id,
                                "title": sop.title,
                                "path": sop.path,
                                "versions": [change.as_dict() for change in sop.changes],
                            }
                            for sop in team.sops
                        ],
                    }
                    for team in day.teams
                ],
            }
            for day in dates
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[ChangeLog], str]] = {"md": render_markdown, "json": render_json}


# -- `sop changelog` -------------------------------------------------------------------------------------
def compute(library: Library, git: Git, since_text: str | None, lang: str | None, today: date) -> ChangeLog:
    """Every version of every SOP in force, in `lang` (default: the source language), since a date or ref."""
    project = library.project
    lang = lang or project.source_language
    project.check_language(lang)
    history = read_history(git, project)
    since = resolve_bound("--since", since_text, git, library) if since_text is not None else None
    dates = group(entries(library, history, lang, since), project.allowed_values("team"))
    return ChangeLog(dates, project, lang, today, since)
