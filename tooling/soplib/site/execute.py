"""`sop build` and `sop serve` from start to result."""

from __future__ import annotations

import hashlib
from pathlib import Path

from soplib.core.errors import SopError
from soplib.core.output import resolve_folders
from soplib.load.project import CACHE_DIR, Project
from soplib.site.build import Job, Say, build_site, made_by_us
from soplib.site.progress import Progress


def build_command(start: Path, site_dir: Path | None, say: Say, preview: bool = False) -> Path:
    project = Project.discover(start)
    target = resolve_folders(site_dir or project.root / "site")
    check_site_dir(target, project)
    build(project, target, say, Progress(), preview)
    return target


TREE_MARKER = ".sop-tree"  # in every folder `sop tree` writes: a folder without it is not ours to empty


def tree_command(start: Path, docs_dir: Path | None, preview: bool) -> Path:
    """Write the decorated docs tree; files in the folder that are not in the tree are removed, so the
    folder must be new, empty, or one `sop tree` wrote."""
    project = Project.discover(start)
    target = resolve_folders(docs_dir or project.root / CACHE_DIR / "tree")
    if target.is_relative_to(project.sops_dir.resolve()) or project.root.resolve().is_relative_to(target):
        raise SopError(
            f"--docs-dir {target}: the library is in it, or it is in sops/; choose a folder of its own"
        )
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise SopError(f"--docs-dir {target}: is a link or a file; give a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / TREE_MARKER).is_file():
        raise SopError(f"--docs-dir {target}: holds files `sop tree` did not write; choose an empty folder")
    from soplib.load.library import load_library
    from soplib.publish.tree import build_tree, publish_day, write_tree
    from soplib.repo.history import optional_history

    library = load_library(project, bodies=True)
    docs = build_tree(library, optional_history(project), publish_day(), preview)
    docs.pages[TREE_MARKER] = "Written by `sop tree`; the next `sop tree` replaces everything here.\n"
    target.mkdir(parents=True, exist_ok=True)
    write_tree(docs, target)
    return target


def serve_command(start: Path, site_dir: Path | None, address: str, say: Say) -> None:
    from soplib.site.serve import serve

    host, port = check_address(address)
    project = Project.discover(start)
    target = resolve_folders(site_dir or project.root / CACHE_DIR / "preview")
    check_site_dir(target, project)
    serve(project, target, host, port, say)


def build(project: Project, target: Path, say: Say, progress: Progress, preview: bool = False) -> None:
    """Lint the library, then build its site into `target`; a preview shows drafts and builds despite lint
    errors (an SME sees them in the terminal)."""
    # a preview's diff pages are kept apart: it publishes despite what the check finds, and a page it made
    # would reach a published site as made before that build started, which a rebuild does not check again
    diffs = project.root / CACHE_DIR / ("diffs-preview" if preview else "diffs")
    build_site(Job(project, target, state_dir(project, target), diffs, preview), say, progress)


def state_dir(project: Project, target: Path) -> Path:
    """Where the builds into `target` keep its docs tree: .sop-build/site for site/, else one per folder
    (named by a digest of its path, which it keeps; one whose site folder is gone is removed)."""
    default = target == resolve_folders(project.root / "site")
    name = "site" if default else "site-" + hashlib.sha256(str(target).encode()).hexdigest()[:12]
    return project.root / CACHE_DIR / name


def check_site_dir(target: Path, project: Project) -> None:
    """The build replaces the site folder whole: never the library, never a link (the build would replace
    the link, not what it points to: a surprise either way), and never a folder it did not make."""
    root = project.root.resolve()
    if root.is_relative_to(target) or target.is_relative_to(project.sops_dir.resolve()):
        raise SopError(
            f"--site-dir {target}: the build replaces this folder, and the library is in it; "
            "choose a folder of its own, such as site/"
        )
    if target.is_symlink():
        raise SopError(f"--site-dir {target}: is a symbolic link; give the folder itself, or remove the link")
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not made_by_us(target))):
        raise SopError(
            f"--site-dir {target}: exists and is not a site that `sop build` made; "
            "remove it or choose another folder"
        )


def check_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise SopError(f"--dev-addr: expected HOST:PORT, e.g. 127.0.0.1:8000, found '{address}'")
    return host, int(port)
