"""The machine-readable catalog of the published site (catalog.json) and the llms.txt that points to it."""

from __future__ import annotations

import json
from typing import Any

from soplib.core.dialect import first_paragraph
from soplib.core.model import Sop
from soplib.load.library import Library
from soplib.publish.markdown import markdown_inline
from soplib.publish.urls import page_url


def summary(sop: Sop, purpose_heading: str) -> str:
    """The first paragraph of the Purpose section, as plain text."""
    return first_paragraph(sop.body, purpose_heading)


def catalog(library: Library) -> list[dict[str, Any]]:
    """Every published SOP in every language of the site, as the reader of that language gets it."""
    project = library.project
    purpose = next(s for s in project.sections if s.key == "purpose").names
    entries = []
    for state in library.state.published():
        meta = state.english.meta
        for lang in project.languages:
            shown = state.shown(lang)
            translation = state.translations.get(lang)
            entries.append(
                {
                    "id": state.sop_id,
                    "title": state.title(lang),
                    "version": state.version,
                    "status": state.lifecycle.value,
                    "language": lang,
                    "url": page_url(
                        state.english.path.as_posix().removeprefix("sops/"), lang, project.source_language
                    ),
                    "team": state.team,
                    "tags": meta.get("tags", []),
                    "kpis": meta.get("kpis", []),
                    "regions": meta.get("regions", []),
                    "effective_date": state.effective,
                    "owner": meta.get("owner"),
                    "summary": summary(shown, purpose[shown.lang]),
                    "text_language": shown.lang,
                    "translation": translation.state.value if translation else "source",
                    "source_version": translation.source_version if translation else state.version,
                }
            )
    return sorted(entries, key=lambda e: (str(e["id"]), project.languages.index(e["language"])))


def catalog_json(library: Library) -> str:
    return json.dumps({"sops": catalog(library)}, ensure_ascii=False, indent=1) + "\n"


def llms_txt(library: Library, site_name: str) -> str:
    """llms.txt (llmstxt.org): what the site is and where the machine-readable catalog is."""
    lines = [
        f"# {site_name}",
        "",
        "> Standard Operating Procedures of a marketplace's governance-and-experience operations in Mexico "
        "and Brazil, in English (the source), Mexican Spanish (es/) and Brazilian Portuguese (pt/).",
        "",
        "Each SOP page shows the version in force; a translation behind English says so on the page. "
        "Deprecated and retired SOPs name their successor.",
        "",
        "## Catalog",
        "",
        "- [catalog.json](catalog.json): every SOP in every language: id, title, version, status, language, "
        "url, team, tags, KPIs, summary",
        "",
        "## SOPs (English)",
        "",
    ]
    for entry in catalog(library):
        if entry["language"] == library.project.source_language:
            title, summary = markdown_inline(entry["title"]), markdown_inline(entry["summary"][:160])
            lines.append(f"- [{entry['id']}: {title}]({entry['url']}): {summary}")
    return "\n".join(lines) + "\n"
