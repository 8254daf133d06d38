"""A build after a change redoes only what the change touched, and the site it makes is the one a build from
scratch makes. Told apart by the files themselves: a page the generator did not render again is the same
file as in the site before (a hard link, the same inode), and a diff page is the cached file."""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gitrepo import Repo
from sop_trees import PORTUGUESE, SPANISH, Tree
from soplib.publish.urls import relative_path
from test_behaviours import PROCEDURE, english
from test_cli_build import SOP, build, site_tree

PAGES = [
    f"{prefix}appeals/{key}/index.html" for prefix in ("", "es/", "pt/") for key in ("a-first", "b-second")
]


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def contents(site: Path) -> dict[str, bytes]:
    """Every file of a site, the search index left out (its file names are hashes of build order)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")
    }


@pytest.fixture
def library(tree: Tree) -> Tree:
    """Two SOPs with translations; the second has a version 1.2.0 (a diff page per language)."""
    site_tree(tree)
    repo = Repo(tree)
    tree.add_sop("appeals/a-first", en=english("SOP-APL-001"))
    second = dict(
        es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"), pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002")
    )
    tree.add_sop("appeals/b-second", en=english("SOP-APL-002"), **second)
    repo.commit("2026-06-01T10:00:00-06:00", "Ana", "two SOPs")
    tree.add_sop("appeals/b-second", en=english("SOP-APL-002", entry=PROCEDURE, version="1.2.0"), **second)
    repo.commit("2026-10-01T10:00:00-06:00", "Ana", "1.2.0")
    result = build(tree)
    assert result.returncode == 0, result.stderr
    return tree


def test_an_edit_renders_its_page_again_and_nothing_else(library: Tree) -> None:
    site = library.root / "site"
    before = inodes(site)
    path = library.root / "sops/appeals/a-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the newest case"))
    result = build(library)
    assert result.returncode == 0, result.stderr
    after = inodes(site)
    again = {page for page in PAGES if after[page] != before[page]}
    assert again == {"appeals/a-first/index.html"}  # the translations show their own text: unchanged
    assert after["es/index.html"] == before["es/index.html"]  # no page of es changed: es not rendered
    assert "Open the newest case" in (site / "appeals/a-first/index.html").read_text(encoding="utf-8")
    diffs = [
        name
        for name in after
        if name.startswith(("diffs/", "es/diffs/", "pt/diffs/")) and name.endswith(".html")
    ]
    assert len(diffs) == 3 and all(after[name] == before[name] for name in diffs)  # from the cache


def test_a_rebuild_makes_the_site_a_build_from_scratch_makes(library: Tree, tmp_path: Path) -> None:
    path = library.root / "sops/appeals/a-first.es.md"
    path.write_text(path.read_text(encoding="utf-8").replace("la caja", "la carpeta") + "\nUna línea más.\n")
    (library.root / "sops/appeals/b-second.pt.md").unlink()  # a translation removed: English shown
    assert build(library).returncode == 0
    fresh = tmp_path / "fresh"
    shutil.copytree(library.root, fresh, symlinks=True, ignore=shutil.ignore_patterns("site", ".sop-build"))
    result = subprocess.run([str(SOP), "build"], cwd=fresh, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert contents(library.root / "site") == contents(fresh / "site")


def test_a_site_made_anew_is_copied_for_the_next_build_to_start_from(library: Tree) -> None:
    """The first build's site, copied beside it as hard links (its search index aside, which the next
    build links): the next build starts without linking every file of the site."""
    site, spare = inodes(library.root / "site"), inodes(library.root / ".site.previous")
    assert spare.pop(".sop-spare")  # the mark of the copy kept for this site folder
    assert spare == {name: inode for name, inode in site.items() if not name.startswith("pagefind/")}


def test_a_build_that_lint_stops_leaves_the_kept_site_for_the_next_one(library: Tree) -> None:
    """The kept site is brought up to date where it is, beside the site, while the library is read: a
    build that fails keeps it there, marked, the files of the site in place."""
    site, spare = library.root / "site", library.root / ".site.previous"
    path = library.root / "sops/appeals/a-first.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Open the oldest case", "Open the case"))
    assert build(library).returncode == 0  # the site it replaced is kept
    path.write_text(text.replace("status: active", "status: unheard-of"))
    assert build(library).returncode == 1
    kept = inodes(spare)
    assert kept.pop(".sop-spare")
    assert kept == inodes(site)  # brought up to date
    path.write_text(text)
    before = inodes(site)
    assert build(library).returncode == 0
    assert inodes(site)["es/index.html"] == before["es/index.html"]  # it started from the kept site
    assert ".sop-spare" not in inodes(site)


def test_the_pages_a_stopped_build_changed_are_rendered_by_the_next_one(library: Tree) -> None:
    """A build that lint stops has written its docs tree (lint runs beside the generator's start): the next
    build finds that page's Markdown as it makes it, yet renders it, for the site in place does not show
    it. Here the error is in another file, so the page is the same in both builds."""
    site = library.root / "site"
    path = library.root / "sops/appeals/a-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the newest case"))
    broken = library.root / "sops/appeals/c-broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n\n# Broken\n", encoding="utf-8")
    stopped = build(library)
    assert stopped.returncode == 1 and "sop lint found errors" in stopped.stderr
    assert "Open the oldest case" in (site / "appeals/a-first/index.html").read_text(encoding="utf-8")
    broken.unlink()
    assert build(library).returncode == 0
    assert "Open the newest case" in (site / "appeals/a-first/index.html").read_text(encoding="utf-8")
    assert "Open the newest case" in (site / "appeals/a-first/index.md").read_text(encoding="utf-8")


def test_a_build_that_fails_after_taking_the_kept_site_gives_it_back(library: Tree) -> None:
    """A build that renders every page takes the kept site (it starts from nothing); when the generator
    fails, the build says why, and the kept site is there for the next build."""
    config = library.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - changes.md\n", "  - missing.md\n"), encoding="utf-8")
    failed = build(library)
    assert failed.returncode == 1 and "internal error" not in failed.stderr, failed.stderr
    assert "missing.md" in failed.stderr
    assert (library.root / ".site.previous/.sop-spare").is_file()
    config.write_text(text, encoding="utf-8")
    assert build(library).returncode == 0


def test_state_files_that_cannot_be_read_or_point_elsewhere_count_for_nothing(
    library: Tree, tmp_path: Path
) -> None:
    """The build's state is a cache: a file of it that is not text, or a list of diff folders naming a
    folder outside the site's, is as if it were not there (the rebuild links every diff page)."""
    state, outside = library.root / ".sop-build/site", library.root / "keep-me"
    outside.mkdir()
    (outside / "file.txt").write_text("mine", encoding="utf-8")
    cache = library.root / ".sop-build/diffs/0"
    (state / "diff-links").write_text(f"diffs/../../../keep-me\t{cache}\n", encoding="utf-8")
    for name in ("in-place", "pending", "site-files"):
        (state / name).write_bytes(b"\xff\xfe not text")
    path = library.root / "sops/appeals/a-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the newest case"))
    result = build(library)
    assert result.returncode == 0, result.stderr
    assert (outside / "file.txt").read_text(encoding="utf-8") == "mine"
    shutil.rmtree(outside)
    fresh = tmp_path / "fresh"
    shutil.copytree(library.root, fresh, symlinks=True, ignore=shutil.ignore_patterns("site", ".sop-build"))
    result = subprocess.run([str(SOP), "build"], cwd=fresh, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert contents(library.root / "site") == contents(fresh / "site")


def test_a_folder_of_the_spares_name_that_is_not_ours_stays_as_it_is(library: Tree) -> None:
    spare = library.root / ".site.previous"
    shutil.rmtree(spare)
    shutil.copytree(library.root / "site", spare)  # a copy made by hand: a site, without the mark
    before = contents(spare)
    assert build(library).returncode == 0
    assert contents(spare) == before


def test_builds_in_turn_start_from_the_site_before_and_make_what_a_build_from_scratch_makes(
    library: Tree, tmp_path: Path
) -> None:
    """Each build starts from the site that the one before replaced (kept beside the site), brought up to
    date: after edits, a new version (a new diff page) and a removed SOP (its diff pages go), the
    site is the one a build from scratch makes, and the kept site is the one it replaced."""
    site, spare = library.root / "site", library.root / ".site.previous"
    first = library.root / "sops/appeals/a-first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("Open the oldest case", "Open the case"))
    before = contents(site)
    assert build(library).returncode == 0
    kept = contents(spare)
    assert kept.pop(".sop-spare") == f"{library.root / 'site'}\n".encode()
    assert kept == before  # the site it replaced, kept whole
    second = library.root / "sops/appeals/b-second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("version: 1.2.0", "version: 1.3.0"))
    Repo(library).commit("2026-11-01T10:00:00-06:00", "Ana", "1.3.0")
    assert build(library).returncode == 0
    assert (site / "diffs/appeals/b-second/1.3.0/index.html").is_file()
    for name in ("b-second.md", "b-second.es.md", "b-second.pt.md"):
        (library.root / "sops/appeals" / name).unlink()
    assert build(library).returncode == 0
    assert not [path for path in site.rglob("*") if "b-second" in path.as_posix()]  # its diff pages too
    fresh = tmp_path / "fresh"
    shutil.copytree(library.root, fresh, symlinks=True, ignore=shutil.ignore_patterns("*site*", ".sop-build"))
    result = subprocess.run([str(SOP), "build"], cwd=fresh, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert contents(site) == contents(fresh / "site")


def test_a_rebuild_follows_what_else_a_page_shows(library: Tree, tmp_path: Path) -> None:
    """A page whose SOP did not change is made again when what else it shows did: its successor's title, a
    string of ui.yml, the day (SOURCE_DATE_EPOCH)."""
    library.add_sop("appeals/c-old", en=english("SOP-APL-003", "deprecated"), es=None, pt=None)
    assert build(library).returncode == 0
    first = library.root / "sops/appeals/a-first.md"  # SOP-APL-001, which SOP-APL-003 points to
    old = library.root / "site/appeals/c-old/index.html"
    first.write_text(first.read_text(encoding="utf-8").replace("title: Seller appeal", "title: Buyer appeal"))
    assert build(library).returncode == 0
    assert "Buyer appeal" in old.read_text(encoding="utf-8")
    ui = library.root / "translations/ui.yml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("this page is kept for reference", "kept to read"))
    assert build(library).returncode == 0
    assert "kept to read" in old.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(library.root, fresh, symlinks=True, ignore=shutil.ignore_patterns("*site*", ".sop-build"))
    result = subprocess.run([str(SOP), "build"], cwd=fresh, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert contents(library.root / "site") == contents(fresh / "site")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01: another day, the same sources
    for root in (library.root, fresh):
        done = subprocess.run(
            [str(SOP), "build"], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    assert contents(library.root / "site") == contents(fresh / "site")


def test_a_rebuild_never_writes_into_the_site_it_replaces(library: Tree) -> None:
    """Every file a build writes is a new one: the site it replaces (kept beside it) is as it was, the
    compressed sitemap too, which MkDocs opens and writes itself."""
    site = library.root / "site"
    before = contents(site)
    library.add_sop("appeals/c-third", en=english("SOP-APL-003"), es=None, pt=None)  # a new address
    assert build(library).returncode == 0
    kept = contents(library.root / ".site.previous")
    kept.pop(".sop-spare")
    assert kept == before
    assert contents(site)["sitemap.xml.gz"] != before["sitemap.xml.gz"]


def test_a_page_written_by_hand_where_the_tree_has_one_does_not_replace_it(library: Tree) -> None:
    (library.root / "sops/teams.md").write_text("# Teams by hand\n", encoding="utf-8")
    assert build(library).returncode == 0
    site = library.root / "site"
    assert "Teams by hand" not in (site / "teams/index.html").read_text(encoding="utf-8")
    before = inodes(site)
    assert build(library).returncode == 0
    assert inodes(site)["teams/index.html"] == before["teams/index.html"]  # nothing changed, nothing made


def test_a_removed_sop_leaves_the_site(library: Tree) -> None:
    for name in ("a-first.md", "a-first.es.md", "a-first.pt.md"):
        (library.root / "sops/appeals" / name).unlink()
    assert build(library).returncode == 0
    site = library.root / "site"
    assert (site / "appeals/a-first/index.md").exists() is False  # its Markdown copy went with its page
    assert not [path for path in site.rglob("*") if "a-first" in path.as_posix()]  # and its folders
    assert "a-first" not in (site / "llms.txt").read_text(encoding="utf-8")
    assert (site / "appeals/b-second/index.html").is_file() and (site / "appeals/b-second/index.md").is_file()


def test_a_change_to_the_configuration_renders_every_page_again(library: Tree) -> None:
    site = library.root / "site"
    before = inodes(site)
    config = library.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("primary: indigo", "primary: teal"))
    assert build(library).returncode == 0
    after = inodes(site)
    assert all(after[page] != before[page] for page in PAGES)
    assert os.path.exists(site / "catalog.json")


@given(
    st.lists(st.sampled_from(["a", "b", "es", ".", ".."]), max_size=5),
    st.lists(st.sampled_from(["a", "b", "es", "."]), max_size=5),
)
def test_links_between_site_paths_are_the_ones_posixpath_makes(target: list[str], start: list[str]) -> None:
    """The build's own relpath (it makes a hundred thousand links, without asking for the working folder)."""
    to, base = "/".join(target) or ".", "/".join(start) or "."
    if posixpath.normpath(to).startswith(".."):
        return  # a path above the site's root: never a link the site makes
    assert relative_path(to, base) == posixpath.relpath(to, base)


def test_a_site_file_the_site_in_place_holds_as_a_link_is_published_as_a_file(
    library: Tree, tmp_path: Path
) -> None:
    """A rebuild leaves out the site files the site in place has as it makes them (it starts from a copy
    of that site, which never follows a link): one held there through a link is written anew."""
    site, name = library.root / "site", "appeals/b-second/index.md"
    shutil.copyfile(site / name, tmp_path / "elsewhere.md")
    (site / name).unlink()
    os.symlink(tmp_path / "elsewhere.md", site / name)
    shutil.rmtree(library.root / ".site.previous")  # the copy is made afresh from the site in place
    path = library.root / "sops/appeals/a-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the case"))
    assert build(library).returncode == 0
    assert (site / name).is_file() and not (site / name).is_symlink()
    assert (site / name).read_bytes() == (tmp_path / "elsewhere.md").read_bytes()


def test_a_preview_keeps_its_diff_pages_apart(library: Tree) -> None:
    """A preview publishes despite what the check finds: its diff pages never reach the cache a site
    build links from (they would be linked as made before that build, which it does not check again)."""
    cache = library.root / ".sop-build"
    before = sorted(p.name for p in (cache / "diffs").iterdir())
    result = build(library, "--preview", "--site-dir", str(library.root / "preview"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (cache / "diffs").iterdir()) == before
    assert len(list((cache / "diffs-preview").rglob("*.html"))) == 3  # b-second's 1.2.0, in 3 languages
