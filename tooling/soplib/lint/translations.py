"""Translations: every SOP in every language, translations current, terms of each market."""

from __future__ import annotations

from collections.abc import Iterator

from soplib.core.dialect import visible_text
from soplib.lint.context import LintContext
from soplib.model import Finding, Sop, SopGroup
from soplib.project import GlossaryTerm
from soplib.versions import parse_version


def check_translations(ctx: LintContext) -> Iterator[Finding]:
    project = ctx.project
    for group in ctx.library.groups().values():
        english = group.english
        if english is None:
            if (project.sops_dir / f"{group.key}.md").exists():
                continue  # the English file is there but unreadable: its own finding says why
            for sop in group.files.values():
                yield ctx.finding(
                    sop,
                    "translation-orphan",
                    (1, 1),
                    f"no English SOP sops/{group.key}.md for this translation",
                    "English is the source: add it, or move this file next to its English SOP",
                )
            continue
        wanted = english.meta.get("languages")
        wanted = wanted if isinstance(wanted, list) else project.languages
        for lang in project.translation_languages:
            if lang in wanted and lang not in group.files:
                yield ctx.finding(
                    english,
                    "translation-missing",
                    (1, 1),
                    f"no {project.language_names[lang]} translation (sops/{group.key}.{lang}.md)",
                    "add the translation, or list the languages this SOP has in `languages`",
                )
        yield from _versions(ctx, group, english)


def _versions(ctx: LintContext, group: SopGroup, english: Sop) -> Iterator[Finding]:
    current = parse_version(english.meta.get("version"))
    changes = english.meta.get("changes")
    entries = [c for c in changes if isinstance(c, dict)] if isinstance(changes, list) else []
    known = {c.get("version"): c for c in entries}
    if current is None:
        return
    for lang, sop in sorted(group.files.items()):
        source = sop.meta.get("source_version")
        translated = parse_version(source)
        if lang == ctx.project.source_language or translated is None:
            continue
        at = sop.position("source_version")
        if translated > current or (known and source not in known):
            yield ctx.finding(
                sop,
                "translation-source-version",
                at,
                f"source_version {source} is not a version of the English SOP "
                f"(current {english.meta['version']})",
                "set source_version to the English version this text translates",
            )
        elif translated < current:
            newer = [c for c in entries if (parse_version(c.get("version")) or (0, 0, 0)) > translated]
            what = "; ".join(f"{c.get('version')}: {c.get('summary')}" for c in newer)
            yield ctx.finding(
                sop,
                "translation-stale",
                at,
                f"translates English {source}; the English SOP is at {english.meta['version']}",
                f"update the translation ({what}) and set source_version: {english.meta['version']}",
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
        text = "\n".join(
            "" if document.first_line + offset in document.code_lines else line
            for offset, line in enumerate(document.lines)
        )  # one search per file; line numbers are worked out only for matches
        hits = list(find_terms(text, variants))
        shown = visible_text(sop.body) if hits else ""
        for offset, found in hits:
            if not any(find_terms(shown, {found.lower(): ""})):
                continue  # only in code or a link's address: not what readers read
            line_start = text.rfind("\n", 0, offset) + 1
            where = (document.first_line + text.count("\n", 0, offset), 1 + offset - line_start)
            yield _term(ctx, sop, found, variants, where)


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
