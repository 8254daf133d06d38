"""The files a built site gets beside its pages (soplib.publish.copies.assistant_files, and
soplib.publish.extras.language_files in each language), made as build_tree makes them once its hook lines call
them, and written as `sop build` writes a tree's site_files. Until those lines are in build_tree, tests add
the files to a built site with `add_to_site`; afterwards `sop build` writes them itself and this module can go
(the published_site fixture then is built_site)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from soplib import changelog
from soplib.diff.sources import Texts
from soplib.load.library import FileKind, load_library
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.copies import assistant_files
from soplib.publish.diffs import diff_url, versions_with_pages
from soplib.publish.extras import language_files
from soplib.publish.page import docs_path
from soplib.repo.history import optional_history


def extra_files(root: Path, today: date) -> dict[str, str]:
    """Site path -> text, for the library at `root`, as build_tree's hook makes them."""
    project = Project.discover(root)
    library = load_library(project, bodies=True)
    history = optional_history(project)
    texts = Texts(library, history)
    source = project.source_language
    states = [state for state in library.state.sops if state.lifecycle.published]
    by_id = {state.sop_id: state for state in states}
    landing = {p.as_posix() for p, kind in library.files.items() if kind is FileKind.PAGE}
    english = {docs_path(s, source, source) for s in states} | {
        p.removeprefix(f"{SOPS_DIR}/") for p in landing
    }
    files = assistant_files(library, states, english)
    for lang in project.languages:
        with_pages = {s.sop_id: set(versions_with_pages(texts, s, lang)) for s in states}

        def diff_page(
            sop_id: str, version: str, lang: str = lang, found: dict[str, set[str]] = with_pages
        ) -> str | None:
            return diff_url(by_id[sop_id], version, lang, source) if version in found[sop_id] else None

        entries = changelog.entries(library, history, lang)
        files.update(language_files(texts, states, entries, lang, today, diff_page))
    return files


def add_to_site(root: Path, site: Path, today: date) -> dict[str, str]:
    """Write the extra files of the library at `root` into its built site; the files written."""
    files = extra_files(root, today)
    for name, text in files.items():
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return files
