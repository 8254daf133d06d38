"""`sop build` from the decorated tree to the site in place: rendered, diff pages added, indexed, swapped.

The tree is written to the build's docs folder a language at a time (only what changed); the generator
renders it in a process of its own while this one makes the diff pages that are not cached yet; Pagefind
indexes the SOP pages.

A build starts from the site in place: the site it replaced, kept beside it (`.<site>.previous`), is brought
up to date by linking the files that differ (hard links), and the generator renders again only the pages
whose Markdown is newer than their HTML, writing each as a new file, so the site in place is never written.
A fingerprint of what every page depends on besides its own Markdown (the generator's version, mkdocs.yml,
the navigation) makes any other change a full build.

Whatever moment the build is killed at, the site folder holds the whole old site or the whole new one:
everything is made in a work folder beside it (`sop-build-<site>-XXXXXXXX`, on the same file system) and
the finished site takes the old one's place in one rename (renameat2 RENAME_EXCHANGE). A lock beside the
site folder lets one build at a time write it; a second one waits. The build runs in a process group of
its own that dies with the `sop` process, so nothing keeps writing into a work folder after a kill, and
the next build removes the work folders that killed builds left.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import posixpath
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.core.output import sync_folder, write_file
from soplib.core.state import SopState
from soplib.core.system import RENAME_EXCHANGE, RENAME_NOREPLACE, die_with_parent, rename
from soplib.diff.sources import Texts
from soplib.lint import lint
from soplib.load.library import Library, load_library, split_name
from soplib.load.project import CACHE_DIR, Project
from soplib.publish import security
from soplib.publish.diffs import CSS, DIFFS, FORMAT, DiffPages, diff_url, stylesheet
from soplib.publish.tree import DocsFolder, Tree, publish_day, tree_parts
from soplib.publish.urls import page_url
from soplib.repo.history import History, optional_history
from soplib.reporters import TextReporter
from soplib.search import bundle, index_site
from soplib.search import settings as search_settings
from soplib.site.generator import versions
from soplib.site.progress import Progress

Say = Callable[[str], None]
MARKER = "catalog.json"  # every site `sop build` makes has it; a folder without it is not ours to replace
SITE_FILES = "site-files"  # in the build's state: the files the last build added beside the pages
STAGED = "site-files"  # in the work folder: the files the tree adds to the site, until it is rendered
FEW_DIFFS = 200  # diff pages to make that leave a core free for the generator (a rebuild after an edit)


class BuildFailed(SopError):
    """The lint found errors or the MkDocs build had warnings in strict mode: exit 1."""

    exit_code = 1


@dataclass(frozen=True)
class Job:
    """One build: of which library, into which folder, with which caches."""

    project: Project
    site_dir: Path
    state_dir: Path  # this site's docs tree and fingerprint, kept between builds
    diff_cache: Path  # diff pages by content, shared by every site of the library
    preview: bool = False  # an SME's preview: drafts shown, built despite lint errors

    @property
    def docs(self) -> Path:
        return self.state_dir / "docs"


@dataclass
class Sources:
    """What a build reads: the library and its history, on the day the site is made."""

    library: Library
    history: History | None
    texts: Texts
    today: date


@dataclass
class Outline:
    """What a build keeps of the tree once its parts are written: names, not texts."""

    pages: set[str] = field(default_factory=set)  # docs paths
    navigation: dict[str, str] = field(default_factory=dict)  # a top page's front matter: its title
    site_files: set[str] = field(default_factory=set)
    diffs: list[tuple[SopState, str]] = field(default_factory=list)
    sop_pages: list[str] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # docs paths written by this build
    removed: set[str] = field(default_factory=set)

    def add(self, part: Tree) -> None:
        self.pages.update(part.pages)
        self.navigation |= {p: text.split("\n---", 1)[0] for p, text in part.pages.items() if "/" not in p}
        self.site_files.update(part.site_files)
        self.diffs += part.diffs
        self.sop_pages += part.sop_pages


def build_site(job: Job, say: Say, progress: Progress) -> None:
    """Build the site and put it in place of `job.site_dir`."""
    with _lock(job.site_dir, say):
        _remove_stale_work(job.site_dir)
        work = _work_folder(job.site_dir)
        try:
            _in_own_group(_build_all, job, work, progress)
            _swap_in(work / job.project.source_language, job.site_dir)
            _keep_spare(work / job.project.source_language, job.site_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # the old site is in it now, or the failed build


def _read_sources(job: Job) -> Sources:
    """The library, linted (errors stop a build; a preview prints what lint says), its history and tree."""
    today = publish_day()
    library = load_library(job.project, bodies=True)
    result = lint(library, today)
    if result.errors and not job.preview:
        raise BuildFailed(
            "sop lint found errors; fix them before building:\n" + TextReporter().render(result)
        )
    if job.preview and result.findings:  # an SME's preview: what lint says as they save
        print(TextReporter().render(result).rstrip(), file=sys.stderr)
    history = optional_history(job.project, job.project.root / CACHE_DIR)
    return Sources(library, history, Texts(library, history), today)


def _write_tree(job: Job, sources: Sources, staged: Path) -> Outline:
    """The tree written into the docs folder and its site files into `staged`, a part at a time (a
    language's pages, then what the languages share): the build never holds the whole tree."""
    docs, outline = DocsFolder(job.docs), Outline()
    old_site = job.site_dir if made_by_us(job.site_dir) else None
    for part in tree_parts(sources.library, sources.history, sources.today, job.preview):
        docs.write(part)
        _stage_site_files(part.site_files, staged, old_site)
        outline.add(part)
        part.pages.clear()  # the generator makes the next part as this one's texts are let go
        part.site_files.clear()
        _trim()
    outline.changed, outline.removed = docs.finish()
    return outline


def _build_all(job: Job, work: Path, progress: Progress) -> None:
    """The site rendered in a child process (its memory, the library's and the tree's, goes with it), then
    the search index made by this one, small again, while Pagefind needs much memory of its own."""
    rendered = _in_child(_render_all, job, work, progress)
    progress.stage("search index")
    site = work / job.project.source_language
    check = _Child(_check_published, job, site, rendered.sop_pages, rendered.since)  # on the other core
    try:
        for lang, glob in rendered.search.items():
            shutil.rmtree(bundle(site, lang), ignore_errors=True)
            index_site(site, lang, glob)
    finally:
        check.result()
    progress.done()
    _write(job.state_dir / "fingerprint", rendered.fingerprint)


@dataclass(frozen=True)
class Rendered:
    """What the rendering child gives back: the languages to index again (with the glob of their SOP
    pages), the pages to check (all, or those written since `since`), and the build's fingerprint."""

    search: dict[str, str]
    sop_pages: list[str]
    since: float | None
    fingerprint: str


def _render_all(job: Job, work: Path, progress: Progress) -> Rendered:
    """The tree rendered in every language, the diff pages and the files beside them."""
    started = _now_on_disk(work)  # a rebuild checks the pages written from now on (the others were checked)
    sources = _read_sources(job)
    _claim_state(job)
    tree = _write_tree(job, sources, work / STAGED)
    fingerprint = _fingerprint(job, tree.navigation)
    incremental = _read(job.state_dir / "fingerprint") == fingerprint and made_by_us(job.site_dir)
    languages, to_render = job.project.languages, len(tree.pages)
    if incremental:
        _seed(job, work, tree.removed)
        languages = _languages_of(job.project, tree.changed | tree.removed)  # the others' are in place
        touched = _touch_navigation(job.project, job.docs, tree.pages, languages)
        to_render = len((tree.changed & tree.pages) | touched)
    else:
        _take_spare(job.site_dir, work / "spare")  # of no use to a full build: it goes with the work folder
    _write(job.state_dir / "fingerprint", "")  # until this build is in place, the next one starts afresh
    gone = set(_read(job.state_dir / SITE_FILES).splitlines()) - tree.site_files if incremental else set()
    _write(job.state_dir / SITE_FILES, "\n".join(sorted(tree.site_files)))
    _release_memory()  # what the tree's parts held, before the renderers start
    diffs = diff_pages(job, sources.texts)
    to_make = diffs.count_to_make(tree.diffs)
    progress.start(to_render + to_make)
    _render_while_making_diffs(job, work, languages, incremental, diffs, tree, progress, to_make > FEW_DIFFS)
    site = _merge(work, job.project.languages, job.project.source_language)
    _link_diffs(job, diffs, tree, site)
    _place(work / STAGED, site)
    _remove(site, gone)  # a removed SOP's Markdown copy and scorecard, a draft's copy after a preview
    search = _search_globs(job.project, tree, tree.changed | tree.removed if incremental else None)
    return Rendered(search, tree.sop_pages, started if incremental else None, fingerprint)


def _in_child(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a forked child, its result or its SopError given back here."""
    return _Child(function, *args).result()


class _Child:
    """`function(*args)` run in a forked child from now on; `result()` waits for it and gives back its
    result or raises its SopError. The child is in this process group, and ends alone on SIGTERM (see
    _end_group)."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_give_back, args=(send, function, args))
        self.process.start()
        send.close()

    def result(self) -> Any:
        try:
            failed, value = self.receive.recv()
        except EOFError:  # it ended without a word: killed, or crashed
            failed, value = True, None
        finally:
            self.process.join()
        if failed:
            raise value or SopError(
                f"the site build stopped unexpectedly (exit code {self.process.exitcode})"
            )
        return value


def _give_back(send: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    die_with_parent(signal.SIGKILL)  # the leader killed alone: nothing goes on writing into its work folder
    try:
        send.send((False, function(*args)))
    except SopError as error:
        send.send((True, error))
    except Exception as error:
        send.send((True, SopError(f"internal error: {type(error).__name__}: {error}")))


def _stage_site_files(files: dict[str, str], staged: Path, old_site: Path | None) -> None:
    """The files the tree adds to the site, written into `staged` now (the tree need not be held while the
    site renders). A file the site in place has as it is is linked from there: it keeps its time, and a
    rebuild does not check it again."""
    for name, text in files.items():
        data = text.encode("utf-8")
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        if old_site is not None:
            with contextlib.suppress(OSError):
                old = old_site / name
                if old.stat().st_size == len(data) and old.read_bytes() == data:
                    os.link(old, staged / name)
                    continue
        write_file(staged / name, data, durable=False)


def _now_on_disk(work: Path) -> float:
    """The time of the file system that the build writes to (a network file system's clock may differ
    from this machine's): the pages the build writes are at least this new."""
    marker = work / ".started"
    marker.touch()
    return marker.stat().st_mtime


def _remove(site: Path, names: set[str]) -> None:
    """Files an earlier build added beside the pages that this one no longer makes, and their emptied
    folders."""
    for name in names:
        path = site / name
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        for folder in path.parents:
            if folder == site:
                break
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break


def _place(staged: Path, site: Path) -> None:
    """The staged files moved into the rendered site, each in one rename."""
    for top, _, names in os.walk(staged):
        into = site / Path(top).relative_to(staged)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(Path(top) / name, into / name)


def _check_published(job: Job, site: Path, sop_pages: list[str], since: float | None) -> None:
    """Every page written by this build held to the site's allowlist (soplib.publish.security): a page
    that could run script stops the build (a preview, for the SME who is writing, prints what it found)."""
    findings = security.check_site(site, sop_pages, job.project, since)
    if not findings:
        return
    if job.preview:
        print(security.report(findings), file=sys.stderr)
        return
    raise BuildFailed(
        "the built site holds what must not be published (nothing was replaced):\n"
        + security.report(findings)
    )


def _render_while_making_diffs(
    job: Job,
    work: Path,
    languages: list[str],
    incremental: bool,
    diffs: DiffPages,
    tree: Outline,
    progress: Progress,
    busy: bool,
) -> None:
    """The generator renders `languages` in processes of their own (fresh interpreters: none of this one's
    memory) while this one makes the diff pages: one core is left to it when it is `busy`."""
    tempfile.tempdir = str(work)
    gc.collect()
    cores = max(1, (os.cpu_count() or 1) - (1 if busy else 0))
    renderers = _start_renderers(job, work, languages, incremental, progress, cores)
    try:
        _make_diffs(diffs, diffs.batches(tree.diffs), renderers, progress)
        errors = [_finish(renderer) for renderer in renderers]
    except BaseException:
        for renderer in renderers:
            renderer.process.kill()
        raise
    failed = [message for _, message in errors if message]
    if failed:
        raise BuildFailed("the site build failed:\n" + "\n".join(failed))


def _make_diffs(
    diffs: DiffPages, batches: list[list[tuple[SopState, str]]], renderers: list[Renderer], progress: Progress
) -> None:
    """The batches of diff pages made here, and by a helper forked once the renderers are done and their
    core is free (a full build renders in a third of the time the diff pages take). Each takes the next
    batch from a shared counter; the helper comes when the generator's memory has gone."""
    taken = multiprocessing.get_context("fork").Value("i", 0)

    def work() -> None:
        while (index := _take(taken)) < len(batches):
            diffs.make_batch(batches[index], progress.add)

    helper = None
    while (index := _take(taken)) < len(batches):
        diffs.make_batch(batches[index], progress.add)
        if (
            helper is None
            and len(batches) - taken.value > 1
            and all(r.process.poll() is not None for r in renderers)
        ):
            helper = multiprocessing.get_context("fork").Process(target=_helping, args=(work,))
            helper.start()
    if helper is not None:
        helper.join()
        if helper.exitcode != 0:
            raise SopError(f"the diff pages could not be made (exit code {helper.exitcode})")


def _take(counter: Any) -> int:
    with counter.get_lock():
        counter.value += 1
        return int(counter.value) - 1


def _helping(work: Callable[[], None]) -> None:
    die_with_parent(signal.SIGKILL)  # nothing goes on writing into the cache after the build is killed
    try:
        work()
    except Exception as error:  # said in one line; the build fails on the exit code
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        os._exit(2)


def _claim_state(job: Job) -> None:
    """The build's folder in the cache names the site folder it is for; the folders of site folders that
    are gone are removed (a `--site-dir` used once leaves no docs tree behind for ever)."""
    try:
        for other in job.state_dir.parent.glob("site-*"):
            site = other / "site-dir"
            if (
                other != job.state_dir
                and site.is_file()
                and not Path(site.read_text(encoding="utf-8")).exists()
            ):
                shutil.rmtree(other, ignore_errors=True)
        job.state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SopError(f"{job.state_dir}: cannot write the build's cache: {error.strerror}") from None
    write_file(job.state_dir / "site-dir", str(job.site_dir), durable=False)


def _release_memory() -> None:
    """Give what this process no longer uses back to the system (CPython keeps freed memory otherwise)."""
    gc.collect()
    _trim()


def _trim() -> None:
    """Give the memory of freed large objects (a page's text) back to the system."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _fingerprint(job: Job, navigation: dict[str, str]) -> str:
    """What every rendered page depends on besides its own Markdown: the generator and its configuration,
    and the navigation (the titles of the pages at the top of the tree, in every language)."""
    top = sorted(navigation.items())
    config = (job.project.root / "mkdocs.yml").read_bytes().decode("utf-8", "replace")
    text = json.dumps(
        [FORMAT, security.FORMAT, versions(), search_settings(), job.preview, config, top, str(job.site_dir)]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _seed(job: Job, work: Path, removed: set[str]) -> None:
    """The site in place, copied into each language's build folder: the generator writes only the pages
    that changed, as new files (soplib.site.generator). The copy is the site before the one in place (the
    spare, see _keep_spare) brought up to date, or made afresh; its files share their data with the site
    in place (hard links). Pages no longer in the tree are removed."""
    project, source = job.project, job.project.source_language
    site = work / source
    _take_spare(job.site_dir, site)
    mirror(job.site_dir, site)
    for lang in project.languages:
        if lang != source and (site / lang).is_dir():
            (work / lang).mkdir(exist_ok=True)
            os.rename(site / lang, work / lang / lang)
    for path in removed:
        lang = split_name(posixpath.basename(path), source)[1]
        built = work / lang / page_url(path, lang, source)
        target = built / "index.html" if path.endswith(".md") else work / lang / path
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def _spare(site_dir: Path) -> Path:
    """The site before the one in place, kept beside it: the next build's starting point."""
    return site_dir.with_name(f".{site_dir.name}.previous")


def _take_spare(site_dir: Path, into: Path) -> None:
    """The spare moved to `into` if it is a site `sop build` made (a real folder, never a link)."""
    spare = _spare(site_dir)
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(spare).st_mode) and made_by_us(spare):
            os.rename(spare, into)


def _keep_spare(old_site: Path, site_dir: Path) -> None:
    """The site just replaced, kept as the next build's starting point (only its changed files differ
    from the new site's); when there is no room for it, it goes with the work folder."""
    with contextlib.suppress(OSError):
        rename(old_site, _spare(site_dir), RENAME_NOREPLACE)


def mirror(source: Path, target: Path) -> None:
    """Make `target` a copy of `source` whose files share their data (hard links): a file already linked
    stays (the same inode), another is replaced, one that `source` lacks is removed. Reading the folders
    tells the inodes (readdir), so bringing an old copy up to date costs little more than reading it.
    Links in `source` are not followed (a site holds none)."""
    target.mkdir(exist_ok=True)
    there = {entry.name: entry for entry in os.scandir(target)}
    for entry in os.scandir(source):
        old = there.pop(entry.name, None)
        if entry.is_dir(follow_symlinks=False):
            if old is not None and not old.is_dir(follow_symlinks=False):
                os.unlink(old.path)
            mirror(Path(entry.path), target / entry.name)
        elif entry.is_file(follow_symlinks=False):
            if old is not None and old.inode() == entry.inode() and not old.is_dir(follow_symlinks=False):
                continue
            if old is not None:
                _delete(old)
            os.link(entry.path, target / entry.name)
    for old in there.values():
        _delete(old)


def _delete(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def made_by_us(site: Path) -> bool:
    """Every site `sop build` makes has a catalog.json, a regular file (never a link)."""
    return (site / MARKER).is_file() and not (site / MARKER).is_symlink()


def _language(project: Project, path: str) -> str:
    """The language of a docs path: its suffix for a page (page.es.md), the source language for a file."""
    source = project.source_language
    return split_name(posixpath.basename(path), source)[1] if path.endswith(".md") else source


def _languages_of(project: Project, paths: set[str]) -> list[str]:
    """The languages with a page or file among `paths` (docs paths), in the project's order."""
    found = {_language(project, path) for path in paths}
    return [lang for lang in project.languages if lang in found]


def _touch_navigation(project: Project, docs: Path, pages: set[str], languages: list[str]) -> set[str]:
    """The pages at the top of the tree (the navigation: home, teams, browse, changes) are read and
    rendered again by every build of their language: a page rendered again shows their titles in its
    navigation, and the generator knows the title of a page only if it read it in this build."""
    now = time.time()
    touched = {path for path in pages if "/" not in path and _language(project, path) in languages}
    for path in touched:
        os.utime(docs / path, (now, now))
    return touched


def _merge(work: Path, languages: list[str], source: str) -> Path:
    """The source language's build is the site root; each other language contributes its own folder."""
    merged = work / source
    for lang in languages:
        if lang != source:
            os.rename(work / lang / lang, merged / lang)
    return merged


# -- rendering ----------------------------------------------------------------------------------------------
@dataclass
class Renderer:
    languages: list[str]
    process: subprocess.Popen[bytes]
    counter: threading.Thread


def _start_renderers(
    job: Job, work: Path, languages: list[str], incremental: bool, progress: Progress, processes: int
) -> list[Renderer]:
    """`languages` shared among `processes` generator processes, each rendering its languages in turn."""
    count = min(len(languages), processes)
    renderers = []
    for share in (languages[i::count] for i in range(count)):
        command = [sys.executable, "-m", "soplib.site.generator", str(job.project.root / "mkdocs.yml")]
        command += [str(job.docs), str(work), "dirty" if incremental else "clean", *share]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        counter = threading.Thread(target=_count_pages, args=(process, progress), daemon=True)
        counter.start()
        renderers.append(Renderer(share, process, counter))
    return renderers


def _count_pages(process: subprocess.Popen[bytes], progress: Progress) -> None:
    """The generator writes a byte per page it has rendered."""
    assert process.stdout is not None
    while chunk := os.read(process.stdout.fileno(), 4096):
        progress.add(len(chunk))


def _finish(renderer: Renderer) -> tuple[str, str | None]:
    assert renderer.process.stderr is not None
    errors = renderer.process.stderr.read().decode("utf-8", "replace").strip()
    renderer.process.wait()
    renderer.counter.join()
    if renderer.process.returncode == 0:
        return ",".join(renderer.languages), None
    return ",".join(
        renderer.languages
    ), errors or f"the generator stopped (exit code {renderer.process.returncode})"


# -- diff pages -------------------------------------------------------------------------------------------
def diff_pages(job: Job, texts: Texts) -> DiffPages:
    config = hashlib.sha256((job.project.root / "translations" / "ui.yml").read_bytes()).hexdigest()
    return DiffPages(texts, job.diff_cache, config)


def _link_diffs(job: Job, pages: DiffPages, tree: Outline, site: Path) -> None:
    """Each version's diff page linked from the cache into the site (made before, or by this build). A
    page the site has from an earlier build stays when it is the cached file (the same inode); diff pages
    of versions no longer shown are removed."""
    source = job.project.source_language
    used, wanted = [], set()
    for state, lang in tree.diffs:
        folder = pages.folder(state, lang)
        used.append(folder)
        for entry in os.scandir(folder):
            version = entry.name.removesuffix(".html")
            target = site / diff_url(state, version, lang, source) / "index.html"
            wanted.add(str(target))
            try:
                if os.stat(target).st_ino == entry.inode():
                    continue
                os.unlink(target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
            os.link(entry.path, target)
    for lang in job.project.languages:
        _prune(site / ("" if lang == source else lang) / DIFFS, wanted)
    (site / CSS).parent.mkdir(parents=True, exist_ok=True)
    write_file(site / CSS, stylesheet(), durable=False)
    pages.forget_unused(used)


def _prune(folder: Path, wanted: set[str]) -> None:
    """Remove the diff pages under `folder` that are not `wanted`, and the folders they leave empty."""
    for top, _, files in os.walk(folder, topdown=False):
        for name in files:
            path = os.path.join(top, name)
            if path not in wanted and path != str(folder / "diff.css"):
                os.unlink(path)
        if top != str(folder) and not os.listdir(top):
            os.rmdir(top)


def _search_globs(project: Project, tree: Outline, changed: set[str] | None) -> dict[str, str]:
    """Per language to index again (all, or those with an SOP page in `changed`), a glob of its SOP pages:
    the only pages search finds (reading the others would only take time)."""
    source, found = project.source_language, {}
    teams = sorted({posixpath.dirname(path).split("/")[0] for path in tree.sop_pages})
    for lang in project.languages:
        mine = [path for path in tree.sop_pages if split_name(posixpath.basename(path), source)[1] == lang]
        if changed is None or changed.intersection(mine) or not mine:
            prefix = "" if lang == source else f"{lang}/"
            found[lang] = "{" + ",".join(f"{prefix}{team}/*/index.html" for team in teams) + "}"
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, text, durable=False)


def _swap_in(built: Path, site_dir: Path) -> None:
    """One rename puts the new site in place: a reader, or a kill at any moment, finds the whole old site
    or the whole new one. The old one ends up at `built`, in the work folder."""
    try:
        if os.path.lexists(site_dir):
            rename(built, site_dir, RENAME_EXCHANGE)
        else:
            rename(built, site_dir, RENAME_NOREPLACE)
    except OSError as error:
        raise SopError(f"{site_dir}: cannot put the new site in place: {error.strerror}") from None
    sync_folder(site_dir.parent)


# -- the lock, the work folder, and the process group --------------------------------------------------------
@contextmanager
def _lock(site_dir: Path, say: Say) -> Iterator[None]:
    """One build at a time into one site folder; a second one waits for the first. flock(2) is released
    whenever its holder ends, even killed, so a crash never leaves the site locked. The lock file stays
    (deleting it would let two builds lock two different files)."""
    path = site_dir.with_name(f".{site_dir.name}.lock")
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        reason = "it is a symbolic link" if path.is_symlink() else error.strerror
        raise SopError(f"{path}: cannot lock the site folder: {reason}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "another process"
            say(f"Waiting for the build of process {holder} into {site_dir} to finish ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)


def _work_pattern(site_dir: Path) -> re.Pattern[str]:
    return re.compile(rf"sop-build-{re.escape(site_dir.name)}-[a-z0-9_]{{8}}")  # mkdtemp's 8 characters


def _work_folder(site_dir: Path) -> Path:
    try:
        work = Path(tempfile.mkdtemp(prefix=f"sop-build-{site_dir.name}-", dir=site_dir.parent))
    except OSError as error:
        raise SopError(f"{site_dir.parent}: cannot write the site: {error.strerror}") from None
    assert _work_pattern(site_dir).fullmatch(work.name)
    return work


def _remove_stale_work(site_dir: Path) -> None:
    """Work folders of builds into this site folder that were killed. Only the holder of the lock makes
    one, and that is this process now, so no live build owns any that are left. Links are not touched."""
    pattern = _work_pattern(site_dir)
    for entry in os.scandir(site_dir.parent):
        if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def _in_own_group(function: Callable[..., None], *args: Any) -> None:
    """Run `function(*args)` in a child process that leads a process group of its own, which dies with
    this process however it ends (SIGKILL included): the MkDocs workers and Pagefind then stop at once
    rather than write on into a work folder. A SopError in the child is raised here."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_group_leader, args=(send, os.getpid(), function, args))
    child.start()
    send.close()
    try:
        outcome = receive.recv()
    except EOFError:  # it ended without a word: killed, or crashed
        child.join()
        outcome = (2, f"the site build stopped unexpectedly (exit code {child.exitcode})")
    except BaseException:  # Ctrl+C: the group must not outlive this process
        _kill_group(child)
        raise
    finally:
        child.join()
    if outcome is not None:
        code, message = outcome
        raise (BuildFailed if code == 1 else SopError)(message)


def _group_leader(
    send: Connection, parent: int, function: Callable[..., None], args: tuple[Any, ...]
) -> None:
    os.setpgid(0, 0)
    # The kernel signals this process when its parent dies; it then kills its whole group, itself too.
    signal.signal(signal.SIGTERM, functools.partial(_end_group, os.getpid()))
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os.killpg(0, signal.SIGKILL)
    outcome: tuple[int, str] | None = None
    try:
        function(*args)
    except SopError as error:
        outcome = (getattr(error, "exit_code", 2), str(error))
    except Exception as error:
        outcome = (2, f"internal error: {type(error).__name__}: {error}")
    send.send(outcome)


def _end_group(leader: int, *_: Any) -> None:
    """SIGTERM in the group: the leader (its parent died) kills the whole group. A process forked from it
    inherits this handler: such a one (a worker of the library's reading pool, stopped by its pool as it
    closes) ends alone, as SIGTERM would end it; killing the group there killed the build (exit code -9)."""
    if os.getpid() == leader:
        os.killpg(0, signal.SIGKILL)
    os._exit(128 + signal.SIGTERM)


def _kill_group(leader: multiprocessing.process.BaseProcess) -> None:
    try:
        os.killpg(leader.pid or 0, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # not a group leader yet: then it has no children
        leader.kill()
