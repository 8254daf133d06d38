"""Translations: every SOP in every language, translations current, terms of each market."""

from __future__ import annotations

import re
from collections.abc import Iterator

from soplib.lint.context import LintContext
from soplib.model import Finding, Sop, SopGroup
from soplib.project import GlossaryTerm
from soplib.versions import parse_version


def check_translations(ctx: LintContext) -> Iterator[Finding]:
    project = ctx.project
    for group in ctx.library.groups().values():
        english = group.english
        if english is None:
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


_LINK_DESTINATION = re.compile(r"\]\([^)]*\)")


def _forbidden_pattern(terms: list[GlossaryTerm], lang: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    variants = {
        variant.lower(): term.terms[lang] for term in terms for variant in term.forbidden.get(lang, [])
    }
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE), variants


def check_terminology(ctx: LintContext) -> Iterator[Finding]:
    patterns = {
        lang: _forbidden_pattern(ctx.project.glossary, lang) for lang in ctx.project.translation_languages
    }
    for sop in ctx.library.sops:
        compiled = patterns.get(sop.lang)
        if compiled is None:
            continue
        pattern, variants = compiled
        body = ctx.body(sop)
        title = sop.meta.get("title")
        lines = [(sop.position("title"), title)] if isinstance(title, str) else []
        lines += [
            ((body.first_line + i, 1), _LINK_DESTINATION.sub(lambda m: " " * len(m.group(0)), text))
            for i, text in enumerate(body.lines)
        ]
        for (line, column), text in lines:
            for match in pattern.finditer(text):
                required = variants[match.group(1).lower()]
                yield ctx.finding(
                    sop,
                    "terminology",
                    (line, column + match.start()),
                    f"'{match.group(1)}' is not this library's term",
                    f"use '{required}' (glossary)",
                )
