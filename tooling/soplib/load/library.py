"""The one loader: sops/ into typed records. The only place that maps a file name to an SOP and language."""

from __future__ import annotations

import multiprocessing
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from soplib.core.errors import SopError
from soplib.core.model import Finding, Severity, Sop, SopGroup
from soplib.core.output import resolve_folders
from soplib.core.state import LibraryState, library_state
from soplib.load.frontmatter import parse_file
from soplib.load.parsed import ParsedFiles, digest
from soplib.load.project import SOPS_DIR, Project

_LANG_SUFFIX = re.compile(r"^(?P<slug>.+?)(?:\.(?P<lang>[a-z]{2}(?:[-_][A-Za-z]{2})?))?\.md$")

# The attachments published from sops/ beside the SOPs, each with the first bytes its content must start
# with. Not SVG: an SVG image can carry script.
ATTACHMENTS: dict[str, re.Pattern[bytes]] = {
    suffix: re.compile(signature, re.DOTALL)
    for suffix, signature in {
        ".png": rb"\x89PNG\r\n\x1a\n",
        ".jpg": rb"\xff\xd8\xff",
        ".jpeg": rb"\xff\xd8\xff",
        ".gif": rb"GIF8[79]a",
        ".webp": rb"RIFF.{4}WEBP",
        ".pdf": rb"%PDF-",
    }.items()
}


class FileKind(StrEnum):
    """What becomes of a file under sops/."""

    SOP = "sop"  # read, linted and published
    PAGE = "page"  # a page of the site at the top of sops/ (index.md): published
    ATTACHMENT = "attachment"  # an image or PDF: published
    LINK = "link"  # a symbolic link: never followed, never published
    OTHER = "other"  # anything else: not published


PUBLISHED = (FileKind.SOP, FileKind.PAGE, FileKind.ATTACHMENT)


def split_name(name: str, default_lang: str) -> tuple[str, str]:
    """`appeal.es.md` -> ('appeal', 'es'); `appeal.md` -> ('appeal', default_lang)."""
    match = _LANG_SUFFIX.match(name)
    if not match:
        raise ValueError(f"not a Markdown file name: {name}")
    return match["slug"], match["lang"] or default_lang


def sop_file_name(slug: str, lang: str, default_lang: str) -> str:
    return f"{slug}.md" if lang == default_lang else f"{slug}.{lang}.md"


def is_sop_path(relative: PurePath) -> bool:
    """SOPs live one folder deep (sops/<team>/<slug>.md); files at the top of sops/ are site pages."""
    return len(relative.parts) >= 2 and relative.suffix == ".md" and not _hidden(relative)


def _hidden(relative: PurePath) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


def file_kind(path: Path, relative: Path) -> FileKind:
    """`path` (relative: its path under sops/) by its own type and name; a link is never followed."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        return FileKind.LINK
    if not stat.S_ISREG(mode) or _hidden(relative):
        return FileKind.OTHER
    if is_sop_path(relative):
        return FileKind.SOP
    if relative.suffix == ".md" and len(relative.parts) == 1:
        return FileKind.PAGE
    return FileKind.ATTACHMENT if relative.suffix.lower() in ATTACHMENTS else FileKind.OTHER


def sops_tree(sops_dir: Path) -> dict[Path, FileKind]:
    """Every file and link under sops/ (and sops/ itself when it is a link), in path order, without
    following a link: a link to a folder is listed, not entered."""
    if sops_dir.is_symlink():
        return {sops_dir: FileKind.LINK}
    found: dict[Path, FileKind] = {}
    for folder, folders, files in os.walk(sops_dir):
        for name in [*folders, *files]:
            path = Path(folder, name)
            if name in files or path.is_symlink():
                found[path] = file_kind(path, path.relative_to(sops_dir))
    return dict(sorted(found.items()))


@dataclass
class Library:
    project: Project
    sops: list[Sop] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # problems found while reading files
    files_read: list[str] = field(default_factory=list)
    files: dict[Path, FileKind] = field(default_factory=dict)  # everything under sops/, from the root

    def working_bytes(self, path: str) -> bytes | None:
        """The bytes of the SOP file at `path` (from the root) as read now, or None when there is no such
        regular file: a link, or anything else the loader did not read, is never read through."""
        if self.files.get(Path(path)) is not FileKind.SOP:
            return None
        try:
            return read_no_follow(self.project.root / path)
        except OSError:
            return None

    def published(self) -> list[Path]:
        """The files of sops/ that the site publishes, relative to sops/."""
        sops = Path(SOPS_DIR)
        return [path.relative_to(sops) for path, kind in self.files.items() if kind in PUBLISHED]

    def groups(self) -> dict[str, SopGroup]:
        groups: dict[str, SopGroup] = {}
        for sop in self.sops:
            groups.setdefault(sop.key, SopGroup(sop.key)).files[sop.lang] = sop
        return groups

    @cached_property
    def state(self) -> LibraryState:
        """Every SOP's lifecycle and translations, computed once for whoever asks."""
        return library_state(self)

    def english(self) -> list[Sop]:
        return [sop for sop in self.sops if sop.lang == self.project.source_language]

    def by_id(self, sop_id: str, lang: str | None = None) -> Sop | None:
        return self._by_id.get((sop_id, lang or self.project.source_language))

    @cached_property
    def _by_id(self) -> dict[tuple[str | None, str], Sop]:
        """Built once the library is loaded: diffs and reports look ids up thousands of times."""
        index: dict[tuple[str | None, str], Sop] = {}
        for sop in self.sops:
            index.setdefault((sop.sop_id, sop.lang), sop)
        return index


def load_file(project: Project, path: Path) -> tuple[Sop | None, list[Finding]]:
    shown = path.relative_to(project.root).as_posix()
    try:
        raw = read_no_follow(path)
    except OSError as error:
        return None, [
            Finding(shown, 1, 1, Severity.ERROR, "file-unreadable", f"cannot read the file: {error.strerror}")
        ]
    return read_sop(project, shown, raw)


def read_sop(project: Project, shown: str, raw: bytes) -> tuple[Sop | None, list[Finding]]:
    """One SOP file's bytes (from disk, or from git at some commit) as a record; `shown` is its path from the
    repository's root, sops/<team>/<slug>[.<lang>].md."""
    parsed = parse_file(raw, shown)
    if parsed.meta is None:
        return None, parsed.findings
    relative = PurePosixPath(shown).relative_to(SOPS_DIR)
    slug, lang = split_name(relative.name, project.source_language)
    key = (relative.parent / slug).as_posix()
    sop = Sop(
        Path(shown),
        key,
        lang,
        parsed.meta,
        parsed.positions,
        parsed.body,
        parsed.body_line,
        parsed.lines_total,
    )
    return sop, parsed.findings


PARALLEL_FROM = 600  # SOP files: below this, a second process costs more than it saves
Read = tuple[Sop | None, list[Finding]]
_PENDING: list[tuple[Callable[[Project, Path], Any], Project, Path]] = []  # what the forked process reads


def _load_pending() -> list[Any]:
    """In the forked process: the files left in _PENDING, each read by its function."""
    return [read(project, path) for read, project, path in _PENDING]


def _load_and_parse(project: Project, path: Path) -> Read:
    sop, findings = load_file(project, path)
    if sop is not None:
        _ = sop.document  # parsed now, cached on the record (Sop.document)
    return sop, findings


def _parse_with_digest(project: Project, path: Path) -> tuple[Read, bytes | None]:
    """A file read and parsed, and the digest of the bytes parsed (None: it could not be read)."""
    try:
        raw = read_no_follow(path)
    except OSError:
        return load_file(project, path), None  # the finding that says so
    sop, findings = read_sop(project, path.relative_to(project.root).as_posix(), raw)
    if sop is not None:
        _ = sop.document
    return (sop, findings), digest(raw)


def read_no_follow(path: Path, size: int = -1) -> bytes:
    """The file's bytes (the first `size`), refusing (ELOOP) to read through a link put there meanwhile."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        wanted = os.fstat(descriptor).st_size + 1 if size < 0 else size  # one read, and one to see the end
        chunks = [os.read(descriptor, wanted)]
        while size < 0 and chunks[-1]:  # a file that grew while read
            chunks.append(os.read(descriptor, 1 << 16))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def load_library(project: Project, bodies: bool = False, kept: ParsedFiles | None = None) -> Library:
    """Every file under sops/, and every SOP read into a record. With `bodies`, each body is parsed too, on
    two cores for a large library: reading and parsing are most of the work of a lint. `kept`: the files as
    parsed before (soplib.load.parsed): only those that changed since are parsed (its caller saves it)."""
    library = Library(project)
    paths = []
    for path, kind in sops_tree(project.sops_dir).items():
        library.files[path.relative_to(project.root)] = kind
        if kind is FileKind.SOP:
            paths.append(path)
            library.files_read.append(path.relative_to(project.root).as_posix())
    read = (
        _read_kept(project, paths, kept) if bodies and kept is not None else _read_all(project, paths, bodies)
    )
    for sop, findings in read:
        library.findings.extend(findings)
        if sop is not None:
            library.sops.append(sop)
    return library


def _read_kept(project: Project, paths: list[Path], kept: ParsedFiles) -> list[Read]:
    """Every file read, and parsed unless `kept` has it parsed from the same bytes."""
    found: dict[Path, Read] = {}
    new: list[Path] = []
    for path in paths:
        shown = path.relative_to(project.root).as_posix()
        try:
            read = digest(read_no_follow(path))
        except OSError:
            found[path] = load_file(project, path)  # the finding that says so
            continue
        parsed = kept.get(shown, read)
        if parsed is None:
            new.append(path)
        else:
            found[path] = parsed
    # kept under the digest of the bytes parsed (read again): a file saved meanwhile, even saved back, is
    # never taken for what it was
    for path, (parsed, parsed_from) in zip(new, _in_two(project, new, _parse_with_digest), strict=True):
        found[path] = parsed
        if parsed_from is not None:
            kept.put(path.relative_to(project.root).as_posix(), parsed_from, parsed)
    return [found[path] for path in paths]


def _read_all(project: Project, paths: list[Path], bodies: bool) -> list[Read]:
    if bodies:
        return _in_two(project, paths, _load_and_parse)
    return [load_file(project, path) for path in paths]


def _in_two(project: Project, paths: list[Path], read: Callable[[Project, Path], Any]) -> list[Any]:
    """`read(project, path)` of each path, on two cores for many files."""
    parallel = len(paths) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    if not parallel or multiprocessing.current_process().daemon:
        return [read(project, path) for path in paths]
    split = len(paths) * 11 // 20  # the other process also sends its records back: it gets fewer
    _PENDING[:] = [(read, project, path) for path in paths[split:]]
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            theirs = pool.apply_async(_load_pending)
            mine = [read(project, path) for path in paths[:split]]
            return mine + theirs.get()
    finally:
        _PENDING.clear()


def selected_files(project: Project, files: list[str], paths: Sequence[Path]) -> set[str]:
    """The files (of `files`, paths relative to the root) that the paths a user gave name."""
    selected: set[str] = set()
    for path in paths:
        absolute = resolve_folders(path)  # a link named is the link, not what it points to
        if not os.path.lexists(absolute):
            raise SopError(f"{path}: no such file or folder")
        try:
            relative = absolute.relative_to(project.root).as_posix()
        except ValueError:
            raise SopError(f"{path}: outside the SOP library at {project.root}") from None
        if absolute.is_dir() and not absolute.is_symlink():
            prefix = "" if relative == "." else relative + "/"
            selected.update(f for f in files if f.startswith(prefix))
        elif relative in files:
            selected.add(relative)
        else:
            raise SopError(
                f"{path}: not an SOP file (SOPs are sops/<team>/<slug>.md, <slug>.es.md, <slug>.pt.md)"
            )
    return selected
