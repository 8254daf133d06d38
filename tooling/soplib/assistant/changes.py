"""What changed: every version of every SOP since a date, and what changed in one SOP between versions."""

from __future__ import annotations

from dataclasses import dataclass

from soplib import changelog
from soplib.assistant import Context, day_of
from soplib.core.errors import SopError
from soplib.core.versions import parse_version
from soplib.diff.sources import build, select
from soplib.diff.text import render_markdown

# -- the change log --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeItem:
    id: str
    title: str  # in the caller's language where the SOP is translated
    version: str
    date: str  # when it takes effect
    type: str
    summary: str
    summary_translated: bool  # False: the summary is the English one
    upcoming: bool  # takes effect after today
    url: str


@dataclass(frozen=True)
class ChangesAnswer:
    since: str
    language: str
    total: int
    changes: list[ChangeItem]  # by date of effect (newest first), team, SOP and version
    text: str  # the change log as `sop changelog --since` writes it, with links

    def markdown(self) -> str:
        return self.text


def changes_since(context: Context, since: str, lang: str | None) -> ChangesAnswer:
    """Every version of every published SOP in force on or after `since` (YYYY-MM-DD), newest first. The
    dates are the `changes` entries' dates: no git history is needed."""
    lang = context.language(lang)
    project = context.project
    day = day_of(since, "since", project)
    bound = changelog.Since(day, date=day)
    entries = changelog.entries(context.library, None, lang, bound)
    dates = changelog.group(entries, project.allowed_values("team"))
    log = changelog.ChangeLog(dates, project, lang, context.today, bound)
    text = changelog.render_markdown(log, link=lambda sop: context.url(sop.path, lang))
    items = [
        ChangeItem(
            change.sop_id,
            change.title,
            change.version,
            change.date,
            change.type,
            change.summary,
            change.translated,
            change.date > context.today.isoformat(),
            context.url(change.path, lang),
        )
        for day_changes in dates
        for team in day_changes.teams
        for sop in team.sops
        for change in sop.changes
    ]
    return ChangesAnswer(day, lang, len(items), items, text)


# -- one SOP's diff --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiffAnswer:
    id: str
    title: str
    language: str  # the caller's: headings, labels, change summaries
    text_language: str  # the text compared: the caller's, or English when its translation lacks a version
    from_version: str | None  # None: the first version, compared with nothing
    to_version: str
    url: str
    text: str  # the diff as `sop diff --format md` writes it

    def markdown(self) -> str:
        return f"{self.url}\n\n{self.text}"


def diff(
    context: Context, sop_id: str, lang: str | None, old: str | None = None, new: str | None = None
) -> DiffAnswer:
    """What changed in an SOP between two versions (default: the one before the newest, and the newest),
    in the caller's language where its translation has both texts, else in English."""
    lang = context.language(lang)
    state = context.published(sop_id)
    known = {change.version for change in state.changes}
    for name, version in (("from_version", old), ("to_version", new)):
        if version is not None and parse_version(version) is None:
            raise SopError(f"{name} {version!r}: not a version (versions look like 1.3.0)")
        if version is not None and version not in known:
            listed = ", ".join(sorted(known, key=lambda v: parse_version(v) or (0, 0, 0)))
            raise SopError(f"{state.sop_id} has no version {version}; its versions are {listed}")
    new = new or state.version  # the newest, even where the translation lags behind it
    if old is not None and (parse_version(old) or (0, 0, 0)) >= (parse_version(new) or (0, 0, 0)):
        raise SopError(f"from_version {old} is not older than to_version {new}")
    texts, source = context.texts, context.project.source_language
    shown = lang
    try:
        older, newer = select(texts, state.sop_id, lang, old, new)
    except SopError:
        if lang == source:
            raise
        shown = source  # the translation lacks a version: compare the English texts
        older, newer = select(texts, state.sop_id, source, old, new)
    compared = build(texts, state.sop_id, shown, older, newer, reader=lang)
    return DiffAnswer(
        state.sop_id,
        state.title(lang),
        lang,
        shown,
        older,
        newer,
        context.sop_url(state, lang),
        render_markdown(compared, context.project, lang),
    )
