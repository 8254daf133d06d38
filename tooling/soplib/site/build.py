"""`sop build` from the decorated tree to the site in place: rendered, diff pages added, indexed, swapped.

This module is the build's leader: the lock, the work folder, the process group, the search index and the
swap. The site is made in a child of it (soplib.site.render: the tree written a language at a time, the
generator rendering it in processes of its own while the diff pages are made), whose memory, the
library's, goes with it before Pagefind indexes the SOP pages.

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
import fcntl
import functools
import gc
import multiprocessing
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soplib.core.errors import SopError
from soplib.core.output import sync_folder, write_file
from soplib.core.system import RENAME_EXCHANGE, RENAME_NOREPLACE, die_with_parent, rename
from soplib.load.project import Project
from soplib.search import index_site
from soplib.site.progress import Progress

if TYPE_CHECKING:
    from soplib.site.finish import Finishing

Say = Callable[[str], None]
SPARE_MARK = ".sop-spare"  # in the spare: the mark of a copy sop build kept (it names the site folder)
NEXT_SPARE = "next-spare"  # in the work folder: a copy of a site made anew, to keep as the spare
MARKER = "catalog.json"  # every site `sop build` makes has it; a folder without it is not ours to replace
# in the build's state: the docs paths changed since the site in place was rendered (soplib.publish.tree's
# DocsFolder), the files the site in place has beside its pages (a superset while a build runs), and the
# name of the build that made it (soplib.publish.memo takes whole the parts that build wrote)
PENDING = "pending"
FINGERPRINT = "fingerprint"  # what every page of the site in place depends on besides its Markdown
NEXT_FINGERPRINT = "fingerprint.next"
SITE_FILES = "site-files"
NEXT_SITE_FILES = "site-files.next"  # those of the site being built
IN_PLACE = "in-place"
NEXT_IN_PLACE = "in-place.next"
WORDS = "words"  # each search index's words by fragment (soplib.search.terms)
DIFF_LINKS = "diff-links"  # the diff pages' folders of the site in place: URL, cache folder
NEXT_DIFF_LINKS = "diff-links.next"


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


def build_site(job: Job, say: Say, progress: Progress) -> None:
    """Build the site and put it in place of `job.site_dir`."""
    with _lock(job.site_dir, say):
        _remove_stale_work(job.site_dir)
        work = _work_folder(job.site_dir)
        try:
            _in_own_group(_build_all, job, work, progress)
            with contextlib.suppress(FileNotFoundError):  # true of the site in place only: see _settle
                os.unlink(job.state_dir / DIFF_LINKS)
            _swap_in(work / job.project.source_language, job.site_dir)
            _settle(job.state_dir)
            _keep_spare(work, job.project.source_language, job.site_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # the old site is in it now, or the failed build


def _settle(state: Path) -> None:
    """The build's state once its site is in place: nothing pending; the fingerprint, the site files, the
    name and the diff pages' folders its own. Killed before this, the state is the site before's, which
    only makes the next build do more: a fingerprint another build's makes it render every page, a name
    another's makes it take no part whole, and a rebuild without the list of diff folders (removed before
    the swap) links every diff page."""
    for made, now in (
        (NEXT_FINGERPRINT, FINGERPRINT),
        (NEXT_SITE_FILES, SITE_FILES),
        (NEXT_IN_PLACE, IN_PLACE),
        (NEXT_DIFF_LINKS, DIFF_LINKS),
    ):
        with contextlib.suppress(FileNotFoundError):
            os.replace(state / made, state / now)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(state / PENDING)


def _build_all(job: Job, work: Path, progress: Progress) -> None:
    """The site rendered in a child process (its memory, the library's and the tree's, goes with it), then
    finished (soplib.site.finish) and indexed by this one, small again, while Pagefind needs much memory of
    its own. A rebuild's few pages are finished beside Pagefind; a build that renders every page is finished
    first, on both cores: its check reads every page, and its processes beside Pagefind's would add to the
    build's peak of memory."""
    from soplib.site.render import render_site  # here: the leader never holds the library's modules

    rendered = _in_child(render_site, job, work, progress)
    progress.stage("search index")
    site = work / job.project.source_language
    finish = functools.partial(_in_child, _finish, job.project, site, rendered.finishing)
    if rendered.incremental:
        index_site(site, rendered.search, finish, job.state_dir / WORDS)
    else:
        finish()
        copy = threading.Thread(target=_copy_for_next_build, args=(site, work / NEXT_SPARE))
        copy.start()  # the next build starts from a copy of this site, made as Pagefind indexes
        try:
            index_site(site, rendered.search, kept=job.state_dir / WORDS)
        finally:
            copy.join()
    progress.done()
    _write(job.state_dir / NEXT_FINGERPRINT, rendered.fingerprint)


def _finish(*args: Any) -> None:
    from soplib.site.finish import finish_site  # in a child of its own: the leader stays small

    finish_site(*args)


@dataclass(frozen=True)
class Rendered:
    """What the rendering child gives back: the languages to index again (with the glob of their SOP
    pages), the build's fingerprint, and what is left to do to the site."""

    search: dict[str, str]
    fingerprint: str
    incremental: bool  # False: every page is new
    finishing: Finishing


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
        gc.freeze()  # this process's objects out of the collector's reach: the child copies fewer pages
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


def _copy_for_next_build(site: Path, copy: Path) -> None:
    """A copy of `site` sharing its files (its search index aside, being written), or none: a copy that
    could not be finished (a full disk, too many links) is not kept."""
    try:
        mirror(site, copy, frozenset({"pagefind"}))
    except OSError:
        shutil.rmtree(copy, ignore_errors=True)


def _spare(site_dir: Path) -> Path:
    """The site before the one in place, kept beside it: the next build's starting point."""
    return site_dir.with_name(f".{site_dir.name}.previous")


def _take_spare(site_dir: Path, into: Path) -> bool:
    """The spare moved to `into` if `sop build` kept it: a folder of that name that is not ours stays as
    it is. Whether it was."""
    spare = _spare(site_dir)
    with contextlib.suppress(OSError):
        if _ours(spare):
            os.rename(spare, into)
            return True
    return False


def _ours(spare: Path) -> bool:
    """A spare `sop build` kept: a real folder, never a link, with the mark _keep_spare leaves (even when
    the library has moved since)."""
    try:
        return stat.S_ISDIR(os.lstat(spare).st_mode) and stat.S_ISREG(os.lstat(spare / SPARE_MARK).st_mode)
    except OSError:
        return False


def update_spare(site_dir: Path) -> bool:
    """The spare brought up to date with the site in place where it is, beside it (a build that fails
    after this leaves it so, and the next one starts from it); whether it is now. A folder of its name
    that is not ours stays as it is."""
    spare = _spare(site_dir)
    if not _ours(spare):
        return False
    mirror(site_dir, spare, keep=frozenset({SPARE_MARK}))
    return True


def _keep_spare(work: Path, source: str, site_dir: Path) -> None:
    """The next build's starting point kept beside the site: a copy of a site made anew (only its search
    index differs), else the site just replaced (only the files this build changed differ). When there
    is no room for it, it goes with the work folder."""
    kept = work / NEXT_SPARE if (work / NEXT_SPARE).is_dir() else work / source
    with contextlib.suppress(OSError, SopError):  # a head start only: without it, the site in place is copied
        write_file(kept / SPARE_MARK, f"{site_dir}\n", durable=False)  # the next build brings it up to date
        rename(kept, _spare(site_dir), RENAME_NOREPLACE)


def mirror(
    source: Path, target: Path, skip: frozenset[str] = frozenset(), keep: frozenset[str] = frozenset()
) -> None:
    """Make `target` a copy of `source` whose files share their data (hard links): a file already linked
    stays (the same inode), another is replaced, one that `source` lacks is removed. Reading the folders
    tells the inodes (readdir), so bringing an old copy up to date costs little more than reading it.
    Entries at the top named in `skip` are left out, those of `target` named in `keep` left as they are.
    Links in `source` are not followed (a site holds none)."""
    target.mkdir(exist_ok=True)
    there = {entry.name: entry for entry in os.scandir(target) if entry.name not in keep}
    for entry in os.scandir(source):
        old = there.pop(entry.name, None)
        if entry.name in skip:
            continue
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


def _read(path: Path) -> str:
    """A file of the build's state, or "" when it cannot be read (it is then as if it were not there)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
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
    gc.freeze()  # as in _Child
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
