"""What `sop mcp` answers: the library and its git history as an AI assistant needs them.

Each answer is plain data (its `markdown()` is what the assistant reads), in the caller's language where
the library has the text, else in English with a flag that says so; every answer names the SOP id, version
and URL so that the assistant can cite it; drafts are never returned; bad arguments raise SopError with
what to do. Read-only: nothing here writes a file.

    context = Context.open(Path.cwd(), date.today())
    search(context, "devolucion", "es")                 # soplib.assistant.sops
    get_sop(context, "cs 1", "es", on="2026-10-03")
    changes_since(context, "2026-10-01", "pt")          # soplib.assistant.changes
    diff(context, "SOP-CS-001", "es", None, None)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import yaml

from soplib.core.errors import SopError
from soplib.core.state import SopState
from soplib.dates import ask_for_iso, iso_date, reject_other_formats
from soplib.diff.sources import Texts
from soplib.load.library import Library, load_library
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.urls import page_url
from soplib.repo.git import Git
from soplib.repo.history import History, read_history
from soplib.search.library import expand_query


@dataclass
class Context:
    """One question's view of the library: loaded when asked, so an answer is never older than the files."""

    library: Library
    today: date
    base_url: str  # the site's address (mkdocs.yml `site_url`), or "" for URLs relative to the site root

    @classmethod
    def open(cls, start: Path, today: date) -> Context:
        project = Project.discover(start)
        return cls(load_library(project), today, site_base_url(project.root))

    @property
    def project(self) -> Project:
        return self.library.project

    @cached_property
    def history(self) -> History:
        return read_history(Git(self.project.root), self.project)

    @cached_property
    def texts(self) -> Texts:
        return Texts(self.library, self.history)

    def language(self, lang: str | None) -> str:
        lang = lang or self.project.source_language
        self.project.check_language(lang)
        return lang

    def published(self, sop_id: str) -> SopState:
        """The SOP with this id (typed as agents type it: "cs 1" is SOP-CS-001); a draft is not published."""
        wanted = expand_query(sop_id).upper()
        state = self.library.state.by_id.get(wanted)
        if state is None:
            known = [s.sop_id for s in self.library.state.published()]
            close = difflib.get_close_matches(wanted, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else " (ids look like SOP-APL-001)"
            raise SopError(f"unknown SOP id {sop_id!r}: no published SOP has it{hint}")
        if not state.lifecycle.published:
            raise SopError(f"{wanted} is a draft: it is not published, so it cannot be shown")
        return state

    def url(self, english_path: str, lang: str) -> str:
        """The address of an SOP's page in `lang`, from the path of its English file."""
        docs_path = english_path.removeprefix(f"{SOPS_DIR}/")
        return self.base_url + page_url(docs_path, lang, self.project.source_language)

    def sop_url(self, state: SopState, lang: str) -> str:
        return self.url(state.english.path.as_posix(), lang)


def site_base_url(root: Path) -> str:
    """mkdocs.yml's `site_url`, ending in "/", or "" when it is not set (URLs are then relative to the
    site's root, as in catalog.json)."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    url = config.get("site_url") if isinstance(config, dict) else None
    return url.rstrip("/") + "/" if isinstance(url, str) and url.strip() else ""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (!ENV, !!python/name: ...): only site_url is wanted."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def day_of(text: str, what: str, project: Project) -> str:
    """A YYYY-MM-DD date given by the caller; anything else, a message that says how to write it."""
    text = text.strip()
    found = iso_date(what, text)
    if found is None:
        reject_other_formats(text, project.languages)
        raise SopError(f"{what} {text!r}: {ask_for_iso()}")
    return found
