"""The machine-readable catalog of the published site (catalog.json) and the llms.txt that points to it."""

from __future__ import annotations

import json
from typing import Any

from soplib.core.dialect import first_paragraph
from soplib.library import Library
from soplib.model import Sop
from soplib.versions import parse_version


def summary(sop: Sop, purpose_heading: str) -> str:
    """The first paragraph of the Purpose section, as plain text."""
    return first_paragraph(sop.body, purpose_heading)


def catalog(library: Library) -> list[dict[str, Any]]:
    """Every SOP in every language of the site, as the reader of that language gets it."""
    project = library.project
    purpose = next(s for s in project.sections if s.key == "purpose").names
    entries = []
    for group in library.groups().values():
        english = group.english
        if english is None:
            continue
        meta = english.meta
        for lang in project.languages:
            shown = group.files.get(lang, english)
            source = shown.meta.get("source_version", meta.get("version"))
            prefix = "" if lang == project.source_language else f"{lang}/"
            entries.append(
                {
                    "id": meta.get("id"),
                    "title": shown.meta.get("title"),
                    "version": meta.get("version"),
                    "status": meta.get("status"),
                    "language": lang,
                    "url": f"{prefix}{group.key}/",
                    "team": meta.get("team"),
                    "tags": meta.get("tags", []),
                    "kpis": meta.get("kpis", []),
                    "regions": meta.get("regions", []),
                    "effective_date": meta.get("effective_date"),
                    "owner": meta.get("owner"),
                    "summary": summary(shown, purpose[shown.lang]),
                    "translated": shown is not english or lang == project.source_language,
                    "translation_current": (parse_version(source) or ())
                    >= (parse_version(meta.get("version")) or ()),
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
            lines.append(f"- [{entry['id']}: {entry['title']}]({entry['url']}): {entry['summary'][:160]}")
    return "\n".join(lines) + "\n"
