"""Linux system calls that Python's standard library lacks, through ctypes: renameat2(2), prctl(2)'s
parent-death signal and malloc_trim(3). Elsewhere each has a plainer fallback, said where it is used."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100
_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def rename(source: Path, target: Path, flags: int) -> None:
    """RENAME_NOREPLACE fails when `target` exists (a link included); RENAME_EXCHANGE swaps two names in
    one step. Where the system or file system lacks renameat2: a hard link for NOREPLACE (which fails
    the same way), two renames for EXCHANGE (with a moment in which `target` is missing)."""
    function = getattr(_LIBC, "renameat2", None)
    if function is not None:
        if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL):
            raise OSError(code, os.strerror(code), str(target))
    if flags == RENAME_NOREPLACE:
        os.link(source, target)
        os.unlink(source)
    else:
        aside = source.with_name(source.name + ".swap")
        os.rename(target, aside)
        os.rename(source, target)
        os.rename(aside, source)


def die_with_parent(signal_number: int) -> None:
    """Ask the kernel to send `signal_number` to this process when its parent ends, even by SIGKILL.
    Without prctl (not Linux) nothing happens: a killed build's children then finish on their own."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal_number, 0, 0, 0)


def give_back_memory() -> None:
    """The memory of freed large objects given back to the system (glibc keeps it otherwise); elsewhere,
    nothing."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)
