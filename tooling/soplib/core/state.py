"""The state of every SOP, computed once per run from the loaded library: the one truth all doors read.

- lifecycle: draft (not published: the site shows it only in an SME's preview), active (in force),
  deprecated, retired;
- each translation's state, by one rule set:
  current (it translates the English version in force); behind-wording (behind only by editorial or
  clarification versions: agents may keep using it); stale (behind by a policy or procedure version: agents
  must not follow it); invalid (its source_version is ahead of English or not an English version);
  missing (the SOP wants the language, the file is not there); not-planned (the SOP lists its languages);
- the versions a translation lacks, and the date the first of them took effect (how long it has been
  behind);
- the title and the file a reader of each language gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from soplib.core.changes import Change, read_changes, summaries
from soplib.core.versions import parse_version

if TYPE_CHECKING:
    from soplib.core.model import Sop, SopGroup
    from soplib.load.library import Library
    from soplib.load.project import Project


class Lifecycle(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"

    @property
    def published(self) -> bool:
        return self is not Lifecycle.DRAFT

    @property
    def inactive(self) -> bool:
        """On its way out or gone: listed last, no reviews, no translation updates."""
        return self in (Lifecycle.DEPRECATED, Lifecycle.RETIRED)


class TranslationState(StrEnum):
    CURRENT = "current"
    WORDING = "behind-wording"
    STALE = "stale"
    INVALID = "invalid"
    MISSING = "missing"
    NOT_PLANNED = "not-planned"

    @property
    def behind(self) -> bool:
        return self in (TranslationState.WORDING, TranslationState.STALE)


@dataclass(frozen=True)
class Translation:
    lang: str
    state: TranslationState
    path: str  # the file, or where it would be
    file: Sop | None = field(default=None, repr=False, compare=False)
    source_version: str | None = None
    lacks: tuple[Change, ...] = ()  # the English versions it does not translate yet, oldest first

    @property
    def since(self) -> str | None:
        """The day the first English version it lacks took effect: it has been behind since then."""
        return self.lacks[0].date if self.lacks else None

    def days_behind(self, today: date) -> int:
        first = self.lacks[0].day if self.lacks else None
        return max(0, (today - first).days) if first else 0


@dataclass(frozen=True)
class SopState:
    sop_id: str
    english: Sop = field(repr=False, compare=False)
    lifecycle: Lifecycle
    version: str
    changes: tuple[Change, ...]  # newest first
    translations: dict[str, Translation]  # every translation language of the library
    summaries: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)  # lang -> version -> text

    @property
    def team(self) -> str:
        value = self.english.meta.get("team")
        return value if isinstance(value, str) else self.english.folder

    @property
    def effective(self) -> str | None:
        """When the version in force took effect: its `changes` entry (lint holds effective_date to it)."""
        top = self.changes[0] if self.changes else None
        if top is not None and top.version == self.version:
            return top.date
        value = self.english.meta.get("effective_date")
        return value if isinstance(value, str) else None

    def shown(self, lang: str) -> Sop:
        """The file a reader of `lang` gets: the translation where there is one, else English."""
        translation = self.translations.get(lang)
        return translation.file if translation is not None and translation.file is not None else self.english

    def title(self, lang: str) -> str:
        title = self.shown(lang).meta.get("title")
        english = self.english.meta.get("title")
        return title if isinstance(title, str) else english if isinstance(english, str) else self.sop_id

    def summary(self, change: Change, lang: str) -> tuple[str, bool]:
        """A change's summary in `lang` where the translation gives one, else English: (text, translated)."""
        translated = self.summaries.get(lang, {}).get(change.version)
        return (translated, True) if translated else (change.summary, lang == self.english.lang)

    def change(self, version: str) -> Change | None:
        return next((change for change in self.changes if change.version == version), None)


@dataclass
class LibraryState:
    sops: list[SopState]  # by team (in the schema's order), then id
    by_id: dict[str, SopState]

    def published(self) -> list[SopState]:
        return [sop for sop in self.sops if sop.lifecycle.published]


def library_state(library: Library) -> LibraryState:
    project = library.project
    rank = {team: index for index, team in enumerate(project.allowed_values("team"))}
    found = [
        sop_state(group, project)
        for group in library.groups().values()
        if group.english is not None and group.english.sop_id
    ]
    found.sort(key=lambda s: (rank.get(s.team, len(rank)), s.team, s.sop_id))
    by_id: dict[str, SopState] = {}
    for state in found:
        by_id.setdefault(state.sop_id, state)
    return LibraryState(found, by_id)


def sop_state(group: SopGroup, project: Project) -> SopState:
    english = group.english
    assert english is not None and english.sop_id is not None
    meta = english.meta
    changes = read_changes(meta)
    wanted = meta.get("languages")
    wanted = wanted if isinstance(wanted, list) else project.languages
    translations = {
        lang: translation_of(english, changes, group.files.get(lang), lang, lang in wanted)
        for lang in project.translation_languages
    }
    status = meta.get("status")
    lifecycle = next(
        (state for state in Lifecycle if state.value == status), Lifecycle.ACTIVE
    )  # else: schema
    version = meta.get("version")
    return SopState(
        english.sop_id,
        english,
        lifecycle,
        version if isinstance(version, str) else "?",
        changes,
        translations,
        {lang: summaries(t.file.meta) for lang, t in translations.items() if t.file is not None},
    )


def translation_of(
    english: Sop, changes: tuple[Change, ...], file: Sop | None, lang: str, wanted: bool
) -> Translation:
    from soplib.load.library import sop_file_name  # the one place that names files

    if file is None:
        name = sop_file_name(english.slug, lang, english.lang)
        path = f"{english.path.parent.as_posix()}/{name}"
        return Translation(lang, TranslationState.MISSING if wanted else TranslationState.NOT_PLANNED, path)
    path, source = file.path.as_posix(), file.meta.get("source_version")
    shown = source if isinstance(source, str) else None
    translated, current = parse_version(source), parse_version(english.meta.get("version"))
    known = {change.version for change in changes}
    if translated is None or current is None or translated > current or (known and source not in known):
        return Translation(lang, TranslationState.INVALID, path, file, shown)
    if translated == current:
        return Translation(lang, TranslationState.CURRENT, path, file, shown)
    lacks = tuple(sorted((c for c in changes if translated < c.number <= current), key=lambda c: c.number))
    of_meaning = not lacks or any(change.of_meaning for change in lacks)  # no entries: assume the worst
    state = TranslationState.STALE if of_meaning else TranslationState.WORDING
    return Translation(lang, state, path, file, shown, lacks)
