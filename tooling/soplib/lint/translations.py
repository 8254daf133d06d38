"""Translations: every SOP in every language, translations current, terms of each market."""

from __future__ import annotations

from collections.abc import Iterator

from soplib.core.dialect import Document, visible_text
from soplib.core.model import Finding, Sop
from soplib.core.state import Lifecycle, SopState, Translation, TranslationState
from soplib.core.versions import parse_version
from soplib.lint.context import LintContext
from soplib.load.project import GlossaryTerm


def check_translations(ctx: LintContext) -> Iterator[Finding]:
    yield from _orphans(ctx)
    for state in ctx.library.state.sops:
        for translation in state.translations.values():
            yield from _translation(ctx, state, translation)


def _orphans(ctx: LintContext) -> Iterator[Finding]:
    for group in ctx.library.groups().values():
        if group.english is not None or (ctx.project.sops_dir / f"{group.key}.md").exists():
            continue  # an English file that is there but unreadable has its own finding
        for sop in group.files.values():
            yield ctx.finding(
                sop,
                "translation-orphan",
                (1, 1),
                f"no English SOP sops/{group.key}.md for this translation",
                "English is the source: add it, or move this file next to its English SOP",
            )


def _translation(ctx: LintContext, state: SopState, translation: Translation) -> Iterator[Finding]:
    kind, file, english = translation.state, translation.file, state.english
    if kind is TranslationState.MISSING:
        yield ctx.finding(
            english,
            "translation-missing",
            (1, 1),
            f"no {ctx.project.language_names[translation.lang]} translation ({translation.path})",
            "add the translation, or list the languages this SOP has in `languages`",
        )
    if file is None:
        return
    at, source = file.position("source_version"), translation.source_version
    lacks = "; ".join(f"{c.version} ({c.type or '?'}): {c.summary}" for c in translation.lacks)
    if kind is TranslationState.INVALID and parse_version(source) and parse_version(state.version):
        yield ctx.finding(
            file,
            "translation-source-version",
            at,
            f"source_version {source} is not a version of the English SOP (current {state.version})",
            "set source_version to the English version this text translates",
        )
    elif kind is TranslationState.STALE:
        yield ctx.finding(
            file,
            "translation-stale",
            at,
            f"translates English {source}; the English SOP is at {state.version}, which changes what agents "
            "do",
            f"update the translation ({lacks}) and set source_version: {state.version}",
        )
    elif kind is TranslationState.WORDING:
        yield ctx.finding(
            file,
            "translation-wording",
            at,
            f"translates English {source}; English {state.version} only rewords it: agents may keep using "
            "this translation",
            f"update the wording ({lacks}) and set source_version: {state.version}",
        )
    title = file.meta.get("title")
    drafting = state.lifecycle is Lifecycle.DRAFT  # `sop new` leaves the English title to translate
    if not drafting and kind is not TranslationState.INVALID and title and title == english.meta.get("title"):
        yield ctx.finding(
            file,
            "translation-title",
            file.position("title"),
            f"the title is the English one: '{title}'",
            f"translate the title into {ctx.project.language_names[translation.lang]}",
        )


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_terms(text: str, variants: dict[str, str]) -> Iterator[tuple[int, str]]:
    """Offsets of whole-word, case-insensitive occurrences of the variants (str.find: fast on long text)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character whose lower case is longer: keep offsets exact
        lowered = "".join(char.lower()[0] for char in text)
    for variant in variants:
        start = lowered.find(variant)
        while start != -1:
            end = start + len(variant)
            if (start == 0 or not _is_word(lowered[start - 1])) and (
                end == len(text) or not _is_word(lowered[end])
            ):
                yield start, text[start:end]
            start = lowered.find(variant, start + 1)


def forbidden_variants(terms: list[GlossaryTerm], lang: str) -> dict[str, str]:
    """Each variant the glossary forbids in `lang` (lower case) -> the term to use instead."""
    return {variant.lower(): term.terms[lang] for term in terms for variant in term.forbidden.get(lang, [])}


def check_terminology(ctx: LintContext) -> Iterator[Finding]:
    languages = ctx.project.translation_languages
    forbidden = {lang: forbidden_variants(ctx.project.glossary, lang) for lang in languages}
    for sop in ctx.library.sops:
        variants = forbidden.get(sop.lang)
        if not variants:
            continue
        title = sop.meta.get("title")
        if isinstance(title, str):
            line, column = sop.position("title")
            for offset, found in find_terms(title, variants):
                yield _term(ctx, sop, found, variants, (line, column + len("title: ") + offset))
        document = sop.document
        text = sop.body if not document.code_lines else _without_code(document)
        # one search per file; line numbers are worked out only for matches
        hits = list(find_terms(text, variants))
        shown = visible_text(sop.body) if hits else ""
        for offset, found in hits:
            if not any(find_terms(shown, {found.lower(): ""})):
                continue  # only in code or a link's address: not what readers read
            line_start = text.rfind("\n", 0, offset) + 1
            where = (document.first_line + text.count("\n", 0, offset), 1 + offset - line_start)
            yield _term(ctx, sop, found, variants, where)


def _without_code(document: Document) -> str:
    """The body with its code blocks' lines blanked (line numbers kept)."""
    return "\n".join(
        "" if document.first_line + offset in document.code_lines else line
        for offset, line in enumerate(document.lines)
    )


def _term(
    ctx: LintContext, sop: Sop, found: str, variants: dict[str, str], where: tuple[int, int]
) -> Finding:
    return ctx.finding(
        sop,
        "terminology",
        where,
        f"'{found}' is not this library's term",
        f"use '{variants[found.lower()]}' (glossary)",
    )
