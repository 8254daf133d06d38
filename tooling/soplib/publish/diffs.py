"""Every version's diff page, in every language: a small page of its own (the redline, and links to the SOP
and to the versions before and after) made here, not by the site generator: there are tens of thousands of
them. Each SOP's pages are kept in a cache under a key of everything they show, so a build makes again only
the pages of the SOPs that changed."""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from soplib.core.state import SopState
from soplib.diff.execute import shown_language, version_diff
from soplib.diff.html import STYLE, render_fragment
from soplib.diff.sources import Texts
from soplib.load.project import SOPS_DIR, Project
from soplib.publish import csp
from soplib.publish.urls import relative_url

DIFFS = "diffs"
BATCH = 60  # (SOP, language) pairs whose texts are read at once: small enough to share among processes


def _code_digest() -> str:
    """A digest of the code that makes the pages: a cached page made by other code is never used."""
    files = [Path(__file__), *sorted((Path(__file__).parents[1] / "diff").glob("*.py"))]
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:16]


FORMAT = _code_digest()
CSS = f"{DIFFS}/diff.css"


def diff_url(state: SopState, version: str, lang: str, source: str) -> str:
    """The URL (from the site root) of the diff page of `version` in `lang`."""
    return f"{diff_folder(state, lang, source)}{version}/"


def diff_folder(state: SopState, lang: str, source: str) -> str:
    """The URL (from the site root) of the folder of the diff pages of `state` in `lang`, one per version."""
    key = state.english.path.as_posix().removeprefix(f"{SOPS_DIR}/").removesuffix(".md")
    return ("" if lang == source else f"{lang}/") + f"{DIFFS}/{key}/"


def versions_with_pages(texts: Texts, state: SopState, lang: str) -> list[str]:
    """The versions of `state` that have a diff page in `lang`, oldest first (reads no text)."""
    found = [c.version for c in state.changes if shown_language(texts, state.sop_id, c.version, lang)]
    return sorted(found, key=lambda v: next(c.number for c in state.changes if c.version == v))


class DiffPages:
    """Makes and caches the diff pages of one library: one folder per SOP and language, named by a digest
    of everything its pages show, holding one `<version>.html` per version."""

    def __init__(self, texts: Texts, cache: Path, config: str) -> None:
        self.texts = texts
        self.cache = cache  # shared by every build of the library (see soplib.site.finish)
        self.config = config  # a digest of what every page depends on besides its SOP: ui.yml
        self._keys: dict[tuple[str, str], str] = {}
        self._history: dict[tuple[str, str], str] = {}

    @property
    def project(self) -> Project:
        return self.texts.project

    def folder(self, state: SopState, lang: str) -> Path:
        if (state.sop_id, lang) not in self._keys:
            self._keys[(state.sop_id, lang)] = self._key(state, lang)
        return self.cache / self._keys[(state.sop_id, lang)]

    def _key(self, state: SopState, lang: str) -> str:
        """A digest of everything the SOP's pages in `lang` show: its files, its versions in git (their
        blobs and days), the interface's strings and the pages' format."""
        sides = {side: self._records(state.sop_id, side) for side in (lang, self.project.source_language)}
        translation = state.translations.get(lang)
        files = [state.english.digest, translation.file.digest if translation and translation.file else None]
        text = json.dumps([FORMAT, self.config, lang, files, sides], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _records(self, sop_id: str, side: str) -> str:
        """A digest of the versions of the SOP's file in `side` in git (their blobs and days), worked out
        once (the English file's are in the key of each language's pages)."""
        if (sop_id, side) not in self._history:
            past = self.texts.history.of(sop_id, side) if self.texts.history else None
            records = [(r.version, r.blob, r.commit.day) for r in past.versions] if past else []
            text = json.dumps(records, default=str)
            self._history[(sop_id, side)] = hashlib.sha256(text.encode()).hexdigest()
        return self._history[(sop_id, side)]

    def cached(self, state: SopState, lang: str) -> bool:
        return self.folder(state, lang).is_dir()

    def prefetch(self, wanted: list[tuple[SopState, str]]) -> None:
        """Read every text the pages of `wanted` compare with one `git cat-file`."""
        texts, source = self.texts, self.project.source_language
        texts.prefetch(
            (state.sop_id, side, version)
            for state, lang in wanted
            for side in dict.fromkeys((lang, source))
            for version in texts.versions(state.sop_id, side)
        )

    def make(self, state: SopState, lang: str) -> int:
        """Make the SOP's pages in `lang` unless they are cached; how many pages were made."""
        folder = self.folder(state, lang)
        if folder.is_dir():
            return 0
        work = folder.with_name(folder.name + f".{os.getpid()}.tmp")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        versions = versions_with_pages(self.texts, state, lang)
        for index, version in enumerate(versions):
            around = (
                versions[index - 1] if index else None,
                versions[index + 1] if index + 1 < len(versions) else None,
            )
            # a plain write: the folder is new, and appears whole in the cache by one rename below
            (work / f"{version}.html").write_text(self.page(state, version, lang, around), encoding="utf-8")
        try:
            os.rename(work, folder)  # whole or not there: a build killed half-way leaves no half entry
        except OSError:  # another build made it meanwhile
            shutil.rmtree(work, ignore_errors=True)
        return len(versions)

    def versions(self, state: SopState, lang: str) -> list[str]:
        """The versions of `state` with a diff page in `lang`."""
        return versions_with_pages(self.texts, state, lang)

    def batches(self, pairs: list[tuple[SopState, str]]) -> list[list[tuple[SopState, str]]]:
        """The pairs whose pages are not in the cache yet, in batches of SOPs: a batch's texts are read by
        one `git cat-file`, an SOP's languages in one batch (its English texts read once)."""
        todo = sorted(
            ((state, lang) for state, lang in pairs if not self.cached(state, lang)),
            key=lambda pair: pair[0].sop_id,
        )
        return [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]

    def make_batch(self, batch: list[tuple[SopState, str]], made: Callable[[int], None]) -> None:
        """The pages of a batch; `made` is told how many pages each SOP's made."""
        self.prefetch(batch)
        for state, lang in batch:
            made(self.make(state, lang))
        self.texts.forget()  # the texts of this batch: no other page compares them

    def page(self, state: SopState, version: str, lang: str, around: tuple[str | None, str | None]) -> str:
        diff = version_diff(self.texts, state.sop_id, version, lang)
        assert diff is not None
        project, source = self.project, self.project.source_language
        here = diff_url(state, version, lang, source)
        names = project.language_names
        links = [
            _link(relative_url(here, _page(state, lang, source)), f"← {state.sop_id} · {state.title(lang)}")
        ]
        for rel, other, label in (("prev", around[0], "diff_previous"), ("next", around[1], "diff_next")):
            if other:
                url = relative_url(here, diff_url(state, other, lang, source))
                links.append(_link(url, project.text(label, lang, version=other), rel=rel))
        others = " ".join(
            _link(
                relative_url(here, diff_url(state, version, o, source)), names.get(o, o), hreflang=o, lang=o
            )
            for o in project.languages
            if o != lang
        )
        title = project.text("diff_page_title", lang, sop_id=state.sop_id, version=version)
        home = relative_url(here, "" if lang == source else f"{lang}/") or "./"
        return (
            f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp.DIFF_PAGE_POLICY}">\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<link rel="stylesheet" href="{html.escape(relative_url(here, CSS))}">\n</head>\n'
            f'<body class="sop-diff-page">\n<nav class="sop-diff-page__nav"><a href="{html.escape(home)}">'
            f"{html.escape(project.text('site_name', lang))}</a> · {' · '.join(links)}"
            f'<span class="sop-diff-page__languages">{others}</span></nav>\n<main>\n'
            f"<h1>{html.escape(title)}</h1>\n{render_fragment(diff, project, lang)}\n"
            "</main>\n</body>\n</html>\n"
        )


def _link(url: str, text: str, **attributes: str) -> str:
    more = "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items())
    return f'<a href="{html.escape(url)}"{more}>{html.escape(text)}</a>'


def _page(state: SopState, lang: str, source: str) -> str:
    key = state.english.path.as_posix().removeprefix(f"{SOPS_DIR}/").removesuffix(".md")
    return ("" if lang == source else f"{lang}/") + f"{key}/"


PAGE_STYLE = """\
.sop-diff-page { margin: 0; background: #fff;
  font-family: system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
.sop-diff-page h1 { font-size: 1.6rem; font-weight: 400; margin: .5rem 0 1rem; }
.sop-diff-page__nav { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: baseline;
  padding: .7rem 1rem; background: #303fa1; color: #fff;
  font: 0.95rem/1.4 system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
.sop-diff-page__nav a { color: #fff; }
.sop-diff-page__languages { margin-left: auto; display: flex; gap: .8rem; }
.sop-diff-page main { padding: 1rem; }
@media print { .sop-diff-page__nav { display: none; } }
"""


def stylesheet() -> str:
    """The diff pages' one stylesheet (written once at diffs/diff.css)."""
    return STYLE + PAGE_STYLE
