"""The audit form of one SOP at one version, in one language: its criteria as plain data.

A criterion's id, the steps it scores and whether it is fatal come from the English text of that version,
the source. A translation gives the words (check, what the auditor looks for, step names) when it is the
text of that version, or behind it in wording only, and scores the same steps row by row (lint holds a
current translation to that); otherwise the English words are shown, and the form says so. Links go to the
step on the site only for the version the site shows (the SOP file as it is now).
"""

from __future__ import annotations

from dataclasses import dataclass

from soplib.core import criteria, procedure
from soplib.core.dialect import STEP_ANCHOR, Document, parse
from soplib.core.state import SopState, TranslationState
from soplib.diff.sources import Texts
from soplib.publish.urls import page_url

_USABLE = (TranslationState.CURRENT, TranslationState.WORDING)


@dataclass(frozen=True)
class Item:
    """One criterion as an auditor scores it."""

    id: str  # <SOP id>.<slug of the English check's name>: the same in every version and language
    name: str
    looks_for: str
    scoring: str  # the scoring cell as written: "fatal if missed", "standard"
    condition: str  # the words after fatal or standard: "if missed"
    fatal: bool
    steps: tuple[int, ...]
    step_names: tuple[str, ...]  # each step's bold lead, in the form's language
    links: tuple[
        str, ...
    ]  # each step on the site, relative to its root; () when the site shows another version


@dataclass(frozen=True)
class Form:
    sop_id: str
    title: str
    team: str
    version: str
    effective: str | None  # when that version took effect
    lang: str  # the language of the words
    page: str | None  # the SOP's page on the site, when it shows this version
    items: tuple[Item, ...]
    english_shown: bool = False  # the reader's language has no usable text of this version


class Readings:
    """The texts a form reads: the working files for the SOP's current version, git's for older ones."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts
        self.project = texts.project

    def document(self, state: SopState, lang: str, version: str) -> tuple[Document, str] | None:
        """The body of the `lang` text of `version` (and its title), if that text exists and may be used."""
        source = self.project.source_language
        if version == state.version:
            translation = state.translations.get(lang)
            usable = lang == source or (translation is not None and translation.state in _USABLE)
            file = state.shown(lang) if usable else None
            return (file.document, state.title(lang)) if file is not None else None
        text = self.texts.text(state.sop_id, lang, version)
        if text is None:
            return None
        return parse(text.body), str(text.meta.get("title") or state.title(lang))

    def scorecard(self, document: Document, lang: str) -> criteria.Scorecard:
        name = self.project.section_name("quality-checks", lang)
        return criteria.read(document, lang, name, self.project.scorecard_terms)

    def leads(self, document: Document, lang: str) -> dict[int, str]:
        heading = procedure.procedure_heading(document, self.project.section_name("procedure", lang))
        return procedure.leads(document, heading) if heading else {}


def read_form(readings: Readings, state: SopState, lang: str, version: str) -> Form | None:
    """The form of `version` in `lang`; None when the English text of that version is not there."""
    source = readings.project.source_language
    english = readings.document(state, source, version)
    if english is None:
        return None
    found = readings.scorecard(english[0], source).criteria
    shown, words = english, found
    translated = readings.document(state, lang, version) if lang != source else None
    if translated is not None:
        theirs = readings.scorecard(translated[0], lang).criteria
        if [c.steps for c in theirs] == [c.steps for c in found]:
            shown, words = translated, theirs
    used = lang if shown is translated else source
    leads = readings.leads(shown[0], used)
    docs_path = state.english.path.relative_to(readings.project.sops_dir.name).as_posix()
    page = page_url(docs_path, used, source) if version == state.version else None
    items = tuple(
        Item(
            f"{state.sop_id}.{criterion.key}",
            word.name,
            word.looks_for,
            f"{_scoring_word(readings, criterion.fatal, used)} {word.condition}".strip(),
            word.condition,
            criterion.fatal,
            criterion.steps,
            tuple(leads.get(step, "") for step in criterion.steps),
            tuple(f"{page}#{STEP_ANCHOR.format(number=step)}" for step in criterion.steps) if page else (),
        )
        for criterion, word in zip(found, words, strict=True)
    )
    change = state.change(version)
    return Form(
        state.sop_id,
        shown[1] if used == lang else state.title(lang),
        state.team,
        version,
        change.date if change else None,
        used,
        page,
        items,
        english_shown=used != lang,
    )


def _scoring_word(readings: Readings, fatal: bool, lang: str) -> str:
    return readings.project.scorecard_terms.word("fatal" if fatal else "standard", lang)
