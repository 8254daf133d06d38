"""`sop search` from start to result."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from soplib.load.project import Project
from soplib.search import search_site

_MARK = re.compile(r"</?mark>")


def execute(start: Path, site_dir: Path | None, query: str, lang: str, limit: int) -> dict[str, Any]:
    site = site_dir or Project.discover(start).root / "site"
    return search_site(site, query, lang, limit)


def render(found: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=2)
    lines = [f"{found['total']} SOPs match '{found['query']}' ({found['language']})"]
    for number, result in enumerate(found["results"], 1):
        lines.append(f"{number}. {result['id']} {result['title']} ({result['status']}, {result['version']})")
        lines.append(f"   {result['url']}")
        lines.append(f"   {_MARK.sub('', result['excerpt'])}")
    return "\n".join(lines)
