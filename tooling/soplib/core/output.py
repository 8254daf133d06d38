"""Every file the tools write goes through `write_file`: whole or not at all, and never through a link.

A new temporary file (mkstemp: O_EXCL and O_NOFOLLOW, so never one that exists or a planted link) is
written beside the target, flushed to disk, then renamed onto the target's name. A rename replaces a
link at that name rather than the file it points to, so nothing is written through a link; any failure
(a read-only folder, a full disk) removes the temporary file and leaves the old file as it was.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from soplib.core.errors import SopError
from soplib.core.system import RENAME_NOREPLACE, rename
from soplib.load.project import Project


def resolve_folders(path: Path) -> Path:
    """`path` made absolute with its folders resolved but not its last part: a link named is the link."""
    absolute = Path(os.path.abspath(path))
    return absolute if absolute == absolute.parent else absolute.parent.resolve() / absolute.name


def output_path(output: Path, project: Project) -> Path:
    """Where -o writes: its folder resolved, the name itself kept, so that a link named by -o is replaced
    rather than the file it points to overwritten. Never inside sops/ (it would be read as an SOP)."""
    target = resolve_folders(output)
    if target.is_relative_to(project.sops_dir.resolve()):
        raise SopError(f"{output}: inside sops/, where it would be read as an SOP; write it elsewhere")
    if target.is_relative_to((project.root / ".git").resolve()):
        raise SopError(f"{output}: inside .git/, git's own folder; write it elsewhere")
    if target.is_dir():
        raise SopError(f"{output}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise SopError(f"{output}: the folder {target.parent} does not exist")
    return target


def refuse_links(root: Path, target: Path) -> None:
    """For paths the tools choose inside the library (.github/CODEOWNERS, sops/<team>/<slug>.md): a link
    among its folders or at the file itself could lead anywhere (a pull request can plant one), so it is
    refused rather than followed."""
    path = root
    for part in target.relative_to(root).parts:
        path = path / part
        if path.is_symlink():
            raise SopError(
                f"{path.relative_to(root)}: is a symbolic link; `sop` does not write through links: "
                "replace it with a real file or folder"
            )


def with_body(
    raw: bytes, body_line: int, body: str, edit_head: Callable[[list[str]], list[str]] | None = None
) -> str:
    """An SOP file's text with a new body (the body as the loader read it: "\n" line endings), its front
    matter kept line for line (or changed by `edit_head`), and its byte-order mark and line endings kept."""
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    head = text.replace("\r\n", "\n").split("\n")[: body_line - 1]
    whole = "\n".join([*(edit_head(head) if edit_head else head), body]).replace("\n", newline)
    return ("\ufeff" if raw.startswith(b"\xef\xbb\xbf") else "") + whole


def write_file(target: Path, text: str | bytes, replace: bool = True, durable: bool = True) -> bool:
    """Write `text` to `target` atomically. `replace=False` never replaces anything at `target` (not even
    a link): the file appears whole or the call fails. `durable=False` skips waiting for the disk, for the
    many files of a build that a later one can make again. True when a file was replaced."""
    existed = os.path.lexists(target)
    if existed and not replace:
        raise SopError(f"{target}: already exists; it is never overwritten")
    mode = _mode_for(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise SopError(f"{target}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(text.encode("utf-8") if isinstance(text, str) else text)
            file.flush()
            os.fchmod(file.fileno(), mode)
            if durable:
                os.fsync(file.fileno())  # the data is on disk before the name points to it
        if replace:
            os.replace(temporary, target)
        else:
            rename(Path(temporary), target, RENAME_NOREPLACE)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        reason = "already exists; it is never overwritten" if error.errno == errno.EEXIST else error.strerror
        raise SopError(f"{target}: cannot write: {reason}") from None
    if durable:
        sync_folder(target.parent)
    return existed


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut. Best effort: some file systems refuse it."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _mode_for(target: Path) -> int:
    """A replaced file keeps its permissions; a new one gets the usual ones (0666 less the umask)."""
    try:
        info = os.lstat(target)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
