"""What `sop build` does to the rendered site before it is put in place, in a child of the build's leader
(soplib.site.build) that holds none of the library: each version's diff page linked in from the cache, and
every page written by this build held to the site's allowlist (soplib.publish.security).

A rebuild does this while Pagefind indexes the site (the two touch different files: Pagefind reads only the
SOP pages and writes its bundle, this links and prunes diff pages and reads HTML); a build that renders
every page does it first, on both cores."""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from soplib.core.output import write_file
from soplib.load.project import Project
from soplib.site.build import BuildFailed, _Child

DIFF_CACHE_DAYS = 30  # a diff cache folder no build has used for this long is removed


@dataclass(frozen=True)
class Finishing:
    """What the rendering child leaves to do: plain data, no library."""

    links: list[tuple[str, str]]  # (a cache folder of diff pages, the URL of their folder in the site)
    diff_folders: list[str]  # the site's folders of diff pages (one per language), from the site's root
    stylesheet: tuple[str, str]  # the diff pages' stylesheet: its path from the site's root, and its text
    sop_pages: list[str]  # the docs paths of the SOP pages (the check reports at their files)
    since: float | None  # a rebuild checks the pages written from then on; None: every page
    cache: str  # the diff cache, shared by the library's builds
    preview: bool  # an SME's preview: what the check finds is printed, and the build goes on
    before: dict[str, str] | None = None  # a rebuild's: the site in place's diff folders (URL: cache folder)


def finish_site(project: Project, site: Path, finishing: Finishing) -> None:
    """The diff pages linked into `site` and its new pages checked."""
    link_diffs(site, finishing)
    check_published(project, site, finishing)


# -- the diff pages ---------------------------------------------------------------------------------------
def link_diffs(site: Path, finishing: Finishing) -> None:
    """Each version's diff page linked from the cache into the site (made before, or by this build). A
    rebuild links only the folders whose cache folder is not the one the site in place has, and removes
    those of SOPs no longer shown; else every page is linked, by two processes (the file system's work is
    most of it): a page the site has from an earlier build stays when it is the cached file (the same
    inode), and diff pages of versions no longer shown are removed."""
    links, before = finishing.links, finishing.before
    if before is not None:
        _link_changed(site, links, before, {site / folder for folder in finishing.diff_folders})
    else:
        helper = _Child(_link, links[1::2], site)
        wanted = _link(links[::2], site) | helper.result()
        for folder in finishing.diff_folders:
            _prune(site / folder, wanted)
    path, text = finishing.stylesheet  # after pruning, which would remove it
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    write_file(site / path, text, durable=False)
    _forget_unused(Path(finishing.cache), [Path(folder) for folder, _ in links])


def _link_changed(site: Path, links: list[tuple[str, str]], before: dict[str, str], roots: set[Path]) -> None:
    changed = [(folder, url) for folder, url in links if before.get(url) != folder]
    for folder, url in changed:
        _prune(site / url, _link([(folder, url)], site))
    for url in before.keys() - {url for _, url in links}:
        shutil.rmtree(site / url, ignore_errors=True)
        for parent in (site / url).parents:  # the folders it leaves empty, up to the diff pages' own
            if parent == site or parent in roots:
                break
            try:
                parent.rmdir()
            except OSError:
                break


def _link(links: list[tuple[str, str]], site: Path) -> set[str]:
    """The pages of each cache folder linked into the site; the paths linked."""
    wanted = set()
    for folder, url in links:
        for entry in os.scandir(folder):
            target = site / url / entry.name.removesuffix(".html") / "index.html"
            wanted.add(str(target))
            try:
                if os.stat(target).st_ino == entry.inode():
                    continue
                os.unlink(target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
            os.link(entry.path, target)
    return wanted


def _prune(folder: Path, wanted: set[str]) -> None:
    """Remove the diff pages under `folder` that are not `wanted`, and the folders they leave empty."""
    if folder.is_dir():
        _prune_in(str(folder), wanted)


def _prune_in(folder: str, wanted: set[str]) -> bool:
    """`_prune` in one folder (read with scandir: 18,000 pages in a third of os.walk's time); whether the
    folder is left empty."""
    left = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if _prune_in(entry.path, wanted):
                    os.rmdir(entry.path)
                else:
                    left += 1
            elif entry.path in wanted:
                left += 1
            else:
                os.unlink(entry.path)
    return left == 0


def _forget_unused(cache: Path, used: list[Path]) -> None:
    """Mark the cache folders this build used; remove those no build has used for DIFF_CACHE_DAYS, and
    leftovers of killed builds."""
    now = time.time()
    for folder in used:
        os.utime(folder, (now, now))
    if not cache.is_dir():
        return
    for entry in os.scandir(cache):
        stale = now - (3600 if entry.name.endswith(".tmp") else DIFF_CACHE_DAYS * 86400)
        if entry.stat().st_mtime < stale:
            shutil.rmtree(entry.path, ignore_errors=True)


# -- the check --------------------------------------------------------------------------------------------
def check_published(project: Project, site: Path, finishing: Finishing) -> None:
    """Every page written by this build held to the site's allowlist: a page that could run script stops
    the build (a preview, for the SME who is writing, prints what it found)."""
    from soplib.publish import security  # here: the leader unpickles Finishing, and stays small

    since, pages = finishing.since, finishing.sop_pages
    if since is None:  # every page: the other core checks half of them
        helper = _Child(security.check_site, site, pages, project, since, (1, 2))
        mine = security.check_site(site, pages, project, since, (0, 2))
        findings = sorted({*mine, *helper.result()})
    else:  # a rebuild's few pages: most of the work is finding them, which a helper would do again
        findings = security.check_site(site, pages, project, since)
    if not findings:
        return
    if finishing.preview:
        print(security.report(findings), file=sys.stderr)
        return
    raise BuildFailed(
        "the built site holds what must not be published (nothing was replaced):\n"
        + security.report(findings)
    )
