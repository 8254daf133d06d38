"""The library at a base reference (a pull request's target, a tag, a commit): the one baseline that
`sop lint --base`, `sop report` and every `--since REF` compare with.

A file whose bytes are the same as in the working tree is the working tree's own record, not read again;
every other SOP file at the commit is read from git by the same loader as the working tree. Where an id
appears twice, the base library picks as the working one does (`Library.by_id`), so the pull-request gate
and the pull-request comment always compare a file with the same past.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from soplib.core.model import Sop
from soplib.load.library import Library, is_sop_path, read_sop
from soplib.load.project import SOPS_DIR
from soplib.repo.git import Git


@dataclass
class Baseline:
    ref: str  # as the user gave it
    commit: str
    library: Library
    unchanged: frozenset[str] = field(default_factory=frozenset)  # paths the same as in the working tree

    @cached_property
    def _by_path(self) -> dict[str, Sop]:
        return {sop.path.as_posix(): sop for sop in self.library.sops}

    def counterpart(self, sop: Sop) -> Sop | None:
        """The same SOP's file in the same language at the base: at the same path when it is there (a file
        edited in place), else the one the base library picks for the id (a file moved or renamed)."""
        same = self._by_path.get(sop.path.as_posix())
        if same is not None and same.sop_id == sop.sop_id and same.lang == sop.lang:
            return same
        return self.library.by_id(sop.sop_id, sop.lang) if sop.sop_id else None


def baseline(library: Library, git: Git, ref: str) -> Baseline:
    """The library at `ref`: one `git ls-tree` and one `git cat-file --batch`, whatever its size."""
    project = library.project
    commit = git.resolve(ref)
    tree = {
        path: blob
        for path, blob in git.tree(commit).items()
        if is_sop_path(PurePosixPath(path).relative_to(SOPS_DIR))
    }
    blobs = git.read_blobs(tree.values())
    now = {sop.path.as_posix(): sop for sop in library.sops}
    base = Library(project)
    unchanged = set()
    for path, blob in sorted(tree.items()):
        raw = blobs[blob]
        if path in now and library.working_bytes(path) == raw:
            base.sops.append(now[path])
            unchanged.add(path)
            continue
        sop, _ = read_sop(project, path, raw)
        base.files_read.append(path)
        if sop is not None:
            base.sops.append(sop)
    base.files_read = sorted(tree)
    return Baseline(ref, commit, base, frozenset(unchanged))
