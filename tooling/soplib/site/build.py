"""`sop build` from the decorated tree to the site in place: rendered, diff pages added, indexed, swapped.

The tree is written to the build's docs folder (only what changed); the generator renders it in a process of
its own while this one makes the diff pages that are not cached yet; Pagefind indexes the SOP pages.

A build starts from the site in place: its files are linked (hard links) into the work folder, and the
generator renders again only the pages whose Markdown is newer than their HTML, writing each as a new file,
so the site in place is never written. A fingerprint of what every page depends on besides its own Markdown
(the generator's version, mkdocs.yml, the navigation) makes any other change a full build.

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
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.core.output import sync_folder, write_file
from soplib.core.system import RENAME_EXCHANGE, RENAME_NOREPLACE, die_with_parent, rename
from soplib.diff.sources import Texts
from soplib.lint import lint
from soplib.load.library import Library, load_library, split_name
from soplib.load.project import CACHE_DIR, Project
from soplib.publish import security
from soplib.publish.diffs import CSS, DIFFS, FORMAT, DiffPages, diff_url, stylesheet
from soplib.publish.tree import Tree, build_tree, publish_day, write_tree
from soplib.publish.urls import page_url
from soplib.repo.history import optional_history
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
    """What a build reads: the library, its history, and the tree made from them."""

    library: Library
    texts: Texts
    tree: Tree


def build_site(job: Job, say: Say, progress: Progress) -> None:
    """Build the site and put it in place of `job.site_dir`."""
    with _lock(job.site_dir, say):
        _remove_stale_work(job.site_dir)
        work = _work_folder(job.site_dir)
        try:
            _in_own_group(_build_all, job, work, progress)
            _swap_in(work / job.project.source_language, job.site_dir)
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
    return Sources(library, Texts(library, history), build_tree(library, history, today, job.preview))


def _build_all(job: Job, work: Path, progress: Progress) -> None:
    """The site rendered in a child process (its memory, the library's and the tree's, goes with it), then
    the search index made by this one, small again, while Pagefind needs much memory of its own."""
    search, fingerprint = _in_child(_render_all, job, work, progress)
    progress.stage("search index")
    site = work / job.project.source_language
    for lang, glob in search.items():
        shutil.rmtree(bundle(site, lang), ignore_errors=True)
        index_site(site, lang, glob)
    progress.done()
    _write(job.state_dir / "fingerprint", fingerprint)


def _render_all(job: Job, work: Path, progress: Progress) -> tuple[dict[str, str], str]:
    """The tree rendered in every language, the diff pages, the files beside them, checked; the languages
    to index again (with the glob of their SOP pages) and the build's fingerprint."""
    started = _now_on_disk(work)  # a rebuild checks the pages written from now on (the others were checked)
    sources = _read_sources(job)
    _claim_state(job)
    tree = sources.tree
    changed, removed = write_tree(tree, job.docs)
    fingerprint = _fingerprint(job, tree)
    incremental = _read(job.state_dir / "fingerprint") == fingerprint and made_by_us(job.site_dir)
    languages, to_render = job.project.languages, len(tree.pages)
    if incremental:
        _seed(job, work, removed)
        languages = _languages_of(job.project, changed | removed)  # the others' pages are all in place
        touched = _touch_navigation(job.project, job.docs, tree, languages)
        to_render = len((changed & set(tree.pages)) | touched)
    _write(job.state_dir / "fingerprint", "")  # until this build is in place, the next one starts afresh
    staged = _stage_site_files(tree.site_files, work / STAGED, job.site_dir if incremental else None)
    gone = (
        set(_read(job.state_dir / SITE_FILES).splitlines()) - set(tree.site_files) if incremental else set()
    )
    _write(job.state_dir / SITE_FILES, "\n".join(sorted(tree.site_files)))
    tree.pages.clear()  # written: the generator reads them from the docs folder
    tree.site_files.clear()
    _release_memory()  # what the tree held, before the renderers start
    diffs = diff_pages(job, sources.texts)
    to_make = diffs.count_to_make(tree.diffs)
    progress.start(to_render + to_make)
    _render_while_making_diffs(job, work, languages, incremental, diffs, tree, progress, to_make > FEW_DIFFS)
    site = _merge(work, job.project.languages, job.project.source_language)
    _link_diffs(job, diffs, tree, site)
    _place(staged, site)
    _remove(site, gone)  # a removed SOP's Markdown copy and scorecard, a draft's copy after a preview
    _check_published(job, site, tree.sop_pages, started if incremental else None)
    return _search_globs(job.project, tree, changed | removed if incremental else None), fingerprint


def _in_child(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a forked child, its result or its SopError given back here. The child is in
    this process group, and ends alone on SIGTERM (see _end_group)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_give_back, args=(send, function, args))
    child.start()
    send.close()
    try:
        failed, value = receive.recv()
    except EOFError:  # it ended without a word: killed, or crashed
        failed, value = True, None
    finally:
        child.join()
    if failed:
        raise value or SopError(f"the site build stopped unexpectedly (exit code {child.exitcode})")
    return value


def _give_back(send: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    die_with_parent(signal.SIGKILL)  # the leader killed alone: nothing goes on writing into its work folder
    try:
        send.send((False, function(*args)))
    except SopError as error:
        send.send((True, error))
    except Exception as error:
        send.send((True, SopError(f"internal error: {type(error).__name__}: {error}")))


def _stage_site_files(files: dict[str, str], staged: Path, old_site: Path | None) -> Path:
    """The files the tree adds to the site as they are, written into `staged` now (the tree need not be
    held while the site renders). A rebuild leaves out those the old site has as they are: its copies are
    in place, and are neither written nor checked again."""
    for name, text in files.items():
        data = text.encode("utf-8")
        if old_site is not None:
            with contextlib.suppress(OSError):
                old = old_site / name
                if old.stat().st_size == len(data) and old.read_bytes() == data:
                    continue
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        write_file(staged / name, data, durable=False)
    return staged


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
    tree: Tree,
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
        diffs.make_all(tree.diffs, progress.add)
        errors = [_finish(renderer) for renderer in renderers]
    except BaseException:
        for renderer in renderers:
            renderer.process.kill()
        raise
    failed = [message for _, message in errors if message]
    if failed:
        raise BuildFailed("the site build failed:\n" + "\n".join(failed))


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
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _fingerprint(job: Job, tree: Tree) -> str:
    """What every rendered page depends on besides its own Markdown: the generator and its configuration,
    and the navigation (the titles of the pages at the top of the tree, in every language)."""
    top = sorted((path, text.split("\n---", 1)[0]) for path, text in tree.pages.items() if "/" not in path)
    config = (job.project.root / "mkdocs.yml").read_bytes().decode("utf-8", "replace")
    text = json.dumps(
        [FORMAT, security.FORMAT, versions(), search_settings(), job.preview, config, top, str(job.site_dir)]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _seed(job: Job, work: Path, removed: set[str]) -> None:
    """Each language's part of the site in place, linked into its build folder: the generator writes only
    the pages that changed, as new files (soplib.site.generator). Pages no longer in the tree are removed."""
    project, source = job.project, job.project.source_language
    others = [lang for lang in project.languages if lang != source]
    link_tree(job.site_dir, work / source, {DIFFS, *others})  # the search bundles too: see _search_globs
    for lang in others:
        if (job.site_dir / lang).is_dir():
            link_tree(job.site_dir / lang, work / lang / lang, {DIFFS})
    for path in removed:
        lang = split_name(posixpath.basename(path), source)[1]
        built = work / lang / page_url(path, lang, source)
        target = built / "index.html" if path.endswith(".md") else work / lang / path
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def link_tree(source: Path, target: Path, skip: set[str]) -> None:
    """`target` made a copy of `source` that shares its files' data (hard links), except the entries at
    its top named in `skip`. Links in `source` are not followed (a site holds none)."""
    for top, folders, files in os.walk(source):
        here = Path(top)
        if here == source:
            folders[:] = [f for f in folders if f not in skip]
            files = [f for f in files if f not in skip]
        into = target / here.relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            if not (here / name).is_symlink():
                os.link(here / name, into / name)


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


def _touch_navigation(project: Project, docs: Path, tree: Tree, languages: list[str]) -> set[str]:
    """The pages at the top of the tree (the navigation: home, teams, browse, changes) are read and
    rendered again by every build of their language: a page rendered again shows their titles in its
    navigation, and the generator knows the title of a page only if it read it in this build."""
    now = time.time()
    touched = {path for path in tree.pages if "/" not in path and _language(project, path) in languages}
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


def _link_diffs(job: Job, pages: DiffPages, tree: Tree, site: Path) -> None:
    """Each version's diff page linked from the cache into the site (made before, or by this build)."""
    source = job.project.source_language
    used = []
    for state, lang in tree.diffs:
        folder = pages.folder(state, lang)
        used.append(folder)
        for page in os.listdir(folder):
            version = page.removesuffix(".html")
            target = site / diff_url(state, version, lang, source) / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(folder / page, target)
    (site / CSS).parent.mkdir(parents=True, exist_ok=True)
    write_file(site / CSS, stylesheet(), durable=False)
    pages.forget_unused(used)


def _search_globs(project: Project, tree: Tree, changed: set[str] | None) -> dict[str, str]:
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
