"""`sop status`: coverage and freshness of the library, per SOP and language, for a program manager.

Each translation's state comes from soplib.core.state (the rule lint, reports and the site apply too): how
many English versions it lacks and how many days since the first of them took effect. Reviews are due
within a window before `review_by`; deprecated and retired SOPs need none. Today's date is passed in.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from soplib.core.errors import SopError
from soplib.core.state import LibraryState, Lifecycle, SopState, Translation, TranslationState
from soplib.load.project import Project

REVIEW_WINDOW = 30  # days before review_by when a review counts as due
REVIEW_STATES = ("overdue", "due")


@dataclass(frozen=True)
class Review:
    by: str | None
    state: str  # ok | due | overdue | none (inactive SOP, or no valid date)
    days_left: int | None = None  # negative once past

    def as_dict(self) -> dict[str, Any]:
        return {"review_by": self.by, "state": self.state, "days_left": self.days_left}


@dataclass(frozen=True)
class SopStatus:
    state: SopState
    review: Review

    @property
    def owner(self) -> str:
        owner = self.state.english.meta.get("owner")
        return owner if isinstance(owner, str) else "(no owner)"

    def states(self) -> set[str]:
        """Every state this SOP is in, for --state: its lifecycle, its translations', its review's."""
        found = {self.state.lifecycle.value, self.review.state}
        return found | {t.state.value for t in self.state.translations.values()}


@dataclass(frozen=True)
class LibraryStatus:
    today: date
    languages: list[str]  # the translation languages, in the library's order
    review_window: int
    sops: list[SopStatus]

    def count(self, state: TranslationState) -> int:
        """Translations in `state` among the SOPs that are not deprecated or retired."""
        return sum(
            1
            for s in self.sops
            if not s.state.lifecycle.inactive
            for t in s.state.translations.values()
            if t.state is state
        )

    def reviews(self, state: str) -> int:
        return sum(1 for s in self.sops if s.review.state == state)


def library_status(
    state: LibraryState, today: date, review_window: int = REVIEW_WINDOW, team: str | None = None
) -> LibraryStatus:
    sops = [
        SopStatus(sop, _review(sop, today, review_window))
        for sop in state.sops
        if team is None or sop.team == team
    ]
    languages = next(iter(state.sops)).translations.keys() if state.sops else []
    return LibraryStatus(today, list(languages), review_window, sops)


def only(status: LibraryStatus, states: Iterable[str]) -> LibraryStatus:
    """The SOPs in any of `states` (a translation's, a review's or a lifecycle's)."""
    wanted = set(states)
    known = {*TranslationState, *Lifecycle, *REVIEW_STATES}
    unknown = sorted(wanted - {str(state) for state in known})
    if unknown:
        names = ", ".join(sorted(map(str, known)))
        raise SopError(f"--state {unknown[0]}: not a state; the states are {names}")
    kept = [sop for sop in status.sops if sop.states() & wanted]
    return LibraryStatus(status.today, status.languages, status.review_window, kept)


def _review(sop: SopState, today: date, window: int) -> Review:
    value = sop.english.meta.get("review_by")
    text = value if isinstance(value, str) else None
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        day = None
    if day is None or sop.lifecycle.inactive:
        return Review(text, "none")  # the schema reports a malformed date
    left = (day - today).days
    return Review(text, "overdue" if left < 0 else "due" if left <= window else "ok", left)


# -- render ------------------------------------------------------------------------------------------
def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def translation_dict(translation: Translation, today: date) -> dict[str, Any]:
    return {
        "state": translation.state.value,
        "path": translation.path,
        "source_version": translation.source_version,
        "versions_behind": len(translation.lacks),
        "lacks": [change.version for change in translation.lacks],
        "behind_since": translation.since,
        "days_behind": translation.days_behind(today),
    }


def sop_dict(sop: SopStatus, today: date) -> dict[str, Any]:
    state = sop.state
    return {
        "id": state.sop_id,
        "title": state.title(state.english.lang),
        "team": state.team,
        "status": state.lifecycle.value,
        "version": state.version,
        "effective_date": state.effective,
        "path": state.english.path.as_posix(),
        "owner": sop.owner,
        "review": sop.review.as_dict(),
        "translations": {lang: translation_dict(t, today) for lang, t in state.translations.items()},
    }


class Renderer:
    name: ClassVar[str]

    def __init__(self, width: int = 100) -> None:
        self.width = max(60, width)  # of the terminal, for text

    def render(self, status: LibraryStatus) -> str:
        raise NotImplementedError


class TextStatus(Renderer):
    """A table that fits the terminal: SOPs grouped by owner, titles cut to the width left."""

    name = "text"

    def render(self, status: LibraryStatus) -> str:
        inactive = sum(1 for s in status.sops if s.state.lifecycle.inactive)
        states = [TranslationState.CURRENT, TranslationState.WORDING, TranslationState.STALE]
        states += [TranslationState.MISSING, TranslationState.INVALID][
            : 2 if status.count(TranslationState.INVALID) else 1
        ]
        counts = ", ".join(f"{status.count(state)} {state.value}" for state in states)
        lines = [
            f"SOP library status on {status.today.isoformat()}: {_plural(len(status.sops), 'SOP')}"
            + (f" ({inactive} deprecated or retired, not counted below)" if inactive else ""),
            f"Translations: {counts}",
            f"Reviews: {status.reviews('overdue')} overdue, {status.reviews('due')} due within "
            f"{status.review_window} days",
            *self._table(status),
            "",
            "stale 2v 40d: 2 English versions behind, the first in force 40 days ago, one of them changing",
            "what agents do; wording: behind only by rewordings; - : not planned (the SOP's `languages`).",
            "All the data: sop status --format csv (a spreadsheet) or --format json.",
        ]
        return "\n".join(lines) + "\n"

    def _table(self, status: LibraryStatus) -> list[str]:
        header = ["ID", "Version", "Status", *status.languages, "Review"]
        rows = {
            id(sop): [
                sop.state.sop_id,
                sop.state.version,
                sop.state.lifecycle.value,
                *(_cell(sop.state.translations[lang], status.today) for lang in status.languages),
                _review_cell(sop.review),
            ]
            for sop in status.sops
        }
        widths = [max(len(row[i]) for row in [header, *rows.values()]) for i in range(len(header))]
        room = self.width - sum(widths) - 2 * len(widths) - 2  # two spaces of indent, two between cells
        lines = []
        for owner in sorted({sop.owner for sop in status.sops}):
            lines += ["", owner, "  " + _joined(header, widths) + "  Title"]
            for sop in (s for s in status.sops if s.owner == owner):
                title = sop.state.title(sop.state.english.lang)
                shown = title if len(title) <= room else title[: max(1, room - 1)] + "…"
                lines.append("  " + _joined(rows[id(sop)], widths) + "  " + shown)
        return lines


def _joined(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def _cell(translation: Translation, today: date) -> str:
    lacks, days = len(translation.lacks), translation.days_behind(today)
    if translation.state is TranslationState.STALE:
        return f"stale {lacks}v {days}d"
    if translation.state is TranslationState.WORDING:
        return f"wording {lacks}v {days}d"
    return "-" if translation.state is TranslationState.NOT_PLANNED else translation.state.value


def _review_cell(review: Review) -> str:
    if review.state == "none" or review.days_left is None:
        return "-"
    if review.state == "overdue":
        return f"overdue {-review.days_left}d"
    if review.state == "due":
        return f"due in {review.days_left}d"
    return str(review.by)


class JsonStatus(Renderer):
    name = "json"

    def render(self, status: LibraryStatus) -> str:
        translations = {
            state.value: status.count(state)
            for state in TranslationState
            if state is not TranslationState.NOT_PLANNED
        }
        data = {
            "date": status.today.isoformat(),
            "languages": status.languages,
            "summary": {
                "sops": len(status.sops),
                "inactive": sum(1 for s in status.sops if s.state.lifecycle.inactive),
                "translations": translations,
                "reviews": {"overdue": status.reviews("overdue"), "due": status.reviews("due")},
                "review_window_days": status.review_window,
            },
            "sops": [sop_dict(s, status.today) for s in status.sops],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


class CsvStatus(Renderer):
    """One row per SOP, with each language's columns beside it; a byte-order mark, as Excel expects."""

    name = "csv"
    FIELDS = ("state", "source_version", "versions_behind", "behind_since", "days_behind", "path")

    def render(self, status: LibraryStatus) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        head = ["id", "title", "team", "status", "version", "effective_date", "owner", "review_by"]
        head += ["review_state", "review_days_left"]
        writer.writerow(head + [f"{lang}_{name}" for lang in status.languages for name in self.FIELDS])
        for sop in status.sops:
            data = sop_dict(sop, status.today)
            review = data["review"]
            row = [data[key] for key in head[:7]]
            row += [review["review_by"], review["state"], review["days_left"]]
            row += [data["translations"][lang][name] for lang in status.languages for name in self.FIELDS]
            writer.writerow(["" if cell is None else cell for cell in row])
        return "\ufeff" + out.getvalue()


RENDERERS: dict[str, type[Renderer]] = {r.name: r for r in (TextStatus, JsonStatus, CsvStatus)}


def status_of(
    project: Project, state: LibraryState, today: date, team: str | None, states: Iterable[str]
) -> LibraryStatus:
    """The status the command shows: one team's SOPs (by name or code), in some states only."""
    found = library_status(state, today, team=project.resolve_team(team) if team else None)
    wanted = list(states)
    return only(found, wanted) if wanted else found
