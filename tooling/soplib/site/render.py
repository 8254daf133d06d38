"""What `sop build` does in the process that holds the library (soplib.site.build runs it in a child of
its own, whose memory goes with it): the library read, the tree written into the docs folder a language at
a time, the site in place copied into the work folder (from the site before it, see soplib.site.build's
spare), the generator's process rendering while the library is linted and the diff pages are made, and
the files beside the pages added. What is left to do to the site (soplib.site.finish) is given back as
plain data."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
import posixpath
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.core.output import write_file
from soplib.core.state import SopState
from soplib.core.system import die_with_parent, give_back_memory
from soplib.diff.sources import Texts
from soplib.lint import lint
from soplib.load.library import Library, load_library, split_name
from soplib.load.parsed import ParsedFiles
from soplib.load.project import CACHE_DIR, Project
from soplib.publish import security
from soplib.publish.diffs import CSS, DIFFS, FORMAT, DiffPages, diff_folder, stylesheet
from soplib.publish.memo import SopMemo, build_context
from soplib.publish.tree import DocsFolder, Tree, navigation, publish_day, tree_parts
from soplib.publish.urls import page_url
from soplib.repo.history import History, optional_history
from soplib.reporters import TextReporter
from soplib.search import settings as search_settings
from soplib.site.build import (
    DIFF_LINKS,
    FINGERPRINT,
    IN_PLACE,
    NEXT_DIFF_LINKS,
    NEXT_IN_PLACE,
    NEXT_SITE_FILES,
    NEXT_SPARE,
    PENDING,
    SITE_FILES,
    SPARE_MARK,
    BuildFailed,
    Job,
    Rendered,
    _Child,
    _keep_spare,
    _read,
    _take_spare,
    _write,
    made_by_us,
    mirror,
    update_spare,
)
from soplib.site.finish import Finishing
from soplib.site.generator import versions
from soplib.site.progress import Progress

PARSED = "parsed"  # in the library's build cache: its files as parsed (soplib.load.parsed)
MEMO = "memo"  # in the build's state: each SOP's page as the last build made it (soplib.publish.memo)


STAGED = "site-files"  # in the work folder: the files the tree adds to the site, until it is rendered
SPARE = "spare"  # in the work folder: the spare a build that renders every page took (it goes with it)


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
    same_files: list[str] = field(default_factory=list)  # site files the site in place has as they are

    def add(self, part: Tree) -> None:
        self.pages.update(part.pages)
        self.pages.update(part.kept)
        top = navigation(part.pages) | part.navigation
        self.navigation |= {p: head for p, head in top.items() if p not in self.navigation}  # as written
        self.site_files.update(part.site_files)
        self.site_files.update(part.kept_files)
        self.same_files += part.kept_files
        self.diffs += part.diffs
        self.sop_pages += part.sop_pages


def _read_sources(job: Job, today: date, parsed: ParsedFiles) -> Sources:
    """The library and its history; its files parsed before are taken from `parsed`."""
    library = load_library(job.project, bodies=True, kept=parsed)
    history = optional_history(job.project, job.project.root / CACHE_DIR)
    return Sources(library, history, Texts(library, history), today)


def _read_uncollected(job: Job, today: date) -> tuple[ParsedFiles, Sources]:
    """The parsed files and the sources read without the cyclic collector, and set apart from it after: it
    looked at their millions of objects again and again, every 700 allocations (0.5 s of a rebuild at
    1,000 SOPs x 3: the parsed files unpickled in 0.39 s, 0.13 s without it), yet they live to the end."""
    gc.disable()
    try:
        parsed = ParsedFiles(job.project.root / CACHE_DIR / PARSED, job.project.source_language)
        sources = _read_sources(job, today, parsed)
    finally:
        gc.enable()
    gc.freeze()
    return parsed, sources


def _lint(job: Job, sources: Sources) -> None:
    """Lint's errors stop a build (nothing is put in place); a preview prints what lint says, as the SME
    saves."""
    result = lint(sources.library, sources.today)
    if result.errors and not job.preview:
        raise BuildFailed(
            "sop lint found errors; fix them before building:\n" + TextReporter().render(result)
        )
    if job.preview and result.findings:
        print(TextReporter().render(result).rstrip(), file=sys.stderr)


def _write_tree(job: Job, sources: Sources, staged: Path, memo: SopMemo, old_site: Path | None) -> Outline:
    """The tree written into the docs folder and its site files into `staged`, a part at a time (a
    language's pages, then what the languages share): the build never holds the whole tree. `old_site`:
    the site in place, if `sop build` made it. What changes in the docs folder is noted as pending until
    the site is in place (see DocsFolder)."""
    docs, outline = DocsFolder(job.docs, job.state_dir / PENDING), Outline()
    for part in tree_parts(sources.library, sources.history, sources.today, job.preview, memo):
        docs.write(part)
        outline.same_files += _stage_site_files(part.site_files, staged, old_site)
        outline.add(part)
        part.pages.clear()  # the generator makes the next part as this one's texts are let go
        part.site_files.clear()
        give_back_memory()
    outline.changed, outline.removed = docs.finish()
    return outline


def render_site(job: Job, work: Path, progress: Progress) -> Rendered:
    """The tree rendered in every language, the diff pages and the files beside them."""
    started = _now_on_disk(work)  # a rebuild checks the pages written from now on (the others were checked)
    today = publish_day()
    context = build_context(job.project, today, job.preview)  # before the library is read
    in_place = job.site_dir if made_by_us(job.site_dir) else None  # the lock holds it as it is
    copy = _start_copy(job) if in_place is not None else None
    parsed, sources = _read_uncollected(job, today)
    _claim_state(job)
    last = _read(job.state_dir / FINGERPRINT)  # of the site in place
    # the parts a build takes whole are those of the build whose site is in place (its site files are there)
    build, built = secrets.token_hex(8), _read(job.state_dir / IN_PLACE) if in_place is not None else ""
    _write(job.state_dir / NEXT_IN_PLACE, build)
    memo = SopMemo(job.state_dir / MEMO, job.docs, context, job.project, build, built, in_place)
    try:
        tree = _write_tree(job, sources, work / STAGED, memo, in_place)
    except Exception:  # lint runs beside the generator; a library it rejects may break the tree: its word
        _lint(job, sources)
        raise
    fingerprint = _fingerprint(job, tree.navigation)
    incremental = last == fingerprint and in_place is not None
    # the others' pages are in place
    languages = (
        _languages_of(job.project, tree.changed | tree.removed) if incremental else job.project.languages
    )
    tempfile.tempdir = str(work)
    renderer = _start_renderer(job, work, languages, incremental, progress)  # it starts on the other core
    try:
        gone = _ready(job, work, tree, copy, incremental, progress)
        renderer.go()
        _release_memory()  # what the tree's parts held, before lint and the diff pages
        _lint(job, sources)  # beside the generator; the tree is pending until the site is in place
        diffs = diff_pages(job, sources.texts)
        making = _DiffMaking(diffs, tree.diffs, progress)
        progress.grow(making.pages)
        _render_while_making_diffs(renderer, making)
    except BaseException:
        renderer.process.kill()
        renderer.process.wait()
        _give_back_spare(job, work, incremental)
        raise
    site = _merge(work, job.project.languages, job.project.source_language)
    _place(work / STAGED, site)
    _remove(site, gone)  # a removed SOP's Markdown copy and scorecard, a draft's copy after a preview
    finishing = _finishing(job, diffs, tree, started if incremental else None)
    parsed.save()  # now that the generator and the helpers are done
    search = _search_globs(job.project, tree, tree.changed | tree.removed if incremental else None)
    return Rendered(search, fingerprint, incremental, finishing)


def _ready(
    job: Job,
    work: Path,
    tree: Outline,
    copy: _Child | None,
    incremental: bool,
    progress: Progress,
) -> set[str]:
    """The work folder ready for the generator: for a rebuild, the site in place copied in (the pages to
    render again older than their Markdown); else the site files it has as they are linked in. The site
    files an earlier build added that this one does not make are given back (to remove)."""
    if incremental:
        _seed(job, work, tree.removed, copy)
        progress.start(len(tree.changed & tree.pages))
    else:
        _no_copy(job, work, copy)
        if tree.same_files:
            _stage_same(tree.same_files, work / STAGED, job.site_dir)
        progress.start(len(tree.pages))
    listed = set(_read(job.state_dir / SITE_FILES).splitlines())
    # the site files of the site in place are among those listed whatever moment the build ends at (those
    # of this build alone, once it is in place: see soplib.site.build's _settle)
    _write(job.state_dir / SITE_FILES, "\n".join(sorted(listed | tree.site_files)))
    _write(job.state_dir / NEXT_SITE_FILES, "\n".join(sorted(tree.site_files)))
    return listed - tree.site_files if incremental else set()


def _stage_site_files(files: dict[str, str], staged: Path, old_site: Path | None) -> list[str]:
    """The files the tree adds to the site, written into `staged` now (the tree need not be held while the
    site renders), but those the site in place has as they are: their names are given back (a rebuild
    starts from a copy of that site; a full build links them from there, see _stage_same)."""
    same = []
    for name, text in files.items():
        data = text.encode("utf-8")
        if old_site is not None:
            with contextlib.suppress(OSError):
                old = old_site / name
                info = os.lstat(old)  # a file as mirror copies it: never through a link
                if stat.S_ISREG(info.st_mode) and info.st_size == len(data) and old.read_bytes() == data:
                    same.append(name)
                    continue
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        write_file(staged / name, data, durable=False)
    return same


def _stage_same(names: list[str], staged: Path, old_site: Path) -> None:
    """For a build that renders every page, the files the site in place has as the tree makes them, linked
    from there: they keep their time, and the next rebuild does not check them again."""
    for name in names:
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old_site / name, staged / name, follow_symlinks=False)
        except OSError:  # a file of another owner (fs.protected_hardlinks): copied, with its time
            shutil.copy2(old_site / name, staged / name, follow_symlinks=False)


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


def _render_while_making_diffs(renderer: Renderer, making: _DiffMaking) -> None:
    """The diff pages made in this process while the generator renders in its own (a fresh interpreter:
    none of this one's memory). One generator process only: a second one beside this process, which holds
    the library, went past 300 MB at 1,000 SOPs x 3 (two languages at once took 14 of a full build's 27 s
    when the diff pages were already made, as after a change to mkdocs.yml)."""
    making.run(lambda: renderer.process.poll() is not None)
    failed = _finish(renderer)
    if failed:
        raise BuildFailed(f"the site build failed:\n{failed}")


class _DiffMaking:
    """The diff pages not in the cache, in batches that this process and a helper forked from it take in
    turn from a shared counter: a full build makes 18,000 pages at 1,000 SOPs x 3, which take longer than
    the generator, so a helper makes them on its core once it is done. Never beside the generator, nor
    while the tree is written: the helper copies much of this process's memory (its objects' counts)."""

    def __init__(self, diffs: DiffPages, pairs: list[tuple[SopState, str]], progress: Progress) -> None:
        self.diffs, self.progress = diffs, progress
        self.batches = diffs.batches(pairs)
        self.pages = sum(len(diffs.versions(state, lang)) for batch in self.batches for state, lang in batch)
        self.taken = multiprocessing.get_context("fork").Value("i", 0)

    def run(self, core_free: Callable[[], bool]) -> None:
        """Make the batches, with a helper once `core_free` says the generator is done."""
        helper = None
        try:
            while (index := _take(self.taken)) < len(self.batches):
                self.diffs.make_batch(self.batches[index], self.progress.add)
                give_back_memory()  # the batch's texts: this process holds the library beside the generator
                if helper is None and core_free() and len(self.batches) - self.taken.value > 1:
                    gc.freeze()  # the library's objects out of the helper's collector: it copies fewer
                    helper = multiprocessing.get_context("fork").Process(target=_helping, args=(self._work,))
                    helper.start()
        except BaseException:
            if helper is not None:
                helper.kill()  # no use making the rest
            raise
        finally:
            if helper is not None:
                helper.join()
        if helper is not None and helper.exitcode != 0:
            raise SopError(f"the diff pages could not be made (exit code {helper.exitcode})")

    def _work(self) -> None:
        while (index := _take(self.taken)) < len(self.batches):
            self.diffs.make_batch(self.batches[index], self.progress.add)


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
    give_back_memory()


def _fingerprint(job: Job, navigation: dict[str, str]) -> str:
    """What every rendered page depends on besides its own Markdown: the generator and its configuration,
    and the navigation (the titles of the pages at the top of the tree, in every language)."""
    top = sorted(navigation.items())
    config = (job.project.root / "mkdocs.yml").read_bytes().decode("utf-8", "replace")
    text = json.dumps(
        [FORMAT, security.FORMAT, versions(), search_settings(), job.preview, config, top, str(job.site_dir)]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _start_copy(job: Job) -> _Child | None:
    """When the build is likely to start from the site in place (the last one left its fingerprint), the
    spare brought up to date on the other core while the library is read and the tree made (forked now,
    before the library is read: a child forked later copies the pages of it that this process writes)."""
    if not _read(job.state_dir / FINGERPRINT):
        return None
    return _Child(update_spare, job.site_dir)


def _seed(job: Job, work: Path, removed: set[str], copy: _Child | None) -> None:
    """The site in place, copied into each language's build folder (by `copy`, or now): the generator
    writes only the pages that changed, as new files (soplib.site.generator). Pages no longer in the tree
    are removed."""
    project, source = job.project, job.project.source_language
    site = work / source
    updated = False
    if copy is not None:
        with contextlib.suppress(SopError):  # then brought up to date here
            updated = copy.result()
    if not (_take_spare(job.site_dir, site) and updated):
        mirror(job.site_dir, site)  # no spare (made afresh), or one to bring up to date
    with contextlib.suppress(FileNotFoundError):
        (site / SPARE_MARK).unlink()  # the mark of the spare it was: not the site's
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


def _give_back_spare(job: Job, work: Path, seeded: bool) -> None:
    """A build that fails after taking the spare (lint, beside the generator, or the generator) leaves it
    for the next one: the spare as it was, or the copy of the site in place it seeded (with the pages the
    generator wrote meanwhile, which the next build's update puts right: it compares every file by its
    inode). A head start only: it never stands in the way of the build's own error."""
    source = job.project.source_language
    with contextlib.suppress(OSError):
        if (work / SPARE).is_dir():  # taken by _no_copy, its mark in it
            os.rename(work / SPARE, work / NEXT_SPARE)
        elif seeded:
            for lang in job.project.languages:  # taken by _seed: its languages back in their place
                if lang != source and (work / lang / lang).is_dir():
                    os.rename(work / lang / lang, work / source / lang)
        else:
            return
        _keep_spare(work, source, job.site_dir)


def _no_copy(job: Job, work: Path, copy: _Child | None) -> None:
    """A build that renders every page: the spare, brought up to date or not, goes with the work folder."""
    if copy is not None:
        with contextlib.suppress(SopError):  # of no use now
            copy.result()
    _take_spare(job.site_dir, work / SPARE)


def _language(project: Project, path: str) -> str:
    """The language of a docs path: its suffix for a page (page.es.md), the source language for a file."""
    source = project.source_language
    return split_name(posixpath.basename(path), source)[1] if path.endswith(".md") else source


def _languages_of(project: Project, paths: set[str]) -> list[str]:
    """The languages with a page or file among `paths` (docs paths), in the project's order."""
    found = {_language(project, path) for path in paths}
    return [lang for lang in project.languages if lang in found]


def _merge(work: Path, languages: list[str], source: str) -> Path:
    """The source language's build is the site root; each other language contributes its own folder."""
    merged = work / source
    for lang in languages:
        if lang != source:
            os.rename(work / lang / lang, merged / lang)
    return merged


@dataclass
class Renderer:
    process: subprocess.Popen[bytes]
    counter: threading.Thread

    def go(self) -> None:
        """The work folder is ready: the generator, which has read its modules meanwhile, renders."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.close()


def _start_renderer(
    job: Job, work: Path, languages: list[str], incremental: bool, progress: Progress
) -> Renderer:
    """A generator process rendering `languages` in turn, once told to go."""
    command = [sys.executable, "-m", "soplib.site.generator", str(job.project.root / "mkdocs.yml")]
    command += [str(job.docs), str(work), "dirty" if incremental else "clean", *languages]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    counter = threading.Thread(target=_count_pages, args=(process, progress), daemon=True)
    counter.start()
    return Renderer(process, counter)


def _count_pages(process: subprocess.Popen[bytes], progress: Progress) -> None:
    """The generator writes a byte per page it has rendered."""
    assert process.stdout is not None
    while chunk := os.read(process.stdout.fileno(), 4096):
        progress.add(len(chunk))


def _finish(renderer: Renderer) -> str | None:
    """What went wrong in the generator, if anything."""
    assert renderer.process.stderr is not None
    errors = renderer.process.stderr.read().decode("utf-8", "replace").strip()
    renderer.process.wait()
    renderer.counter.join()
    if renderer.process.returncode == 0:
        return None
    return errors or f"the generator stopped (exit code {renderer.process.returncode})"


def diff_pages(job: Job, texts: Texts) -> DiffPages:
    config = hashlib.sha256((job.project.root / "translations" / "ui.yml").read_bytes()).hexdigest()
    return DiffPages(texts, job.diff_cache, config)


def _finishing(job: Job, diffs: DiffPages, tree: Outline, since: float | None) -> Finishing:
    """What the leader does to the site once it is rendered (soplib.site.finish), as plain data. A rebuild
    gives the diff pages' folders the site in place has (their cache folders), so that only the others are
    linked; their list is the site's once it is in place (soplib.site.build's _settle)."""
    source = job.project.source_language
    links = [(str(diffs.folder(state, lang)), diff_folder(state, lang, source)) for state, lang in tree.diffs]
    _write(job.state_dir / NEXT_DIFF_LINKS, "".join(f"{url}\t{folder}\n" for folder, url in links))
    folders = [("" if lang == source else f"{lang}/") + DIFFS for lang in job.project.languages]
    before = _diff_links(job, folders) if since is not None else None
    cache = str(job.diff_cache)
    return Finishing(links, folders, (CSS, stylesheet()), tree.sop_pages, since, cache, job.preview, before)


def _diff_links(job: Job, folders: list[str]) -> dict[str, str] | None:
    """The diff pages' folders of the site in place and their cache folders, as the build that made it
    listed them; None (every diff page is linked) when there is no list, or a line that is not one of a
    diff folder under the site's and a cache folder under the cache (a rebuild removes the folders it
    lists that are no longer shown)."""
    lines = _read(job.state_dir / DIFF_LINKS).splitlines()
    found = dict(line.split("\t", 1) for line in lines if "\t" in line)
    cache = f"{job.diff_cache}/"
    for url, folder in found.items():
        inside = url.startswith(tuple(f"{root}/" for root in folders)) and ".." not in url.split("/")
        if not (inside and folder.startswith(cache) and ".." not in folder.split("/")):
            return None
    return found if lines and len(found) == len(lines) else None


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
