"""The site's state for one build: the library, the generated pages, and what each SOP page gets on top.

The MkDocs plugin hands every event to this object; nothing here imports MkDocs.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
from datetime import date
from functools import cached_property
from pathlib import Path

from soplib.core.model import Sop
from soplib.core.state import Lifecycle
from soplib.diff.execute import version_diff_html
from soplib.diff.html import STYLE as DIFF_STYLE
from soplib.diff.sources import Texts
from soplib.lint import LintResult, lint
from soplib.load.library import Library, load_library
from soplib.load.project import Project
from soplib.publish.body import body_markdown
from soplib.repo.history import optional_history
from soplib.site import pages


def fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Changes when a file under `folder` is added, removed or edited (for `mkdocs serve` rebuilds)."""
    return tuple(
        sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file())
    )


class SiteManager:
    def __init__(
        self, project: Project, today: date, languages: list[str] | None = None, preview: bool = False
    ) -> None:
        self.preview = preview  # an SME's preview (`sop serve`): drafts shown, marked as such
        self.project = project
        # the languages whose pages this build makes (`sop build` builds each language in its own process)
        self.languages = languages or project.languages
        self.library: Library = load_library(project)
        self.today = today
        self.by_path = {sop.path.as_posix(): sop for sop in self.library.sops}
        self.groups = self.library.groups()
        self.ids = {g.english.sop_id: g for g in self.groups.values() if g.english and g.english.sop_id}
        self.history = optional_history(project)
        # every version's text and change entries, for the history tables and the diff pages
        self.texts = Texts(self.library, self.history)
        self.overlay: Path | None = None
        # the docs paths of the English pages, to point links at the reader's language
        self.pages = {sop.path.as_posix().removeprefix("sops/") for sop in self.library.english()} | {
            path.relative_to(project.sops_dir).as_posix() for path in project.sops_dir.glob("*.md")
        }

    def lint(self) -> LintResult:
        return lint(self.library, self.today)

    # -- the docs folder MkDocs reads: the SOPs as they are, plus the generated pages ------------------------
    def generated_pages(self) -> dict[str, str]:
        project, result = self.project, {}
        for lang in self.languages:
            suffix = "" if lang == project.source_language else f".{lang}"
            items = pages.entries(self.library, lang)
            result[f"teams{suffix}.md"] = pages.teams_page(project, items, lang)
            for team in project.allowed_values("team"):
                result[f"teams/{team}{suffix}.md"] = pages.team_page(project, items, team, lang)
            result[f"browse{suffix}.md"] = pages.browse_page(project, items, lang)
            for facet in pages.FACETS:
                for value in project.allowed_values(facet):
                    result[f"browse/{facet}-{value.lower()}{suffix}.md"] = pages.facet_page(
                        project, items, facet, value, lang
                    )
            result[f"changes{suffix}.md"] = pages.changes_page(
                project, self.library, self.history, lang, self.today
            )
        for (key, version, lang), fragment in self.diffs.items():
            suffix = "" if lang == project.source_language else f".{lang}"
            sop_id = str(self.groups[key].english.sop_id)  # type: ignore[union-attr]
            result[f"{pages.diff_path(key, version)}{suffix}.md"] = pages.diff_page(
                project, sop_id, version, lang, fragment
            )
        return result

    @cached_property
    def diffs(self) -> dict[tuple[str, str, str], str]:
        """(SOP key, version, language) -> what changed since the version before, as HTML, for every
        version whose texts are in the git history (none without a history)."""
        if self.history is None:
            return {}
        texts = self.texts
        versions = [
            (state.english, change.version)
            for state in self.library.state.sops
            if state.lifecycle.published or self.preview
            for change in state.changes
        ]
        languages = self.languages
        texts.prefetch((str(sop.sop_id), lang, version) for sop, version in versions for lang in languages)
        found = {}
        for sop, version in versions:
            for lang in languages:
                fragment = version_diff_html(texts, str(sop.sop_id), version, lang)
                if fragment is not None:
                    found[(sop.key, version, lang)] = fragment
        return found

    def build_overlay(self, assets: Path) -> Path:
        """A folder linking the files of sops/ that the site publishes (SOPs, pages, attachments: regular
        files, never a link), plus the generated pages; sops/ itself is never written."""
        self.remove_overlay()
        overlay = Path(tempfile.mkdtemp(prefix="sop-site-"))
        for published in self.library.published():
            if (self.project.sops_dir / published) in self.drafts:
                continue  # not in force: only an SME's preview shows it
            target = overlay / published
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(self.project.sops_dir / published)
        for relative, text in self.generated_pages().items():
            path = overlay / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        shutil.copytree(assets, overlay / "assets" / "sop")
        (overlay / "assets" / "sop" / "diff.css").write_text(DIFF_STYLE, encoding="utf-8")
        self.overlay = overlay
        return overlay

    @cached_property
    def drafts(self) -> set[Path]:
        """The files of draft SOPs (all their languages): left out of the site unless previewing."""
        if self.preview:
            return set()
        files = [
            sop
            for state in self.library.state.sops
            if state.lifecycle is Lifecycle.DRAFT
            for sop in (state.english, *(t.file for t in state.translations.values() if t.file))
        ]
        return {self.project.root / sop.path for sop in files}

    def remove_overlay(self) -> None:
        if self.overlay is not None:
            shutil.rmtree(self.overlay, ignore_errors=True)
            self.overlay = None

    # -- every SOP page --------------------------------------------------------------------------------
    def sop_for(self, src_uri: str) -> Sop | None:
        return self.by_path.get(f"sops/{src_uri}")

    def decorate(self, markdown: str, src_uri: str, lang: str, page_url: str) -> str:
        """The page's Markdown with the metadata header and banners on top and the history below."""
        shown = self.sop_for(src_uri)
        if shown is None:
            return markdown
        group = self.groups[shown.key]
        english = group.english
        if english is None:
            return markdown
        english_url = _relative_url(page_url, _english_url(english))
        successor = self._successor(english)
        state = self.library.state.by_id[str(english.sop_id)]
        top = [
            pages.sop_header(self.project, english, shown, lang),
            pages.sop_banners(self.project, state, lang, english_url, successor),
        ]
        diffs = self.diffs

        def diff_link(version: str) -> str | None:
            if (english.key, version, lang) not in diffs:
                return None
            return posixpath.relpath(f"{pages.diff_path(english.key, version)}.md", english.folder)

        history = pages.history_section(
            self.project, self.texts.changes(str(english.sop_id), lang), lang, diff_link
        )
        body = body_markdown(self.project, shown, lang, self.pages)
        return "\n\n".join(part for part in (*top, body, history) if part) + "\n"

    def wrap_for_search(self, content: str, src_uri: str, lang: str) -> str:
        """An SOP page's HTML inside the markup that tells Pagefind what to index; other pages unchanged."""
        shown = self.sop_for(src_uri)
        english = self.groups[shown.key].english if shown else None
        if shown is None or english is None:
            return content
        before, after = pages.search_wrapper(self.project, english, shown, lang)
        return before + content + after

    def _successor(self, english: Sop) -> tuple[str, str, str] | None:
        successor_id = english.meta.get("superseded_by")
        if not isinstance(successor_id, str) or successor_id not in self.ids:
            return None
        group = self.ids[successor_id]
        title = str(group.english.meta.get("title")) if group.english else successor_id
        return successor_id, title, posixpath.relpath(f"{group.key}.md", english.folder)


def _english_url(english: Sop) -> str:
    return english.path.as_posix().removeprefix("sops/").removesuffix(".md") + "/"


def _relative_url(page_url: str, target_url: str) -> str:
    return posixpath.relpath(target_url, page_url or ".") + "/"
