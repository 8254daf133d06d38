"""The one loader: sops/ into typed records. The only place that maps a file name to an SOP and language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePath, PurePosixPath

from soplib.core.state import LibraryState, library_state
from soplib.errors import SopError
from soplib.frontmatter import parse_file
from soplib.model import Finding, Severity, Sop, SopGroup
from soplib.project import SOPS_DIR, Project

_LANG_SUFFIX = re.compile(r"^(?P<slug>.+?)(?:\.(?P<lang>[a-z]{2}(?:[-_][A-Za-z]{2})?))?\.md$")


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
    return (
        len(relative.parts) >= 2
        and relative.suffix == ".md"
        and not any(part.startswith((".", "_")) for part in relative.parts)
    )


@dataclass
class Library:
    project: Project
    sops: list[Sop] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # problems found while reading files
    files_read: list[str] = field(default_factory=list)

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
        raw = path.read_bytes()
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


def load_library(project: Project) -> Library:
    library = Library(project)
    for path in sorted(project.sops_dir.rglob("*.md")):
        relative = path.relative_to(project.sops_dir)
        if not is_sop_path(relative) or not path.is_file():
            continue
        sop, findings = load_file(project, path)
        library.files_read.append(path.relative_to(project.root).as_posix())
        library.findings.extend(findings)
        if sop is not None:
            library.sops.append(sop)
    return library


def selected_files(project: Project, files: list[str], paths: Sequence[Path]) -> set[str]:
    """The SOP files (of `files`, paths relative to the root) that the paths a user gave name."""
    selected: set[str] = set()
    for path in paths:
        absolute = path.resolve()
        if not absolute.exists():
            raise SopError(f"{path}: no such file or folder")
        try:
            relative = absolute.relative_to(project.root).as_posix()
        except ValueError:
            raise SopError(f"{path}: outside the SOP library at {project.root}") from None
        if absolute.is_dir():
            prefix = "" if relative == "." else relative + "/"
            selected.update(f for f in files if f.startswith(prefix))
        elif relative in files:
            selected.add(relative)
        else:
            raise SopError(
                f"{path}: not an SOP file (SOPs are sops/<team>/<slug>.md, <slug>.es.md, <slug>.pt.md)"
            )
    return selected
