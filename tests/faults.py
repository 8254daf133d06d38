"""Real faults of the file system for the tests: a read-only folder and a full disk.

Both are mounts, because the tests run as root and root writes through file permissions: a read-only
bind mount of a folder onto itself, and a small tmpfs filled to the last byte. Where mounting is not
allowed (no CAP_SYS_ADMIN), the tests that need it are skipped with the reason the system gave.
"""

from __future__ import annotations

import errno
import functools
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str | Path) -> None:
    result = subprocess.run(["mount", *map(str, args)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OSError(result.stderr.strip() or f"mount {args} failed")


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "--lazy", str(folder)], capture_output=True, check=False)


@functools.cache
def _mount_problem() -> str | None:
    """Why this machine cannot mount (checked once, by trying), or None."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", folder)
        except OSError as error:
            return f"cannot mount here ({error}): needs root with CAP_SYS_ADMIN"
        _unmount(Path(folder))
    return None


def need_mounts() -> None:
    problem = _mount_problem()
    if problem:
        pytest.skip(problem)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` read-only for everyone, root included (EROFS)."""
    need_mounts()
    _mount("--bind", folder, folder)
    try:
        _mount("-o", "remount,bind,ro", folder)
        yield
    finally:
        _unmount(folder)


@contextmanager
def small_disk(folder: Path, size: str = "2m") -> Iterator[None]:
    """A tmpfs of `size` at `folder` (empty: what was there is hidden until it is unmounted)."""
    need_mounts()
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", folder)
    try:
        yield
    finally:
        _unmount(folder)


def fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte."""
    handle = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for chunk in (b"\0" * 65536, b"\0"):  # then the last partial block
            while True:
                try:
                    os.write(handle, chunk)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
                    break
    finally:
        os.close(handle)


def listing(folder: Path) -> list[str]:
    """Every path under `folder` (links not followed), to compare before and after a command."""
    return sorted(
        os.path.relpath(os.path.join(parent, name), folder)
        for parent, folders, files in os.walk(folder)
        for name in folders + files
    )
