"""`sop build`: the strict MkDocs build of the site, one process per language, swapped in whole.

mkdocs-static-i18n builds the languages one after another in one process. Here each language is a
separate process (forked, so the configuration and library are read once per process at most) that
builds only its own pages into a folder of its own; the plugin tells mkdocs-static-i18n which language a
process builds (see SopPlugin.only_language).

Whatever moment the build is killed at, the site folder holds the whole old site or the whole new one:
everything is made in a work folder beside it (`sop-build-<site>-XXXXXXXX`, on the same file system) and
the finished site takes the old one's place in one rename (renameat2 RENAME_EXCHANGE). A lock beside the
site folder lets one build at a time write it; a second one waits. The build runs in a process group of
its own that dies with the `sop` process, so nothing keeps writing into a work folder after a kill, and
the next build removes the work folders that killed builds left.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.core.output import sync_folder, write_file
from soplib.core.system import RENAME_EXCHANGE, RENAME_NOREPLACE, die_with_parent, rename
from soplib.search import index_site

Say = Callable[[str], None]


class BuildFailed(SopError):
    """The lint found errors or the MkDocs build had warnings in strict mode: exit 1."""

    exit_code = 1


def _build_language(config_file: str, language: str, site_dir: str) -> str | None:
    """Runs in a child process; returns an error message, or None when the build succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"[{language}] %(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(config_file, strict=True, site_dir=site_dir)
        config.plugins["sop"].only_language = language  # type: ignore[attr-defined]
        build(config)
    except MkDocsException as error:  # PluginError (lint), ConfigurationError, Abort (strict warnings)
        return str(error)
    except OSError:
        raise  # a full disk, a read-only folder: said in one line by build_site
    except Exception as error:  # a child's traceback would be lost in the pool: report it as one line
        return f"internal error: {type(error).__name__}: {error}"
    return None


def build_site(
    root: Path, site_dir: Path, languages: list[str], source_language: str, files: dict[str, str], say: Say
) -> None:
    """Build the site and put it in place of `site_dir`, with `files` (name -> text) added at its root."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise SopError(f"{config_file}: no mkdocs.yml in the library")
    with _lock(site_dir, say):
        _remove_stale_work(site_dir)
        work = _work_folder(site_dir)
        try:
            _in_own_group(_build_all, str(config_file), work, languages, source_language)
            built = work / source_language
            for name, text in files.items():
                write_file(built / name, text)
            _swap_in(built, site_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # the old site is in it now, or the failed build


def _build_all(config_file: str, work: Path, languages: list[str], source_language: str) -> None:
    """Every language in its own process, merged, indexed for search; in the build's process group."""
    tempfile.tempdir = str(work)  # the docs folders the plugin makes (sop-site-*) go in the work folder too
    context = multiprocessing.get_context("fork")
    size = min(len(languages), max(1, multiprocessing.cpu_count()))
    try:
        with context.Pool(size, initializer=signal.signal, initargs=(signal.SIGTERM, signal.SIG_DFL)) as pool:
            jobs = {
                lang: pool.apply_async(_build_language, (config_file, lang, str(work / lang)))
                for lang in languages
            }
            errors = {lang: job.get() for lang, job in jobs.items()}
    except OSError as error:
        raise SopError(f"{work.parent}: cannot write the site: {error.strerror}") from None
    failed = {lang: message for lang, message in errors.items() if message}
    if failed:
        first = next(iter(failed.values()))
        raise BuildFailed(
            first
            if "sop lint" in first
            else "the site build failed:\n" + "\n".join(f"[{k}] {v}" for k, v in failed.items())
        )
    _merge(work, languages, source_language)
    index_site(work / source_language)


def _merge(work: Path, languages: list[str], source_language: str) -> None:
    """The source language's build is the site root; each other language contributes its own folder."""
    merged = work / source_language
    for lang in languages:
        if lang != source_language:
            os.rename(work / lang / lang, merged / lang)


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
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
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


def _kill_group(leader: multiprocessing.process.BaseProcess) -> None:
    try:
        os.killpg(leader.pid or 0, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # not a group leader yet: then it has no children
        leader.kill()
