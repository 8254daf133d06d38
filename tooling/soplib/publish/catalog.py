"""The machine-readable catalog of the published site (catalog.json): every SOP in every language, with the
anchors of its sections and steps, its Markdown copy and its audit scorecard (llms.txt: publish.copies).
"""

from __future__ import annotations

import json
from typing import Any

from soplib.core import procedure
from soplib.core.dialect import STEP_ANCHOR, first_paragraph
from soplib.core.model import Sop
from soplib.core.state import SopState
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.publish.scorecards import has_scorecard, scorecard_url
from soplib.publish.urls import sop_url

COPY = "index.md"  # the Markdown copy of a page, beside its index.html


def summary(sop: Sop, purpose_heading: str) -> str:
    """The first paragraph of the Purpose section, as plain text."""
    return first_paragraph(sop.body, purpose_heading)


def catalog(library: Library) -> list[dict[str, Any]]:
    """Every published SOP in every language of the site, as the reader of that language gets it."""
    project = library.project
    return ordered(
        project, [entry(project, s, lang) for s in library.state.published() for lang in project.languages]
    )


def ordered(project: Project, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By id, then language in the library's order."""
    return sorted(entries, key=lambda e: (str(e["id"]), project.languages.index(e["language"])))


def entry(project: Project, state: SopState, lang: str) -> dict[str, Any]:
    """One SOP in one language: what its page shows, where its page, copy and scorecard are."""
    meta, shown = state.english.meta, state.shown(lang)
    translation = state.translations.get(lang)
    url = sop_url(state, lang, project.source_language)
    return {
        "id": state.sop_id,
        "title": state.title(lang),
        "version": state.version,
        "status": state.lifecycle.value,
        "language": lang,
        "url": url,
        "markdown": url + COPY,
        "scorecard": scorecard_url(project, state, lang) if has_scorecard(project, state) else None,
        "team": state.team,
        "tags": meta.get("tags", []),
        "kpis": meta.get("kpis", []),
        "regions": meta.get("regions", []),
        "audience": meta.get("audience", []),
        "effective_date": state.effective,
        "owner": meta.get("owner"),
        "summary": summary(shown, project.section_name("purpose", shown.lang)),
        "text_language": shown.lang,
        "translation": translation.state.value if translation else "source",
        # the English version the text shown translates (English shown: that version itself, as `sop mcp`)
        "source_version": translation.source_version if translation and translation.file else state.version,
        "sections": sections(shown),
        "steps": steps(project, shown),
    }


def sections(shown: Sop) -> list[dict[str, Any]]:
    """The headings of the page's body with the anchors the page gives them (the dialect's one parse)."""
    return [{"title": h.text, "anchor": h.anchor, "level": h.level} for h in shown.document.headings if h.top]


def steps(project: Project, shown: Sop) -> list[dict[str, Any]]:
    """The procedure's steps: number, anchor on the page, and what the step is called (its bold lead)."""
    heading = procedure.procedure_heading(shown.document, project.section_name("procedure", shown.lang))
    if heading is None:
        return []
    leads = procedure.leads(shown.document, heading)
    return [
        {"number": number, "anchor": STEP_ANCHOR.format(number=number), "title": lead}
        for number, lead in leads.items()
    ]


CatalogLine = tuple[tuple[str, int], str]  # an entry's place in catalog.json (id, language) and its line


def catalog_lines(project: Project, entries: list[dict[str, Any]]) -> list[CatalogLine]:
    """Each entry as its line of catalog.json: compact (an indented dump takes json's slow path) and
    readable. A build holds every language's lines until the catalog is written, not the entries (a few
    times the size)."""
    return [
        (
            (str(found["id"]), project.languages.index(found["language"])),
            json.dumps(found, ensure_ascii=False, separators=(",", ":")),
        )
        for found in entries
    ]


def catalog_text(lines: list[CatalogLine]) -> str:
    """catalog.json: one entry a line, by id, then language in the library's order."""
    return '{"sops": [\n' + ",\n".join(line for _, line in sorted(lines, key=lambda line: line[0])) + "\n]}\n"
