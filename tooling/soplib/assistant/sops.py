"""Find an SOP, and read the version in force today or on a given date, in the caller's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from soplib.assistant import Context, day_of
from soplib.core.changes import Change
from soplib.core.errors import SopError
from soplib.core.markdown_copy import sop_markdown
from soplib.core.state import SopState, TranslationState
from soplib.diff.sources import Text
from soplib.search import library as engine
from soplib.search.terms import synonyms

# -- search ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    id: str
    title: str
    version: str
    status: str  # draft never: active, deprecated, retired
    inactive: bool  # deprecated or retired: listed after the SOPs in force
    url: str
    excerpt: str
    text_language: str  # the language of the title and excerpt: the caller's, or English


@dataclass(frozen=True)
class SearchAnswer:
    query: str
    language: str
    total: int
    results: list[Found]

    def markdown(self) -> str:
        lines = [f"{self.total} SOPs match '{self.query}' ({self.language})"]
        for number, hit in enumerate(self.results, 1):
            english = " [English text]" if hit.text_language != self.language else ""
            lines += [
                "",
                f"{number}. **{hit.id}** {hit.title} ({hit.status}, version {hit.version}){english}",
                f"   {hit.url}",
                f"   {hit.excerpt}",
            ]
        return "\n".join(lines) + "\n"


def search(context: Context, query: str, lang: str | None, limit: int = 10) -> SearchAnswer:
    """The published SOPs that match, as the site's search orders them, in the caller's language."""
    lang = context.language(lang)
    if not query.strip():
        raise SopError("the query is empty: give words of the SOP, its title or its id (e.g. apl 4)")
    pages = [engine.page(context.library, state, lang) for state in context.library.state.published()]
    hits = engine.search(pages, query, synonyms(context.library.project, lang))
    return SearchAnswer(query, lang, len(hits), [_found(context, hit, lang) for hit in hits[: max(1, limit)]])


def _found(context: Context, hit: engine.Hit, lang: str) -> Found:
    state = hit.page.sop
    return Found(
        state.sop_id,
        hit.page.title,
        state.version,
        state.lifecycle.value,
        state.lifecycle.inactive,
        context.sop_url(state, lang),
        engine.excerpt(hit),
        state.shown(lang).lang,
    )


# -- one SOP ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SopAnswer:
    id: str
    title: str
    version: str
    status: str
    effective_date: str | None
    team: str
    owner: str | None
    url: str
    language: str  # the caller's
    text_language: str  # the body's: the caller's, or English when there is no text in it
    translation: str  # the caller's language file today: source, current, behind-wording, stale, missing ...
    source_version: str | None  # the English version the text translates (the version itself in English)
    in_force_on: str  # the day asked about
    latest_version: str  # the SOP's newest version, which may not be in force yet
    body: str
    notes: list[str] = field(default_factory=list)  # what the reader must know, in the caller's language

    def fields(self) -> dict[str, Any]:
        """The metadata, in the order of a catalog.json entry."""
        names = "id title version status effective_date team owner url language text_language translation"
        shown = {name: getattr(self, name) for name in names.split()}
        return {**shown, "source_version": self.source_version, "in_force_on": self.in_force_on} | (
            {"latest_version": self.latest_version} if self.latest_version != self.version else {}
        )

    def markdown(self) -> str:
        return sop_markdown(self.fields(), self.body, self.notes)


def in_force(state: SopState, day: str) -> Change | None:
    """The version in force on `day`: the newest whose `changes` entry takes effect on or before it."""
    started = [change for change in state.changes if change.date and change.date <= day]
    return max(started, key=lambda change: change.number, default=None)


def get_sop(context: Context, sop_id: str, lang: str | None, on: str | None = None) -> SopAnswer:
    """The version of an SOP in force today, or on the day `on` (YYYY-MM-DD), as the caller reads it."""
    lang = context.language(lang)
    state = context.published(sop_id)
    day = day_of(on, "date", context.project) if on is not None else context.today.isoformat()
    change = in_force(state, day)
    if change is None:
        first = min((c.date for c in state.changes if c.date), default=None)
        since = f": its first version took effect on {first}" if first else ""
        raise SopError(f"{state.sop_id} was not in force on {day}{since}")
    english = _english(context, state, change.version)
    if english.meta.get("status") == "draft":
        raise SopError(
            f"{state.sop_id} {change.version} was committed as a draft, so its text is not published; "
            f"ask for a later date"
        )
    text, text_lang = _in_language(context, state, change.version, lang) or (english, state.english.lang)
    return _answer(context, state, change, lang, day, english, text, text_lang)


def _english(context: Context, state: SopState, version: str) -> Text:
    if version == state.version:
        return Text(state.english.meta, state.english.body)
    text = context.texts.text(state.sop_id, state.english.lang, version)
    if text is None:
        raise SopError(
            f"{state.sop_id} {version}: the text of this version is older than the library's git history"
        )
    return text


def _in_language(context: Context, state: SopState, version: str, lang: str) -> tuple[Text, str] | None:
    """The caller's translation of `version`; for the newest version also one behind only in wording
    (agents may keep following it, as the site says). None: there is none, English is shown."""
    translation = state.translations.get(lang)
    if translation is None:
        return None
    if version == state.version:
        usable = (TranslationState.CURRENT, TranslationState.WORDING)
        if translation.file is not None and translation.state in usable:
            return Text(translation.file.meta, translation.file.body), lang
        return None
    if version not in context.texts.versions(state.sop_id, lang):
        return None
    text = context.texts.text(state.sop_id, lang, version)
    return (text, lang) if text is not None else None


def _answer(
    context: Context,
    state: SopState,
    change: Change,
    lang: str,
    day: str,
    english: Text,
    text: Text,
    text_lang: str,
) -> SopAnswer:
    meta, translation = english.meta, state.translations.get(lang)
    translated = text_lang != state.english.lang
    source = text.meta.get("source_version", change.version) if translated else change.version
    owner = meta.get("owner")
    return SopAnswer(
        state.sop_id,
        str(text.meta.get("title") or meta.get("title") or state.sop_id),
        change.version,
        str(meta.get("status") or state.lifecycle.value),
        change.date,
        str(meta.get("team") or state.team),
        owner if isinstance(owner, str) else None,
        context.sop_url(state, lang),
        lang,
        text_lang,
        translation.state.value if translation else "source",
        str(source),
        day,
        state.version,
        text.body,
        _notes(context, state, change, lang, text_lang, str(source)),
    )


def _notes(
    context: Context, state: SopState, change: Change, lang: str, text_lang: str, source: str
) -> list[str]:
    project, notes = context.project, []
    language = project.language_names.get(lang, lang)
    if text_lang != lang:
        notes.append(project.text("assistant_english", lang, language=language, version=change.version))
    elif source != change.version:
        notes.append(project.text("wording_body", lang, current=change.version, source=source))
    if change.version != state.version:
        newest = state.change(state.version)
        notes.append(
            project.text(
                "assistant_not_newest",
                lang,
                version=change.version,
                date=(newest.date if newest else None) or "?",
                newest=state.version,
            )
        )
    return notes
