"""`sop lint` from start to result: find the project, load the library, pick the files asked for, lint."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from soplib.lint import LintResult, lint
from soplib.lint.base import check_base
from soplib.load.library import load_library, selected_files
from soplib.load.project import Project
from soplib.repo.baseline import baseline
from soplib.repo.git import Git


def execute(start: Path, paths: Sequence[Path], today: date, base: str | None = None) -> LintResult:
    project = Project.discover(start)
    library = load_library(project, bodies=True)
    everything = [path.as_posix() for path in library.files]  # SOPs and the other files under sops/
    only = selected_files(project, everything, paths) if paths else None
    extra = check_base(library, baseline(library, Git(project.root), base)) if base is not None else []
    return lint(library, today, only, extra)
