"""Change impact: which SOPs link to an SOP, so that their owners check the links still fit after it changes.

Links come from the dialect's one parse (`Sop.document.links`), as the site resolves them: a link names an
SOP's English file (or a translation's), optionally with an #anchor; links that leave the library are not
SOPs. Each linking SOP is listed once, by its English file, with the anchors it links to.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from soplib.lint.links import is_external
from soplib.load.library import Library, split_name


@dataclass(frozen=True)
class Referrer:
    sop_id: str
    title: str
    path: str  # its English file
    owner: str | None
    anchors: tuple[str, ...]  # the #anchors it links to ("" for the page itself)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.sop_id,
            "title": self.title,
            "path": self.path,
            "owner": self.owner,
            "anchors": list(self.anchors),
        }


def referrers(library: Library) -> dict[str, list[Referrer]]:
    """The English file of each linked SOP -> the SOPs that link to it (in any of their languages)."""
    source = library.project.source_language
    found: dict[str, dict[str, set[str]]] = {}  # target -> linking SOP id -> anchors
    for sop in library.sops:
        for link in sop.document.links:
            target = _english_target(sop.path.parent.as_posix(), link.target, source)
            if target is not None and sop.sop_id and target != _english_path(sop.path.as_posix(), source):
                anchor = unquote(link.target).partition("#")[2]
                found.setdefault(target, {}).setdefault(sop.sop_id, set()).add(anchor)
    result: dict[str, list[Referrer]] = {}
    for target, by_id in found.items():
        result[target] = [_referrer(library, sop_id, anchors) for sop_id, anchors in sorted(by_id.items())]
    return result


def _referrer(library: Library, sop_id: str, anchors: set[str]) -> Referrer:
    state = library.state.by_id.get(sop_id)
    english = state.english if state else library.by_id(sop_id)
    meta = english.meta if english else {}
    owner = meta.get("owner")
    return Referrer(
        sop_id,
        str(meta.get("title") or sop_id),
        english.path.as_posix() if english else "",
        owner if isinstance(owner, str) else None,
        tuple(sorted(anchors)),
    )


def _english_target(folder: str, target: str, source: str) -> str | None:
    file_part = unquote(target).partition("#")[0]
    if is_external(target) or not file_part.endswith(".md") or file_part.startswith("/"):
        return None
    return _english_path(posixpath.normpath(posixpath.join(folder, file_part)), source)


def _english_path(path: str, source: str) -> str:
    folder, name = posixpath.split(path)
    return posixpath.join(folder, f"{split_name(name, source)[0]}.md")
