"""`sop search` from start to result."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.load.project import Project
from soplib.search import search_site
from soplib.search.terms import synonyms

_MARK = re.compile(r"</?mark>")


def execute(start: Path, site_dir: Path | None, query: str, lang: str, limit: int) -> dict[str, Any]:
    try:
        project: Project | None = Project.discover(start)
    except SopError:
        if site_dir is None:
            raise
        project = None  # a built site outside a library: searched without the glossary's synonyms
    site = site_dir or project.root / "site"  # type: ignore[union-attr]
    return search_site(site, query, lang, limit, synonyms(project, lang) if project else {})


def render(found: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=2)
    searched = found.get("searched") or {}
    changed = [*searched.get("replaced", []), *searched.get("corrected", [])]
    also = f", searched as '{searched['term']}'" if changed else ""
    lines = [f"{found['total']} SOPs match '{found['query']}' ({found['language']}{also})"]
    for number, result in enumerate(found["results"], 1):
        lines.append(f"{number}. {result['id']} {result['title']} ({result['status']}, {result['version']})")
        lines.append(f"   {result['url']}")
        lines.append(f"   {_MARK.sub('', result['excerpt'])}")
    return "\n".join(lines)
