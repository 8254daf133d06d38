"""`sop lint` from start to result: find the project, load the library, pick the files asked for, lint."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from soplib.errors import SopError
from soplib.history import Git
from soplib.library import load_library
from soplib.lint import LintResult, lint
from soplib.lint.base import check_base
from soplib.output import resolve_folders
from soplib.project import Project


def execute(start: Path, paths: Sequence[Path], today: date, base: str | None = None) -> LintResult:
    project = Project.discover(start)
    library = load_library(project)
    everything = [path.as_posix() for path in library.files]  # SOPs and the other files under sops/
    only = _selected(project, everything, paths) if paths else None
    extra = check_base(library, Git(project.root), base) if base is not None else []
    return lint(library, today, only, extra)


def _selected(project: Project, files: list[str], paths: Sequence[Path]) -> set[str]:
    selected: set[str] = set()
    for path in paths:
        absolute = resolve_folders(path)
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
