"""The calibration pack: every SOP changed in a period, its diff, and the translations still behind it.

A version is in the period when its `changes` entry takes effect between --since and --until (dates), or
when it is newer than the SOP's version at --since and not newer than at --until (branches, tags,
commits), as in `sop changelog`. Each SOP is compared from the version before its first change in the
period to its last one, in the pack's language where that text exists, else in English, flagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape

from soplib import changelog
from soplib.audit.changes import CriterionChange, criteria_changes
from soplib.audit.forms import Readings
from soplib.core.inline import inline_html
from soplib.core.state import SopState, TranslationState
from soplib.core.versions import Version, parse_version
from soplib.diff.html import anchor, page, render_fragment
from soplib.diff.model import SopDiff
from soplib.diff.sources import Texts, build
from soplib.load.project import Project
from soplib.printed import page_css, part_class


@dataclass(frozen=True)
class Translation:
    """A translation that does not include the newest version in the pack yet."""

    lang: str
    source: str | None  # the English version it translates; None: there is no translation
    usable: bool = False  # what it lacks up to that version only rewords English: it may still be used


@dataclass(frozen=True)
class PackItem:
    sop_id: str
    title: str  # in the pack's language where translated
    team: str
    old: str | None  # None: the SOP is new in the period
    new: str
    changes: tuple[changelog.Change, ...]  # the versions in the period, newest first
    behind: tuple[Translation, ...]  # translations that do not include `new` yet
    diff: SopDiff | None  # None when a text is not in the history
    missing: str | None  # then, the version whose text is not there
    criteria: tuple[CriterionChange, ...] = ()  # the audit criteria the change added, removed or altered


@dataclass(frozen=True)
class Pack:
    lang: str
    since: str  # labels, as the cover shows them
    until: str | None
    team: str | None
    today: str
    items: tuple[PackItem, ...]


# -- the period -------------------------------------------------------------------------------------------
def _until_keeps(until: changelog.Since, sop_id: str, version: Version, effective: str) -> bool:
    if until.date is not None:
        return effective != changelog.NO_DATE and effective <= until.date
    at = (until.versions or {}).get(sop_id)
    return at is not None and version <= at


# -- what goes into the pack ---------------------------------------------------------------------------------
def collect(
    texts: Texts,
    lang: str,
    since: changelog.Since,
    until: changelog.Since | None,
    team: str | None,
    today: date,
) -> Pack:
    project = texts.project
    kept = [
        change
        for change in changelog.entries(texts.library, texts.history, lang, since)
        if (until is None or _until_keeps(until, change.sop_id, _version(change.version), change.date))
        and (team is None or change.team == team)
    ]
    by_id: dict[str, list[changelog.Change]] = {}
    for change in kept:
        by_id.setdefault(change.sop_id, []).append(change)
    plans = [_plan(texts, lang, changes) for changes in by_id.values()]
    texts.prefetch(_wanted(texts, plans))
    rank = {name: index for index, name in enumerate(project.allowed_values("team"))}
    items = sorted(
        (_item(texts, lang, plan) for plan in plans), key=lambda i: (rank.get(i.team, len(rank)), i.sop_id)
    )
    return Pack(lang, since.label, until.label if until else None, team, today.isoformat(), tuple(items))


def _lagging(state: SopState | None, lang: str, version: str) -> Translation | None:
    """The translation into `lang` when it does not include `version` yet (None when it does, or when the
    SOP is not planned in that language)."""
    translation = state.translations.get(lang) if state else None
    if translation is None or translation.state is TranslationState.NOT_PLANNED:
        return None
    if translation.file is None:
        return Translation(lang, None)
    number, translated = parse_version(version), parse_version(translation.source_version)
    if number is None or (translated is not None and translated >= number):
        return None
    lacking = [change for change in translation.lacks if change.number <= number]
    usable = translation.state is not TranslationState.INVALID and not any(c.of_meaning for c in lacking)
    return Translation(lang, translation.source_version, usable)


def _version(text: str) -> Version:
    return parse_version(text) or (0, 0, 0)


@dataclass(frozen=True)
class _Plan:
    changes: tuple[changelog.Change, ...]  # newest first
    shown: str  # the language of the text compared
    old: str | None
    new: str


def _plan(texts: Texts, lang: str, changes: list[changelog.Change]) -> _Plan:
    ordered = tuple(sorted(changes, key=lambda c: _version(c.version), reverse=True))
    sop_id, new, first = ordered[0].sop_id, ordered[0].version, ordered[-1].version
    shown = lang if texts.has_text(sop_id, lang, new) else texts.project.source_language
    return _Plan(ordered, shown, texts.previous(sop_id, shown, first), new)


def _wanted(texts: Texts, plans: Iterable[_Plan]) -> Iterable[tuple[str, str, str]]:
    source = texts.project.source_language
    for plan in plans:
        sop_id = plan.changes[0].sop_id
        for version in (plan.old, plan.new):
            if version is not None:
                yield sop_id, plan.shown, version
                if plan.shown != source:  # a translation's fields come from the English file
                    yield sop_id, source, version


def _item(texts: Texts, lang: str, plan: _Plan) -> PackItem:
    latest = plan.changes[0]
    sop_id, source = latest.sop_id, texts.project.source_language
    missing = (
        plan.new if not texts.has_text(sop_id, plan.shown, plan.new) else None
    )  # older: said in the diff
    diff = build(texts, sop_id, plan.shown, plan.old, plan.new, reader=lang) if missing is None else None
    check = texts.project.translation_languages if lang == source else [lang]
    state = texts.library.state.by_id.get(sop_id)
    behind = [t for t in (_lagging(state, other, plan.new) for other in check if state) if t is not None]
    criteria = criteria_changes(Readings(texts), state, lang, plan.old, plan.new, diff) if state else ()
    return PackItem(
        sop_id,
        latest.title,
        latest.team,
        plan.old,
        plan.new,
        plan.changes,
        tuple(behind),
        diff,
        missing,
        criteria,
    )


# -- the document -------------------------------------------------------------------------------------------
def render_pack(pack: Pack, project: Project) -> str:
    t, lang = project.text, pack.lang
    period = (
        t("pack_period", lang, since=pack.since, until=pack.until)
        if pack.until
        else t("pack_period_open", lang, since=pack.since)
    )
    team = project.label("team", pack.team, lang) if pack.team else t("pack_all_teams", lang)
    cover = [
        '<section class="sop-diff sop-pack__cover">',
        f"<h1>{escape(t('pack_title', lang))}</h1>",
        f'<p class="sop-pack__period"><strong>{escape(period)}</strong></p>',
        f"<p>{escape(t('pack_language', lang, language=project.language_names.get(lang, lang)))}</p>",
        f"<p>{escape(t('pack_team', lang, team=team))}</p>",
        f"<p>{escape(t('pack_prepared', lang, date=pack.today))}</p>",
        f"<h2>{escape(t('pack_contents', lang, count=len(pack.items)))}</h2>",
        _table(pack, project) if pack.items else f"<p>{escape(t('pack_empty', lang))}</p>",
        f'<p class="sop-diff__legend">{escape(t("diff_legend", lang))}</p>',
        "</section>",
    ]
    items = [_item_html(index, item, project, lang) for index, item in enumerate(pack.items)]
    title = f"{t('pack_title', lang)} · {period}"
    headers = [
        f"{item.sop_id} · {item.title} · {item.old or t('pack_new', lang)} → {item.new}"
        for item in pack.items
    ]
    return page(title, lang, "\n".join([*cover, *items]), page_css(project, lang, title, headers))


def _table(pack: Pack, project: Project) -> str:
    t, lang = project.text, pack.lang
    keys = ("column_id", "column_title", "pack_column_versions", "history_type", "history_summary")
    head = "".join(f"<th>{escape(t(key, lang))}</th>" for key in keys)
    head += f"<th>{escape(t('pack_column_translations', lang))}</th>"
    rows = []
    for item in pack.items:
        old = item.old or t("pack_new", lang)
        kinds = ", ".join(dict.fromkeys(project.label("change_type", c.type, lang) for c in item.changes))
        summaries = "".join(
            f"<li><strong>{escape(c.version)}</strong> {_summary(c, project, lang, pack.today)}</li>"
            for c in item.changes
        )
        cells = [
            f'<a href="#{anchor(item.sop_id, item.new)}">{escape(item.sop_id)}</a>',
            escape(item.title),
            f"{escape(old)} → {escape(item.new)}",
            escape(kinds),
            f'<ul class="sop-pack__summaries">{summaries}</ul>',
            _translations(item, project, lang),
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return (
        f'<table class="sop-pack__table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _summary(change: changelog.Change, project: Project, lang: str, today: str) -> str:
    note = "" if change.translated else project.text("changes_untranslated", lang)
    later = change.date != changelog.NO_DATE and change.date > today
    upcoming = f" ({project.text('changelog_upcoming', lang)} {change.date})" if later else ""
    return inline_html(change.summary) + escape(f"{note}{upcoming}")


def _translations(item: PackItem, project: Project, lang: str) -> str:
    if not item.behind:
        return escape(project.text("pack_translation_current", lang))
    return "<br>".join(
        f'<span class="sop-pack__flag">{"✎" if t.usable else "⚠"} {escape(_behind(t, project, lang))}</span>'
        for t in item.behind
    )


def _behind(translation: Translation, project: Project, lang: str) -> str:
    language = project.language_names.get(translation.lang, translation.lang)
    if translation.source is None:
        return project.text("pack_translation_missing", lang, language=language)
    key = "pack_translation_wording" if translation.usable else "pack_translation_behind"
    return project.text(key, lang, language=language, source=translation.source)


def _item_html(index: int, item: PackItem, project: Project, lang: str) -> str:
    parts = [f'<div class="sop-pack__item {part_class(index)}" id="pack-{escape(item.sop_id)}">']
    if item.diff is None:
        note = project.text("pack_no_text", lang, version=item.missing)
        parts += [
            f'<article class="sop-diff" lang="{escape(lang)}" id="{anchor(item.sop_id, item.new)}">',
            f'<h2 class="sop-diff__title">{escape(item.sop_id)} · {escape(item.title)}</h2>',
            f'<p class="sop-diff__note" role="note">{escape(note)}</p></article>',
        ]
    else:
        notes = []
        unusable = [t for t in item.behind if not t.usable]
        if unusable and lang == project.source_language:  # other languages: the diff itself says it
            flagged = "; ".join(_behind(t, project, lang) for t in unusable)
            notes.append(project.text("pack_behind_note", lang, translations=flagged))
        criteria = _criteria(item.criteria, project, lang)
        parts.append(render_fragment(item.diff, project, lang, 2, notes, legend=False, extra=criteria))
    parts.append("</div>")
    return "\n".join(parts)


def _criteria(changes: tuple[CriterionChange, ...], project: Project, lang: str) -> str:
    """The audit criteria that changed, for the auditors to calibrate on."""
    if not changes:
        return ""
    t, terms = project.text, project.scorecard_terms
    items = []
    for change in changes:
        notes = [t(f"diff_{change.status}", lang)] if change.status != "changed" else []
        if change.status == "changed" and change.was_fatal != change.fatal:
            notes.append(t("criterion_now_fatal" if change.fatal else "criterion_not_fatal", lang))
        elif change.status != "changed":
            notes.append(terms.word("fatal" if change.fatal else "standard", lang))
        if change.old_steps:
            notes.append(t("criterion_steps", lang, old=_steps(change.old_steps), new=_steps(change.steps)))
        elif change.status != "changed":
            notes.append(t("diff_step", lang, number=_steps(change.steps)))
        if change.reworded:
            notes.append(t("criterion_reworded", lang))
        fatal = ' class="sop-pack__fatal"' if change.fatal and change.status != "removed" else ""
        items.append(
            f"<li{fatal}><strong>{escape(change.name)}</strong> <code>{escape(change.id)}</code>: "
            f"{escape(', '.join(notes))}</li>"
        )
    heading = escape(t("pack_criteria_heading", lang))
    return f'<h3 class="sop-diff__part">{heading}</h3><ul class="sop-pack__criteria">{"".join(items)}</ul>'


def _steps(steps: tuple[int, ...]) -> str:
    return ", ".join(map(str, steps))
