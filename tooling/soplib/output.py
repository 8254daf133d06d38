"""Files a command writes when asked (-o): never into sops/ or .git/, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from soplib.errors import SopError
from soplib.project import Project


def output_path(output: Path, project: Project) -> Path:
    """Where -o writes: its folder resolved, the name itself kept, so that a link named by -o is replaced
    rather than the file it points to overwritten. Never inside sops/ (it would be read as an SOP)."""
    target = output.absolute().parent.resolve() / output.name
    if target.is_relative_to(project.sops_dir.resolve()):
        raise SopError(f"{output}: inside sops/, where it would be read as an SOP; write it elsewhere")
    if target.is_relative_to((project.root / ".git").resolve()):
        raise SopError(f"{output}: inside .git/, git's own folder; write it elsewhere")
    if target.is_dir():
        raise SopError(f"{output}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise SopError(f"{output}: the folder {target.parent} does not exist")
    return target


def write_file(target: Path, text: str) -> bool:
    """Write through a new temporary file beside the target (never one that exists), then swap it in, so
    that a failed write leaves the old file whole. True when a file was replaced."""
    existed = target.exists() or target.is_symlink()
    mode = target.stat().st_mode & 0o777 if target.is_file() else _default_mode()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise SopError(f"{target}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise SopError(f"{target}: cannot write: {error.strerror}") from None
    return existed


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
