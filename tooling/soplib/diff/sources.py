"""The text of each version of each SOP file, the versions to compare, and the diff of two of them.

Texts come from the history (one `read_history` per command; blobs read on demand, or many in one batch
with `prefetch`), or from the working file for a version that is not committed yet. A version's text is
the file as it was when that version first appeared, as `sop history --at` shows it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from soplib import changelog
from soplib.core.errors import SopError
from soplib.core.versions import parse_version
from soplib.diff.blocks import Section, parse_body, section_names
from soplib.diff.compare import changed_figures, compare_fields, compare_sections
from soplib.diff.model import Entry, FieldChange, SectionDiff, Side, SopDiff
from soplib.load.frontmatter import parse_file
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.repo.history import History


@dataclass(frozen=True)
class Text:
    meta: dict[str, Any]
    body: str


def _order(version: str) -> tuple[int, int, int]:
    return parse_version(version) or (-1, -1, -1)


class Texts:
    """Every version of every SOP file of one library, for as many diffs as a command or a site needs."""

    def __init__(self, library: Library, history: History | None) -> None:
        self.library = library
        self.history = history
        self.project: Project = library.project
        self._blobs: dict[str, bytes] = {}
        self._parsed: dict[str, Text] = {}
        # by the bodies compared: a version's body is the new side of one diff and the old of the next,
        # and a translation's reader shown the English text sees the English diff
        self._bodies: dict[str, list[Section]] = {}
        self._compared: dict[tuple[str | None, str], tuple[SectionDiff, ...]] = {}
        self._changes: dict[str, dict[str, list[changelog.Change]]] = {}
        # the versions of each (SOP id, language): the files and the history do not change during a run
        self._versions: dict[tuple[str, str], list[str]] = {}
        self._known: dict[tuple[str, str], list[str]] = {}
        self._previous: dict[tuple[str, str, str], str | None] = {}

    @cached_property
    def section_names(self) -> dict[str, str]:
        return section_names({section.key: section.names for section in self.project.sections})

    # -- versions ------------------------------------------------------------------------------------
    def current(self, sop_id: str, lang: str) -> str | None:
        """The working file's version (English) or source version (a translation)."""
        here = self.library.by_id(sop_id, lang)
        field = "version" if lang == self.project.source_language else "source_version"
        value = here.meta.get(field) if here else None
        return value if isinstance(value, str) and parse_version(value) else None

    def versions(self, sop_id: str, lang: str) -> list[str]:
        """The versions whose text can be shown, oldest first."""
        if (sop_id, lang) not in self._versions:
            self._versions[(sop_id, lang)] = self._find_versions(sop_id, lang)
        return self._versions[(sop_id, lang)]

    def _find_versions(self, sop_id: str, lang: str) -> list[str]:
        past = self.history.of(sop_id, lang) if self.history else None
        found = {record.version for record in past.versions} if past else set()
        current = self.current(sop_id, lang)
        if current:
            found.add(current)
        return sorted((v for v in found if parse_version(v)), key=_order)

    def known_versions(self, sop_id: str, lang: str) -> list[str]:
        """The versions with a text, and those that only have a `changes` entry because they are older than
        the file's git history (a translation translated them too): a version before them all is a first
        version, not one whose past is lost."""
        if (sop_id, lang) not in self._known:
            self._known[(sop_id, lang)] = self._find_known(sop_id, lang)
        return self._known[(sop_id, lang)]

    def _find_known(self, sop_id: str, lang: str) -> list[str]:
        with_text = self.versions(sop_id, lang)
        source = self.project.source_language
        entries = {c.version for c in self.changes(sop_id, source) if parse_version(c.version)}
        if lang != source:  # a translation's past before its history: the English versions before it
            entries = {v for v in entries if with_text and _order(v) < _order(with_text[0])}
        return sorted(set(with_text) | entries, key=_order)

    def previous(self, sop_id: str, lang: str, version: str) -> str | None:
        key = (sop_id, lang, version)  # asked for every version of every SOP by each language's pages
        if key not in self._previous:
            older = [v for v in self.known_versions(sop_id, lang) if _order(v) < _order(version)]
            self._previous[key] = older[-1] if older else None
        return self._previous[key]

    def has_text(self, sop_id: str, lang: str, version: str) -> bool:
        return version in self.versions(sop_id, lang)  # a few versions per file: a list is fast enough

    def changes(self, sop_id: str, lang: str) -> list[changelog.Change]:
        """The SOP's `changes` entries with titles and summaries in `lang` (the change log's generator)."""
        if lang not in self._changes:
            by_id: dict[str, list[changelog.Change]] = {}
            for change in changelog.entries(self.library, self.history, lang, drafts=True):
                by_id.setdefault(change.sop_id, []).append(change)
            self._changes[lang] = by_id
        return self._changes[lang].get(sop_id, [])

    def known(self, sop_id: str) -> bool:
        return any(s.sop_id == sop_id for s in self.library.sops) or (
            self.history is not None and sop_id in self.history.ids()
        )

    # -- texts ---------------------------------------------------------------------------------------
    def prefetch(self, wanted: Iterable[tuple[str, str, str]]) -> None:
        """Read the blobs of many (SOP id, language, version) with one `git cat-file`."""
        if self.history is None:
            return
        records = (self.history.first_seen(*key) for key in wanted)
        blobs = {r.blob for r in records if r is not None and r.blob not in self._blobs}
        self._blobs.update(self.history.git.read_blobs(sorted(blobs)))

    def forget(self) -> None:
        """Drop the texts read so far (a site build reads them in batches)."""
        self._blobs.clear()
        self._parsed.clear()
        self._bodies.clear()
        self._compared.clear()

    def sections(self, old: Text | None, new: Text) -> tuple[SectionDiff, ...]:
        """The sections of two texts compared (with nothing, for a first version), once for every diff
        that compares them."""
        key = (old.body if old else None, new.body)
        if key not in self._compared:
            before = self._sections_of(old.body) if old else []
            self._compared[key] = compare_sections(before, self._sections_of(new.body))
        return self._compared[key]

    def _sections_of(self, body: str) -> list[Section]:
        if body not in self._bodies:
            self._bodies[body] = parse_body(body, self.section_names)
        return self._bodies[body]

    def text(self, sop_id: str, lang: str, version: str) -> Text | None:
        record = self.history.first_seen(sop_id, lang, version) if self.history else None
        if record is None:
            here = self.library.by_id(sop_id, lang)
            if here is not None and self.current(sop_id, lang) == version:
                return Text(here.meta, here.body)
            return None
        assert self.history is not None
        if record.blob not in self._parsed:  # one parse per blob, however many diffs use it
            raw = self._blobs.get(record.blob)
            if raw is None:
                raw = self.history.content(sop_id, lang, version).encode("utf-8")
            parsed = parse_file(raw, record.path)
            body = parsed.body if parsed.body or parsed.meta is not None else raw.decode("utf-8", "replace")
            self._parsed[record.blob] = Text(parsed.meta or {}, body)
        return self._parsed[record.blob]


# -- which versions to compare ----------------------------------------------------------------------------
def select(texts: Texts, sop_id: str, lang: str, old: str | None, new: str | None) -> tuple[str | None, str]:
    """The versions to compare: by default the one before the current version, and the current one."""
    project = texts.project
    if not texts.known(sop_id):
        raise SopError(unknown_id(texts, sop_id))
    available = texts.versions(sop_id, lang)
    if not available:
        language = project.language_names.get(lang, lang)
        raise SopError(f"{sop_id} has no {language} text ({lang}), now or in its git history")
    for option, version in (("--from", old), ("--to", new)):
        if version is not None:
            _check_version(texts, sop_id, lang, option, version, available)
    new = new or texts.current(sop_id, lang) or available[-1]
    if old is not None and _order(old) >= _order(new):
        raise SopError(f"--from {old} is not older than --to {new}: give the older version with --from")
    return old or texts.previous(sop_id, lang, new), new  # an old one may predate the history: said so


def _check_version(
    texts: Texts, sop_id: str, lang: str, option: str, version: str, available: list[str]
) -> None:
    if version in available:
        return
    if parse_version(version) is None:
        raise SopError(f"{option} {version}: not a version (versions look like 1.3.0)")
    source = texts.project.source_language
    english = set(texts.versions(sop_id, source)) | {c.version for c in texts.changes(sop_id, source)}
    if version in english and option == "--from" and _order(version) < _order(available[0]):
        return  # older than the git history: the diff says so, with the summaries since
    if lang != source and version in english:
        language = texts.project.language_names.get(lang, lang)
        raise SopError(
            f"{sop_id} has no {language} text of version {version}: the {lang} file translates "
            f"{', '.join(available)} (it is behind English); see the English text with --lang {source}"
        )
    if version in english:
        raise SopError(
            f"{sop_id} version {version} is not in the git history (older than the repository, or never "
            f"committed), so its text cannot be shown; versions in git: {', '.join(available)}"
        )
    raise SopError(f"{sop_id} has no version {version}; its versions are {', '.join(available)}")


def unknown_id(texts: Texts, sop_id: str) -> str:
    known = sorted(
        {s.sop_id for s in texts.library.sops if s.sop_id} | (texts.history.ids() if texts.history else set())
    )
    close = difflib.get_close_matches(sop_id, known, n=1)
    hint = f"; did you mean {close[0]}?" if close else " (ids look like SOP-APL-001)"
    return f"unknown SOP id {sop_id}: no SOP has it in sops/ or in the git history{hint}"


# -- the diff --------------------------------------------------------------------------------------------
def build(
    texts: Texts, sop_id: str, lang: str, old: str | None, new: str, reader: str | None = None
) -> SopDiff:
    """The diff of two versions of the `lang` file (both must have a text: see `select`); `old` None
    compares with nothing. Change summaries and the title are in the `reader`'s language (default: `lang`),
    for a reader shown English for lack of a translation."""
    source, reader = texts.project.source_language, reader or lang
    new_text = texts.text(sop_id, lang, new)
    old_text = texts.text(sop_id, lang, old) if old else None
    if new_text is None:
        raise SopError(f"{sop_id} ({lang}): the text of version {new} is not available")
    before_history = old is not None and old_text is None  # only the change summaries can be shown
    changes = texts.changes(sop_id, reader)
    english = texts.library.by_id(sop_id, source)
    sections = () if before_history else texts.sections(old_text, new_text)
    return SopDiff(
        sop_id,
        (changes[0].title if changes and reader != lang else None)
        or str(new_text.meta.get("title") or sop_id),
        str(english.meta.get("team")) if english else (changes[0].team if changes else ""),
        lang,
        _side(texts, sop_id, lang, old, changes) if old else None,
        _side(texts, sop_id, lang, new, changes),
        _entries(changes, old, new),
        _fields(texts, sop_id, lang, old, new, old_text, new_text) if old and old_text else (),
        sections,
        changed_figures(sections) if old_text else (),  # a new SOP: every number is new
        texts.current(sop_id, source),
        texts.current(sop_id, lang),
        _translation_state(texts, sop_id, lang, new),
        before_history,
    )


def _translation_state(texts: Texts, sop_id: str, lang: str, version: str) -> str | None:
    """The state of the translation whose text is shown, when its current text is the one shown."""
    state = texts.library.state.by_id.get(sop_id)
    translation = state.translations.get(lang) if state else None
    if translation is None or translation.source_version != version:
        return None
    return translation.state.value


def _side(texts: Texts, sop_id: str, lang: str, version: str, changes: list[changelog.Change]) -> Side:
    entry = next((c for c in changes if c.version == version), None)
    record = texts.history.first_seen(sop_id, lang, version) if texts.history else None
    before = record is None and texts.text(sop_id, lang, version) is None
    return Side(version, entry.date if entry else None, record.commit.day if record else None, before)


def _entries(changes: list[changelog.Change], old: str | None, new: str) -> tuple[Entry, ...]:
    low, high = _order(old) if old else (-1, -1, -1), _order(new)
    kept = [c for c in changes if low < _order(c.version) <= high]
    kept.sort(key=lambda c: _order(c.version), reverse=True)
    return tuple(Entry(c.version, c.date, c.type, c.summary, c.translated) for c in kept)


def _fields(
    texts: Texts, sop_id: str, lang: str, old_version: str, new_version: str, old_text: Text, new_text: Text
) -> tuple[FieldChange, ...]:
    """A translation inherits its fields from English: compare the English files of the same versions."""
    source = texts.project.source_language
    if lang == source:
        return compare_fields(old_text.meta, new_text.meta)
    english_old = texts.text(sop_id, source, old_version)
    english_new = texts.text(sop_id, source, new_version)
    before = {
        **(english_old.meta if english_old and english_new else {}),
        "title": old_text.meta.get("title"),
    }
    after = {**(english_new.meta if english_old and english_new else {}), "title": new_text.meta.get("title")}
    return compare_fields(before, after)
