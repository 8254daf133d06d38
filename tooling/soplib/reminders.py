"""`sop reminders`: what each owner must do, one reminder per owner: reviews due, translations lagging.

An SOP is due for review when its `review_by` is past or within `review_days`; a translation lags when it
has been behind English for more than `stale_days`. Retired and deprecated SOPs are left out. The issue
text names dates rather than counting days, so that it changes only when the work to do changes. With
`--github` the reminders become one open issue per owner, updated in place and closed when nothing is due.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from soplib.core.markers import IssueText, marker
from soplib.core.state import Translation, TranslationState
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.publish.markdown import markdown_inline
from soplib.status import LibraryStatus, SopStatus, library_status

PREFIX = "sop-reminders"
LABEL = ("review-due", "SOP reviews due and translations behind English, by owner (sop reminders)")


@dataclass(frozen=True)
class Item:
    sop_id: str
    title: str
    path: str  # the file to change
    kind: str  # review | translation
    text: str  # what is due, for people
    lang: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.sop_id,
            "title": self.title,
            "path": self.path,
            "kind": self.kind,
            "lang": self.lang,
            "text": self.text,
        }


@dataclass
class Reminder:
    owner: str
    reviews: list[Item] = field(default_factory=list)
    translations: list[Item] = field(default_factory=list)

    @property
    def title(self) -> str:
        parts = []
        if self.reviews:
            parts.append(f"{len(self.reviews)} SOP review{'s' if len(self.reviews) > 1 else ''} due")
        if self.translations:
            many = len(self.translations) > 1
            parts.append(f"{len(self.translations)} translation{'s' if many else ''} behind English")
        return f"SOP reminders for {self.owner}: {', '.join(parts)}"


def reminders(status: LibraryStatus, stale_days: int, project: Project) -> list[Reminder]:
    by_owner: dict[str, Reminder] = {}
    for sop in status.sops:
        if sop.state.lifecycle.inactive:
            continue
        reminder = by_owner.setdefault(sop.owner, Reminder(sop.owner))
        review = _review(sop)
        if review:
            reminder.reviews.append(review)
        for translation in sop.state.translations.values():
            item = _translation(sop, translation, status.today, stale_days, project)
            if item:
                reminder.translations.append(item)
    return [
        by_owner[owner]
        for owner in sorted(by_owner)
        if by_owner[owner].reviews or by_owner[owner].translations
    ]


def _translation(
    sop: SopStatus, translation: Translation, today: date, stale_days: int, project: Project
) -> Item | None:
    """A translation behind English for more than `stale_days`, in meaning or in wording only."""
    if not translation.state.behind or translation.days_behind(today) <= stale_days:
        return None
    state, count = sop.state, len(translation.lacks)
    name = project.language_names.get(translation.lang, translation.lang)
    what = "rewording only" if translation.state is TranslationState.WORDING else "changes what agents do"
    text = (
        f"{name} translates {translation.source_version}, behind English {state.version} since "
        f"{translation.since} ({count} version{'s' if count > 1 else ''}: {what})"
    )
    return Item(state.sop_id, _title(sop), translation.path, "translation", text, translation.lang)


def _title(sop: SopStatus) -> str:
    return sop.state.title(sop.state.english.lang)


def _review(sop: SopStatus) -> Item | None:
    if sop.review.state == "overdue":
        text = f"review_by {sop.review.by} has passed"
    elif sop.review.state == "due":
        text = f"review by {sop.review.by}"
    else:
        return None
    return Item(sop.state.sop_id, _title(sop), sop.state.english.path.as_posix(), "review", text)


# -- render ------------------------------------------------------------------------------------------
def issue_body(reminder: Reminder, stale_days: int) -> str:
    lines = [
        marker(PREFIX, reminder.owner),
        f"{reminder.owner}, these SOPs you own need attention.",
    ]
    if reminder.reviews:
        lines += ["", "### Reviews due", ""]
        lines += [_line(item) for item in reminder.reviews]
        lines += [
            "",
            "Review each with your team as in the SOP review cycle, then open a pull request "
            "that sets the next `review_by` (with a patch version and an `editorial` entry if nothing else "
            "changes).",
        ]
    if reminder.translations:
        lines += ["", f"### Translations behind English for more than {stale_days} days", ""]
        lines += [_line(item) for item in reminder.translations]
        lines += [
            "",
            "Ask the translators to update these files and set `source_version` to the English version.",
        ]
    lines += [
        "",
        "_This issue is kept up to date by the scheduled `reminders` workflow (`sop reminders --github`) "
        "and closes itself when nothing is due. Run `sop status` for the whole library._",
    ]
    return "\n".join(lines) + "\n"


def _line(item: Item) -> str:
    return f"- [ ] **{item.sop_id}** {_md(item.title)}: {item.text}. File: `{item.path}`"


def _md(text: str) -> str:
    return markdown_inline(text)


class TextReminders:
    name: ClassVar[str] = "text"

    def render(self, found: list[Reminder], stale_days: int) -> str:
        if not found:
            return f"Nothing is due: no review, and no translation behind for more than {stale_days} days.\n"
        lines = []
        for reminder in found:
            lines += ["", reminder.title]
            lines += [f"  {i.sop_id} {i.title}: {i.text}" for i in reminder.reviews]
            lines += [f"  {i.sop_id} {i.title}: {i.text}" for i in reminder.translations]
        return "\n".join(lines[1:]) + "\n"


class JsonReminders:
    name: ClassVar[str] = "json"

    def render(self, found: list[Reminder], stale_days: int) -> str:
        data = [
            {
                "owner": r.owner,
                "title": r.title,
                "marker": marker(PREFIX, r.owner),
                "body": issue_body(r, stale_days),
                "reviews": [i.as_dict() for i in r.reviews],
                "translations": [i.as_dict() for i in r.translations],
            }
            for r in found
        ]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {renderer.name: renderer for renderer in (TextReminders, JsonReminders)}


def compute(library: Library, stale_days: int, review_days: int, today: date) -> list[Reminder]:
    """What each owner must do: reviews due within `review_days`, translations behind for `stale_days`."""
    status = library_status(library.state, today, review_days)
    return reminders(status, stale_days, library.project)


def issues(found: list[Reminder], stale_days: int) -> list[IssueText]:
    """One GitHub issue per owner with something due."""
    return [IssueText(r.owner, r.title, issue_body(r, stale_days)) for r in found]
