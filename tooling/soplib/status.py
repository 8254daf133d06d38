"""`sop status`: coverage and freshness of the library, per SOP and language, for a program manager.

Each translation is current, stale (how many English versions and days behind), missing, or not planned
(the SOP lists the languages it has). Days behind count from the day English first moved past the
version the translation translates: the commit of that English version when the git history is there,
else the date of its change entry. Today's date and the history are passed in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from soplib.errors import SopError
from soplib.history import Git, History, read_history
from soplib.library import Library, load_library, sop_file_name
from soplib.model import Sop, SopGroup
from soplib.project import SOPS_DIR, Project
from soplib.versions import Version, parse_version

# Retired SOPs need no review and no translation updates (the SOP review cycle); deprecated ones are on
# their way out, and `sop lint` does not warn about their review dates either.
INACTIVE = frozenset({"retired", "deprecated"})
REVIEW_WINDOW = 30  # days before review_by when a review counts as due


@dataclass(frozen=True)
class Translation:
    lang: str
    state: str  # current | stale | missing | not-planned | invalid
    path: str  # where the file is, or would be
    source_version: str | None = None
    versions_behind: int = 0
    behind_since: str | None = None  # YYYY-MM-DD: when English first moved past source_version
    days_behind: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "path": self.path,
            "source_version": self.source_version,
            "versions_behind": self.versions_behind,
            "behind_since": self.behind_since,
            "days_behind": self.days_behind,
        }


@dataclass(frozen=True)
class Review:
    by: str | None
    state: str  # ok | due | overdue | none (inactive SOP, or no valid date)
    days_left: int | None = None  # negative once past

    def as_dict(self) -> dict[str, Any]:
        return {"review_by": self.by, "state": self.state, "days_left": self.days_left}


@dataclass(frozen=True)
class SopStatus:
    sop_id: str
    title: str
    team: str
    status: str
    version: str
    path: str
    owner: str
    review: Review
    translations: dict[str, Translation]

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.sop_id,
            "title": self.title,
            "team": self.team,
            "status": self.status,
            "version": self.version,
            "path": self.path,
            "owner": self.owner,
            "review": self.review.as_dict(),
            "translations": {lang: t.as_dict() for lang, t in self.translations.items()},
        }


@dataclass(frozen=True)
class LibraryStatus:
    today: date
    languages: list[str]  # the translation languages, in the library's order
    dated_by_git: bool  # False: no usable git history, days behind come from the change entries
    review_window: int
    sops: list[SopStatus]

    def count(self, state: str) -> int:
        """Translations in `state` among the SOPs in force or in draft."""
        return sum(1 for s in self.sops if s.active for t in s.translations.values() if t.state == state)

    def reviews(self, state: str) -> int:
        return sum(1 for s in self.sops if s.review.state == state)


# -- compute -----------------------------------------------------------------------------------------
def library_status(
    library: Library, history: History | None, today: date, review_window: int = REVIEW_WINDOW
) -> LibraryStatus:
    project = library.project
    rank = {team: index for index, team in enumerate(project.allowed_values("team"))}
    found = [
        sop_status(group, history, project, today, review_window)
        for group in library.groups().values()
        if group.english is not None and group.english.sop_id
    ]
    found.sort(key=lambda s: (rank.get(s.team, len(rank)), s.team, s.sop_id))
    return LibraryStatus(today, project.translation_languages, history is not None, review_window, found)


def _text(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def sop_status(
    group: SopGroup, history: History | None, project: Project, today: date, review_window: int
) -> SopStatus:
    english = group.english
    assert english is not None and english.sop_id
    meta = english.meta
    status = _text(meta.get("status"), "?")
    wanted = meta.get("languages")
    wanted = wanted if isinstance(wanted, list) else project.languages
    translations = {
        lang: _translation(group, english, lang, lang in wanted, history, project.source_language, today)
        for lang in project.translation_languages
    }
    return SopStatus(
        english.sop_id,
        _text(meta.get("title"), english.sop_id),
        _text(meta.get("team"), english.folder),
        status,
        _text(meta.get("version"), "?"),
        english.path.as_posix(),
        _text(meta.get("owner"), "(no owner)"),
        _review(meta.get("review_by"), status, today, review_window),
        translations,
    )


def _review(value: object, status: str, today: date, window: int) -> Review:
    text = _text(value) or None
    if text is None or not _is_date(text) or status in INACTIVE:
        return Review(text, "none")  # the schema reports a malformed date
    left = (date.fromisoformat(text) - today).days
    return Review(text, "overdue" if left < 0 else "due" if left <= window else "ok", left)


def _translation(
    group: SopGroup,
    english: Sop,
    lang: str,
    wanted: bool,
    history: History | None,
    source: str,
    today: date,
) -> Translation:
    sop = group.files.get(lang)
    path = f"{SOPS_DIR}/{english.folder}/{sop_file_name(english.slug, lang, source)}"
    if sop is None:
        return Translation(lang, "missing" if wanted else "not-planned", path)
    path = sop.path.as_posix()
    translated, current = (
        parse_version(sop.meta.get("source_version")),
        parse_version(english.meta.get("version")),
    )
    shown = _text(sop.meta.get("source_version")) or None
    if translated is None or current is None or translated > current:
        return Translation(lang, "invalid", path, shown)  # `sop lint` says what is wrong
    if translated == current:
        return Translation(lang, "current", path, shown)
    newer = _newer_versions(english, translated, current, history, source)
    since = min(newer.values(), default=None)
    days = max(0, (today - date.fromisoformat(since)).days) if since else 0
    return Translation(lang, "stale", path, shown, max(1, len(newer)), since, days)


def _newer_versions(
    english: Sop, translated: Version, current: Version, history: History | None, source: str
) -> dict[str, str]:
    """Each English version after `translated` up to `current` -> the day it first appeared: its commit in
    git, else the date of its change entry (a version not committed yet, or older than the history)."""
    days: dict[str, str] = {}
    changes = english.meta.get("changes")
    for entry in changes if isinstance(changes, list) else []:
        version = parse_version(entry.get("version")) if isinstance(entry, dict) else None
        if version is None or not translated < version <= current or entry["version"] in days:
            continue
        record = history.first_seen(str(english.sop_id), source, entry["version"]) if history else None
        day = record.commit.day if record else _text(entry.get("date"))
        if _is_date(day):
            days[entry["version"]] = day
    return days


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def optional_history(project: Project) -> History | None:
    """The git history when there is one; a plain folder or a shallow clone dates lag by change entries."""
    try:
        return read_history(Git(project.root), project)
    except SopError:
        return None


# -- render ------------------------------------------------------------------------------------------
def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextStatus:
    name: ClassVar[str] = "text"

    def render(self, status: LibraryStatus) -> str:
        inactive = sum(1 for s in status.sops if not s.active)
        states = ("current", "stale", "missing", *(("invalid",) if status.count("invalid") else ()))
        counts = ", ".join(f"{status.count(state)} {state}" for state in states)
        lines = [
            f"SOP library status on {status.today.isoformat()}: {_plural(len(status.sops), 'SOP')}"
            + (f" ({inactive} deprecated or retired, not counted below)" if inactive else ""),
            f"Translations: {counts}",
            f"Reviews: {status.reviews('overdue')} overdue, {status.reviews('due')} due within "
            f"{status.review_window} days",
            "",
            *self._table(status),
            "",
            "stale 2v 40d: the translation is 2 English versions and 40 days behind; - : not planned "
            "(the SOP's `languages`)",
            "Days behind count from "
            + (
                "the commit in which English moved past the translated version."
                if status.dated_by_git
                else "the change entries' dates (no full git history here)."
            ),
        ]
        return "\n".join(lines) + "\n"

    def _table(self, status: LibraryStatus) -> list[str]:
        header = ["ID", "Version", "Status", *status.languages, "Review by", "Owner", "Title"]
        rows = [
            [
                s.sop_id,
                s.version,
                s.status,
                *(_cell(s.translations[lang]) for lang in status.languages),
                _review_cell(s.review),
                s.owner,
                s.title,
            ]
            for s in status.sops
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        return [
            "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
            for row in [header, *rows]
        ]


def _cell(translation: Translation) -> str:
    if translation.state == "stale":
        return f"stale {translation.versions_behind}v {translation.days_behind}d"
    return "-" if translation.state == "not-planned" else translation.state


def _review_cell(review: Review) -> str:
    if review.state == "none" or review.days_left is None:
        return "-"
    if review.state == "overdue":
        return f"{review.by} ({-review.days_left}d overdue)"
    if review.state == "due":
        return f"{review.by} (due in {review.days_left}d)"
    return str(review.by)


class JsonStatus:
    name: ClassVar[str] = "json"

    def render(self, status: LibraryStatus) -> str:
        data = {
            "date": status.today.isoformat(),
            "languages": status.languages,
            "days_behind_from": "git" if status.dated_by_git else "change entries",
            "summary": {
                "sops": len(status.sops),
                "inactive": sum(1 for s in status.sops if not s.active),
                "translations": {
                    state: status.count(state) for state in ("current", "stale", "missing", "invalid")
                },
                "reviews": {"overdue": status.reviews("overdue"), "due": status.reviews("due")},
                "review_window_days": status.review_window,
            },
            "sops": [s.as_dict() for s in status.sops],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


STATUS_REPORTERS = {reporter.name: reporter for reporter in (TextStatus, JsonStatus)}


def execute(start: Path, fmt: str, today: date) -> str:
    """`sop status`: the table for people or JSON for programs."""
    project = Project.discover(start)
    library = load_library(project)
    return STATUS_REPORTERS[fmt]().render(library_status(library, optional_history(project), today))
