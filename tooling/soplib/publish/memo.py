"""What a build keeps of each SOP's page between builds, so that a rebuild makes again only the pages of
the SOPs that changed: per language, each page's digest of what it is made from, its catalog entry and
its Markdown copy (llms.txt, llms-full.txt and catalog.json are made of every SOP's), and the size and time
of its file in the docs folder as the build left it.

A page is taken as it is only when all of these hold: the digest is the same (the SOP's files as the
library holds them, its successor's, its history in that language, the versions with a diff page, the
English pages there are, and the build's context: the code, the project's files, the day, a preview or
not), and the docs file is the one the memo saw (a file changed or removed by anything else is made
anew). A memo that cannot be read is no memo: every page is made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from soplib.changelog import Change
from soplib.core.code import code_digest
from soplib.core.model import Sop
from soplib.core.output import write_file
from soplib.core.state import SopState
from soplib.load.project import SCHEMAS_DIR, TRANSLATIONS_DIR, Project

FORMAT = "1"  # of the memo's files
Made = tuple[dict[str, Any], str]  # an SOP's catalog entry and Markdown copy in one language


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def build_context(project: Project, today: date, preview: bool) -> str:
    """What every page depends on besides its SOP: read before the library is, so that a file changed while
    the build runs makes the next build make the pages again, never the reverse."""
    root = project.root
    folders = sorted([*(root / TRANSLATIONS_DIR).glob("*"), *(root / SCHEMAS_DIR).glob("*")])
    files = [root / "mkdocs.yml", *folders]
    contents = []
    for path in files:
        with contextlib.suppress(OSError):
            contents.append((path.relative_to(root).as_posix(), path.read_bytes()))
    return _digest(FORMAT, code_digest(), contents, today.isoformat(), preview)


@dataclass
class SopMemo:
    """The memo of one site's builds, in `folder`; the pages it speaks of are in `docs`."""

    folder: Path
    docs: Path
    context: str
    _files: dict[str, str] = field(default_factory=dict)  # a file's digest, by path, worked out once
    _kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # the open language's, as read
    _new: dict[str, dict[str, Any]] = field(default_factory=dict)  # the open language's, as made now
    _lang: str = ""
    _changed: bool = False  # a page made, or one the memo had left out
    _shared: str = ""

    def open(self, lang: str, pages: set[str]) -> None:
        """Start the pages of `lang`; `pages`: the English pages there are (links to others stay as
        written)."""
        self._lang, self._new, self._changed = lang, {}, False
        self._shared = _digest(self.context, lang, sorted(pages))
        self._kept = {}
        with contextlib.suppress(Exception):  # a memo that cannot be read is no memo
            data = json.loads((self.folder / f"{lang}.json").read_text(encoding="utf-8"))
            if data["shared"] == self._shared and all(_whole(kept) for kept in data["pages"].values()):
                self._kept = data["pages"]

    def key(
        self,
        state: SopState,
        successor: SopState | None,
        changes: list[Change],
        versions: set[str],
        diffs_of: SopState,
    ) -> str:
        """The digest of what the page of `state` in the open language is made from (the state itself is
        made of its files and the project's); `diffs_of`: the SOP whose place its diff pages' URLs are made
        from (itself, or the first of its id in a preview)."""
        files = [self._file(f) for f in _files(state)]
        where = diffs_of.english.path.as_posix()
        return _digest(self._shared, files, self._successor(successor), changes, sorted(versions), where)

    def _successor(self, state: SopState | None) -> tuple[str, ...] | None:
        """What the page of an SOP shows of its successor (its banner and notes): id, place, title."""
        if state is None:
            return None
        shown = state.shown(self._lang)
        return (state.sop_id, state.english.path.as_posix(), state.title(self._lang), shown.lang)

    def get(self, path: str, key: str) -> Made | None:
        """The entry and copy of the page at `path` (docs path) if it is made from `key` and its docs file
        is as the memo saw it."""
        kept = self._kept.get(path)
        if kept is None or kept.get("key") != key:
            return None
        try:
            info = os.stat(self.docs / path)
        except OSError:
            return None
        if [info.st_size, info.st_mtime_ns] != kept.get("file"):
            return None
        self._new[path] = kept
        return kept["entry"], kept["copy"]

    def put(self, path: str, key: str, made: Made) -> Made:
        self._new[path] = {"key": key, "entry": made[0], "copy": made[1]}
        self._changed = True
        return made

    def save(self) -> None:
        """Once the open language's pages are in the docs folder: each one's file as it is now (when every
        page was taken as it was, the memo is as it was)."""
        if not self._changed and self._new.keys() == self._kept.keys():
            self._kept, self._new = {}, {}
            return
        for path, kept in list(self._new.items()):
            try:
                info = os.stat(self.docs / path)
            except OSError:
                del self._new[path]
                continue
            kept["file"] = [info.st_size, info.st_mtime_ns]
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"shared": self._shared, "pages": self._new}, ensure_ascii=False)
        write_file(self.folder / f"{self._lang}.json", text, durable=False)
        self._kept, self._new = {}, {}

    def _file(self, sop: Sop) -> str:
        found = self._files.get(sop.path.as_posix())
        if found is None:
            found = self._files[sop.path.as_posix()] = _digest(sop.path.as_posix(), sop.meta, sop.body)
        return found


def _whole(kept: Any) -> bool:
    """A page of the memo as `save` writes it (not one cut or changed by hand)."""
    return isinstance(kept, dict) and {"key", "entry", "copy", "file"} <= kept.keys()


def _files(state: SopState) -> list[Sop]:
    return [state.english, *(t.file for t in state.translations.values() if t.file is not None)]
