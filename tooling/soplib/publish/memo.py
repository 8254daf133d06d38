"""What a build keeps of each SOP's page between builds, so that a rebuild makes again only the pages of
the SOPs that changed: per language, each page's digest of what it is made from, its catalog entry and
its Markdown copy (llms.txt, llms-full.txt and catalog.json are made of every SOP's), and the size and time
of its file in the docs folder as the build left it.

A page is taken as it is only when all of these hold: the digest is the same (the SOP's files as the
library holds them, its successor's, its history in that language, the versions with a diff page, the
English pages there are, and the build's context: the code, the project's files, the day, a preview or
not), and the docs file is the one the memo saw (a file changed or removed by anything else is made
anew). A memo that cannot be read is no memo: every page is made.

A page that shows a translation reads of the English file only what is not its prose: its front matter,
its audit criteria and its steps' leads (the scorecard's source); an English edit to the prose leaves it
as it is. When no page of a language changed, the language's whole part is taken (its index, change and
What's new pages, its copies and llms files): the memo keeps, beside its pages, what the part wrote, and
the part is taken only from the build whose site is in place, when its docs files are the ones it wrote
and the site in place has its site files (of the sizes it wrote).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from soplib.changelog import Change
from soplib.core import criteria, procedure
from soplib.core.code import code_digest
from soplib.core.model import Sop
from soplib.core.output import write_file
from soplib.core.state import SopState
from soplib.load.project import SCHEMAS_DIR, TRANSLATIONS_DIR, Project

FORMAT = "2"  # of the memo's files
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
class WholePart:
    """What a build needs of a language's part that it takes as it is: names, not texts."""

    pages: list[str]  # docs paths: the SOP pages and the others
    sop_pages: list[str]
    diffs: list[str]  # the SOP pages whose SOP has diff pages in this language
    navigation: dict[str, str]  # the pages at the top of the tree: their front matter
    site_files: dict[str, int]  # their sizes
    catalog: list[tuple[tuple[str, int], str]]  # its lines of catalog.json


@dataclass
class SopMemo:
    """The memo of one site's builds, in `folder`; the pages it speaks of are in `docs`."""

    folder: Path
    docs: Path
    context: str
    project: Project
    build: str = ""  # this build's name, and that of the build whose site is in place ("": none)
    in_place: str = ""
    site: Path | None = None  # the site in place
    _files: dict[str, str] = field(default_factory=dict)  # a file's digest, by path, worked out once
    _seen: dict[str, str] = field(default_factory=dict)  # what a translation's page reads of an English file
    _kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # the open language's, as read
    _new: dict[str, dict[str, Any]] = field(default_factory=dict)  # the open language's, as made now
    _lang: str = ""
    _changed: bool = False  # a page made, or one the memo had left out
    _shared: str = ""
    _read_pages: bool = False
    _part: str = ""  # the open language's part: the digest of its pages' keys

    def open(self, lang: str, pages: set[str]) -> None:
        """Start the pages of `lang`; `pages`: the English pages there are (links to others stay as
        written). The memo of its pages is read when a page is asked for."""
        self._lang, self._new, self._changed, self._kept = lang, {}, False, {}
        self._shared = _digest(self.context, lang, sorted(pages))
        self._read_pages = False

    def _pages(self) -> dict[str, dict[str, Any]]:
        if not self._read_pages:
            self._read_pages = True
            with contextlib.suppress(Exception):  # a memo that cannot be read is no memo
                data = json.loads((self.folder / f"{self._lang}.json").read_text(encoding="utf-8"))
                if data["shared"] == self._shared and all(_whole(kept) for kept in data["pages"].values()):
                    self._kept = data["pages"]
        return self._kept

    # -- a language's whole part --------------------------------------------------------------------------
    def whole_part(self, keys: list[tuple[str, str]]) -> WholePart | None:
        """The open language's part as the build whose site is in place wrote it, if its pages' `keys`
        (docs path, key) are those it was made from, its docs files are as it wrote them and the site in
        place has its site files (of their sizes)."""
        self._part = _digest(self._shared, keys)
        with contextlib.suppress(Exception):  # a part that cannot be read, or a file that is not there
            data = json.loads((self.folder / f"{self._lang}.part.json").read_text(encoding="utf-8"))
            if data["key"] == self._part and self.in_place and data["build"] == self.in_place and self.site:
                for path, seen in data["docs"].items():
                    info = os.stat(self.docs / path)
                    if [info.st_size, info.st_mtime_ns] != seen:
                        return None
                for name, size in data["part"]["site_files"].items():
                    if os.lstat(self.site / name).st_size != size:
                        return None
                part = WholePart(**data["part"])
                part.catalog = [((str(at[0]), int(at[1])), str(line)) for at, line in part.catalog]  # JSON's
                return part
        return None

    def save_part(self, part: WholePart) -> None:
        """The open language's part, once its files are in the docs folder, as this build wrote it."""
        docs = {}
        for path in part.pages:
            info = os.stat(self.docs / path)
            docs[path] = [info.st_size, info.st_mtime_ns]
        data = {"key": self._part, "build": self.build, "docs": docs, "part": dataclasses.asdict(part)}
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False)
        write_file(self.folder / f"{self._lang}.part.json", text, durable=False)

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
        english = self._file(state.english) if state.shown(self._lang) is state.english else self._read(state)
        files = [english, *(self._file(t.file) for t in state.translations.values() if t.file is not None)]
        where = diffs_of.english.path.as_posix()
        return _digest(self._shared, files, self._successor(successor), changes, sorted(versions), where)

    def _read(self, state: SopState) -> str:
        """What a page that shows a translation reads of the English file: not its prose (soplib.audit.forms
        reads the English criteria and, where the translation's do not match, the English steps' leads)."""
        english, project = state.english, self.project
        found = self._seen.get(english.path.as_posix())
        if found is None:
            source = project.source_language
            name = project.section_name("quality-checks", source)
            scorecard = criteria.read(english.document, source, name, project.scorecard_terms).criteria
            checks = [(c.key, c.name, c.steps, c.fatal, c.looks_for, c.condition) for c in scorecard]
            heading = procedure.procedure_heading(english.document, project.section_name("procedure", source))
            leads = procedure.leads(english.document, heading) if heading else {}
            found = _digest(english.path.as_posix(), english.meta, checks, leads)
            self._seen[english.path.as_posix()] = found
        return found

    def _successor(self, state: SopState | None) -> tuple[str, ...] | None:
        """What the page of an SOP shows of its successor (its banner and notes): id, place, title."""
        if state is None:
            return None
        shown = state.shown(self._lang)
        return (state.sop_id, state.english.path.as_posix(), state.title(self._lang), shown.lang)

    def get(self, path: str, key: str) -> Made | None:
        """The entry and copy of the page at `path` (docs path) if it is made from `key` and its docs file
        is as the memo saw it."""
        kept = self._pages().get(path)
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
        self._pages()
        self._new[path] = {"key": key, "entry": made[0], "copy": made[1]}
        self._changed = True
        return made

    def save(self) -> None:
        """Once the open language's pages are in the docs folder: each one's file as it is now (when every
        page was taken as it was, or the part was, the memo is as it was)."""
        if not self._read_pages or (not self._changed and self._new.keys() == self._kept.keys()):
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
            found = self._files[sop.path.as_posix()] = _digest(sop.path.as_posix(), sop.digest)
        return found


def _whole(kept: Any) -> bool:
    """A page of the memo as `save` writes it (not one cut or changed by hand)."""
    return isinstance(kept, dict) and {"key", "entry", "copy", "file"} <= kept.keys()
