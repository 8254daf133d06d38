"""The decorated docs tree: every page of the site, in every language, as Markdown any site generator
renders (mkdocs-static-i18n's suffix structure: page.md, page.es.md, page.pt.md), made from the core's state
and nothing else. The generator only renders it; diff pages are made apart (soplib.publish.diffs)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from soplib import changelog
from soplib.assistant import site_base_url
from soplib.core.errors import SopError
from soplib.core.output import write_file
from soplib.core.state import SopState
from soplib.diff.sources import Texts
from soplib.load.library import FileKind, Library, load_library
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.catalog import CatalogLine, catalog_lines, catalog_text
from soplib.publish.changes import change_pages
from soplib.publish.copies import assistant_files, sop_copy, successor_of
from soplib.publish.diffs import diff_url, versions_with_pages
from soplib.publish.extras import language_files
from soplib.publish.indexes import index_pages
from soplib.publish.memo import SopMemo, WholePart
from soplib.publish.page import docs_path, sop_page
from soplib.repo.history import History, optional_history

ASSETS = Path(__file__).parent / "assets"  # the site's own CSS and scripts, copied to assets/sop/
NO_SEARCH = "search:\n  exclude: true\n"  # Material's own index stays empty: Pagefind indexes the site


@dataclass
class Tree:
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown
    kept: set[str] = field(default_factory=set)  # docs paths of pages in the docs folder as they are
    files: dict[str, Path] = field(default_factory=dict)  # docs path -> a file copied as it is
    diffs: list[tuple[SopState, str]] = field(default_factory=list)  # (SOP, language) with diff pages
    sop_pages: list[str] = field(default_factory=list)  # docs paths of the SOP pages (search indexes them)
    site_files: dict[str, str] = field(default_factory=dict)  # added to the built site as they are
    kept_files: set[str] = field(default_factory=set)  # site files the site in place has as they are made
    navigation: dict[str, str] = field(default_factory=dict)  # the pages at the top: their front matter

    def add(self, part: Tree) -> None:
        """A part added; a path an earlier part has keeps its text (see DocsFolder.write)."""
        self.pages |= {path: text for path, text in part.pages.items() if path not in self.pages}
        self.kept |= part.kept
        self.files |= {path: file for path, file in part.files.items() if path not in self.files}
        self.diffs += part.diffs
        self.sop_pages += part.sop_pages
        self.site_files.update(part.site_files)


def publish_day() -> date:
    """The day the site is made on (recent changes, What's new): today, or the day of SOURCE_DATE_EPOCH
    (reproducible-builds.org) when it is set, so that a site can be made again as it was on that day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise SopError(f"SOURCE_DATE_EPOCH is {epoch!r}: it must be whole seconds since 1970-01-01") from None


def build_tree(library: Library, history: History | None, today: date, preview: bool = False) -> Tree:
    """The whole tree; a preview (an SME's `sop serve`) shows drafts too."""
    tree = Tree()
    for part in tree_parts(library, history, today, preview):
        tree.add(part)
    return tree


def shown_states(library: Library, preview: bool = False) -> list[SopState]:
    """The SOPs the site shows: the published ones, and drafts in a preview."""
    return [s for s in library.state.sops if s.lifecycle.published or preview]


def diff_versions(texts: Texts, states: list[SopState]) -> dict[tuple[str, str], set[str]]:
    """The versions of each (SOP id, language) that have a diff page."""
    languages = texts.project.languages
    return {(s.sop_id, lang): set(versions_with_pages(texts, s, lang)) for s in states for lang in languages}


def tree_parts(
    library: Library,
    history: History | None,
    today: date,
    preview: bool = False,
    memo: SopMemo | None = None,
) -> Iterator[Tree]:
    """The tree in parts made in turn, one language each, then what the languages share (catalog.json,
    the pages written by hand, the assets): a build writes each part and lets it go before the next (and
    then saves the `memo`, whose pages are not made again: a part lists them in `kept`)."""
    project = library.project
    source = project.source_language
    states = shown_states(library, preview)
    by_id = {s.sop_id: s for s in states}
    texts = Texts(library, history)
    shared = Tree()
    english = {docs_path(s, source, source) for s in states} | _landing(library, shared)
    with_pages = diff_versions(texts, states)
    base = site_base_url(project.root)
    published: list[CatalogLine] = []
    for lang in project.languages:
        if memo is not None:
            memo.open(lang, english)
        diff_page = functools.partial(_diff_page, with_pages, by_id, lang, source)
        pages = [_SopPage(library, texts, state, lang, with_pages, memo, by_id) for state in states]
        whole = memo.whole_part([(page.path, page.key) for page in pages]) if memo is not None else None
        if memo is not None and whole is not None:  # no page of the language changed: it is the one in place
            published += whole.catalog
            yield _kept_part(whole, {page.path: page.state for page in pages}, lang)
            memo.save_part(whole)  # as this build's
            continue
        part = Tree()
        made = []
        for page in pages:
            state, path = page.state, page.path
            kept = memo.get(path, page.key) if memo is not None else None
            if kept is None:
                part.pages[path] = sop_page(
                    project, state, lang, english, page.successor, page.changes, diff_page
                )
                kept = sop_copy(project, state, lang, english, base, page.successor)
                if memo is not None:
                    memo.put(path, page.key, kept)
            else:
                part.kept.add(path)
            made.append((state, *kept))
            part.sop_pages.append(path)
            if page.versions:
                part.diffs.append((state, lang))
        part.pages.update(index_pages(project, states, lang))
        entries = changelog.entries(library, history, lang, drafts=preview)
        part.pages.update(change_pages(project, entries, lang, today, diff_page))
        part.site_files.update(language_files(texts, states, entries, lang, today, diff_page))
        # the Markdown copies and llms.txt; catalog.json (also the mark of a site `sop build` made) is shared
        files, found = assistant_files(project, made, lang, base)
        part.site_files.update(files)
        part.navigation = navigation(part.pages)
        lines = catalog_lines(project, found)
        published += lines
        written = _whole(part, [page.path for page in pages if page.versions], lines)
        yield part
        if memo is not None:
            memo.save()  # the part is in the docs folder now
            memo.save_part(written)
    for asset in ASSETS.iterdir():
        shared.files[f"assets/sop/{asset.name}"] = asset
    shared.site_files["catalog.json"] = catalog_text(published)
    yield shared


class _SopPage:
    """An SOP's page in one language: what it is made from, and the memo's key of that."""

    def __init__(
        self,
        library: Library,
        texts: Texts,
        state: SopState,
        lang: str,
        with_pages: dict[tuple[str, str], set[str]],
        memo: SopMemo | None,
        by_id: dict[str, SopState],
    ) -> None:
        source = library.project.source_language
        self.state, self.path = state, docs_path(state, lang, source)
        self.versions = with_pages[(state.sop_id, lang)]
        self.successor = successor_of(library, state)
        self.changes = texts.changes(state.sop_id, lang)
        diffs_of = by_id[state.sop_id]
        self.key = memo.key(state, self.successor, self.changes, self.versions, diffs_of) if memo else ""


def navigation(pages: dict[str, str]) -> dict[str, str]:
    """The pages at the top of the tree (home, teams, browse, changes: the navigation) and their front
    matter, which holds their titles."""
    return {path: text.split("\n---", 1)[0] for path, text in pages.items() if "/" not in path}


def _whole(part: Tree, with_diffs: list[str], lines: list[CatalogLine]) -> WholePart:
    """What a later build needs of `part` to take it as it is."""
    pages = [*part.sop_pages, *(path for path in part.pages if path not in part.sop_pages)]
    site = {name: len(text.encode("utf-8")) for name, text in part.site_files.items()}
    return WholePart(pages, list(part.sop_pages), with_diffs, dict(part.navigation), site, lines)


def _kept_part(whole: WholePart, states: dict[str, SopState], lang: str) -> Tree:
    """A part taken as it is: its docs files are in the docs folder, its site files in the site in place."""
    part = Tree(kept=set(whole.pages), sop_pages=list(whole.sop_pages), navigation=dict(whole.navigation))
    part.diffs = [(states[path], lang) for path in whole.diffs]
    part.kept_files = set(whole.site_files)
    return part


def _diff_page(
    with_pages: dict[tuple[str, str], set[str]],
    by_id: dict[str, SopState],
    lang: str,
    source: str,
    sop_id: str,
    version: str,
) -> str | None:
    """The URL of the diff page of one version of an SOP in `lang`, if it has one."""
    found = version in with_pages.get((sop_id, lang), set())
    return diff_url(by_id[sop_id], version, lang, source) if found else None


def _landing(library: Library, tree: Tree) -> set[str]:
    """The pages written by hand at the top of sops/ (index.md …) and the attachments: copied as they are,
    a page with Material's index turned off."""
    found = set()
    for path in library.published():
        relative = path.as_posix()
        kind = library.files.get(Path(SOPS_DIR) / path)
        if kind is FileKind.PAGE:
            text = (library.project.sops_dir / path).read_text(encoding="utf-8")
            front = text.startswith("---\n")
            text = (
                text.replace("---\n", "---\n" + NO_SEARCH, 1) if front else f"---\n{NO_SEARCH}---\n\n{text}"
            )
            tree.pages[relative] = text
            found.add(relative)
        elif kind is FileKind.ATTACHMENT:
            tree.files[relative] = library.project.sops_dir / path
    return found


def write_tree(tree: Tree, folder: Path) -> tuple[set[str], set[str]]:
    """Write the tree into `folder` (see DocsFolder): the docs paths written, and those removed."""
    docs = DocsFolder(folder)
    docs.write(tree)
    return docs.finish()


class DocsFolder:
    """A docs folder written part by part, touching only what changed (a file that is the same keeps its
    time, so a generator's incremental build skips it); `finish` removes what no part had.

    With `pending` (a file beside it), each path is noted there before it changes, and the paths noted by
    builds before this one count as changed by it: a build stopped or killed after changing the folder
    leaves its changes to the next one (whoever puts a site rendered from the folder in place empties it)."""

    def __init__(self, folder: Path, pending: Path | None = None) -> None:
        self.folder = folder
        self.wanted: set[str] = set()
        self.written: set[str] = set()
        self.pending = pending
        self.earlier = set(_lines(pending)) if pending is not None else set()
        self._notes: TextIO | None = None

    def write(self, part: Tree) -> None:
        """A part's pages and files; a path an earlier part wrote keeps that one (the generated pages come
        before the pages written by hand, which cannot replace them)."""
        self.wanted |= part.kept  # made from what they were made from before: the same
        for relative, data in _contents(part):
            if relative in self.wanted:
                continue
            self.wanted.add(relative)
            target = self.folder / relative
            if not (target.is_file() and target.read_bytes() == data):
                self._note(relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, data, durable=False)
                self.written.add(relative)

    def finish(self) -> tuple[set[str], set[str]]:
        """The docs paths changed (written, or noted by an earlier build), and those removed."""
        removed = {path for path in self.earlier if path not in self.wanted}
        for path in sorted(self.folder.rglob("*"), reverse=True):
            relative = path.relative_to(self.folder).as_posix()
            if not path.is_dir() and relative not in self.wanted:
                self._note(relative)
                path.unlink()
                removed.add(relative)
            elif path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
                path.rmdir()
        if self._notes is not None:
            self._notes.close()
        return self.written | (self.earlier & self.wanted), removed

    def _note(self, relative: str) -> None:
        if self.pending is None or relative in self.earlier:
            return
        if self._notes is None:
            self.pending.parent.mkdir(parents=True, exist_ok=True)
            self._notes = self.pending.open("a", encoding="utf-8")
        self._notes.write(relative + "\n")
        self._notes.flush()  # with the system before the change: a kill cannot lose it
        self.earlier.add(relative)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _contents(part: Tree) -> Iterator[tuple[str, bytes]]:
    for relative, text in part.pages.items():
        yield relative, text.encode("utf-8")
    for relative, source in part.files.items():
        yield relative, source.read_bytes()


def write_docs(project: Project, folder: Path, today: date, preview: bool = False) -> Tree:
    """Read the library and its history and write its tree into `folder` (`sop tree`, plain `mkdocs`)."""
    library = load_library(project, bodies=True)
    tree = build_tree(library, optional_history(project), today, preview)
    write_tree(tree, folder)
    return tree
