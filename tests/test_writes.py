"""Every file a command writes: never through a planted link, and on a read-only folder or a full disk a
clear one-line error, a non-zero exit, the old file whole and no temporary file left.

The commands run for real (subprocesses); the faults are real too (see faults.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from diff_story import build_story
from faults import fill, listing, read_only, small_disk
from sop_trees import ENGLISH, Tree

SOP = Path(sys.executable).with_name("sop")
OLD = "the file as it was before\n"
UNFORMATTED = ENGLISH.replace("## Scope", "##Scope")  # `sop fmt` adds the space


def sop(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SOP), *map(str, args)], cwd=root, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library with a git history (diffs, change log and packs need one) and a CODEOWNERS."""
    library = build_story(Tree(tmp_path_factory.mktemp("writes") / "library")).root
    assert sop(library, "owners").returncode == 0
    return library


# Each command that writes a file named by -o, as the arguments that write `target`.
OUTPUTS: dict[str, Callable[[Path], list[str | Path]]] = {
    "changelog": lambda target: ["changelog", "-o", target],
    "diff": lambda target: ["diff", "SOP-APL-001", "--format", "html", "-o", target],
    "calibration-pack": lambda target: ["calibration-pack", "--since", "2026-01-01", "-o", target],
}


def assert_failed_cleanly(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 2, result.stdout
    assert reason in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


# -- planted links ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", OUTPUTS)
def test_output_through_a_planted_link_replaces_the_link_not_the_file(
    root: Path, tmp_path: Path, command: str
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text(OLD, encoding="utf-8")
    target = tmp_path / "out.html"
    target.symlink_to(precious)
    result = sop(root, *OUTPUTS[command](target))
    assert result.returncode == 0, result.stderr
    assert precious.read_text(encoding="utf-8") == OLD
    assert not target.is_symlink() and target.stat().st_size > 100
    assert listing(tmp_path) == ["out.html", "precious.txt"]


def test_codeowners_that_is_a_link_is_refused(root: Path, tmp_path: Path) -> None:
    codeowners = root / ".github/CODEOWNERS"
    kept = codeowners.read_text(encoding="utf-8")
    secret = tmp_path / "secret"
    secret.write_text("token=abc\n", encoding="utf-8")
    codeowners.unlink()
    codeowners.symlink_to(secret)
    try:
        for args in (["owners"], ["owners", "--check"]):
            result = sop(root, *args)
            assert_failed_cleanly(result, ".github/CODEOWNERS: is a symbolic link")
            assert "token" not in result.stderr + result.stdout  # never read through the link either
        assert secret.read_text(encoding="utf-8") == "token=abc\n"
    finally:
        codeowners.unlink()
        codeowners.write_text(kept, encoding="utf-8")


def test_a_link_at_the_old_temporary_name_is_left_alone(root: Path) -> None:
    sop_file = root / "sops/appeals/seller-appeal.md"
    before = sop_file.read_text(encoding="utf-8")
    codeowners = root / ".github/CODEOWNERS"
    kept = codeowners.read_text(encoding="utf-8")
    planted = root / ".github/.CODEOWNERS.tmp"  # what the old writer used, predictably
    planted.symlink_to(sop_file)
    codeowners.write_text("# stale\n", encoding="utf-8")
    try:
        assert sop(root, "owners").returncode == 0
        assert sop_file.read_text(encoding="utf-8") == before
        assert planted.is_symlink()
        assert codeowners.read_text(encoding="utf-8").startswith("# stale\n\n# BEGIN sop owners")
    finally:
        planted.unlink()
        codeowners.write_text(kept, encoding="utf-8")


def test_a_github_folder_that_is_a_link_is_refused(tree: Tree, tmp_path: Path) -> None:
    tree.add_sop()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tree.root / ".github").symlink_to(elsewhere)
    assert_failed_cleanly(sop(tree.root, "owners"), ".github: is a symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_new_never_writes_through_a_planted_link(tree: Tree, tmp_path: Path) -> None:
    tree.add_sop()
    precious = tmp_path / "precious.txt"
    precious.write_text(OLD, encoding="utf-8")
    planted = tree.root / "sops/appeals/refund-check.es.md"
    planted.symlink_to(precious)
    before = listing(tree.root)
    result = sop(tree.root, "new", "--team", "appeals", "--title", "Refund check")
    assert_failed_cleanly(result, "refund-check.es.md: is a symbolic link")
    assert precious.read_text(encoding="utf-8") == OLD
    assert listing(tree.root) == before
    planted.unlink()
    planted.symlink_to(tmp_path / "nothing-here")  # a dangling link: still never followed
    assert_failed_cleanly(sop(tree.root, "new", "--team", "appeals", "--title", "Refund check"), "symbolic")
    assert not (tmp_path / "nothing-here").exists()


def test_new_never_writes_into_a_team_folder_that_is_a_link(tree: Tree, tmp_path: Path) -> None:
    tree.add_sop()
    outside = tmp_path / "outside"
    outside.mkdir()
    (tree.root / "sops/customer-service").symlink_to(outside)
    result = sop(tree.root, "new", "--team", "customer-service", "--title", "Refund check", "--owner", "@o/t")
    assert_failed_cleanly(result, "sops/customer-service: is a symbolic link")
    assert list(outside.iterdir()) == []


def test_fmt_never_formats_a_linked_file(tree: Tree, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(UNFORMATTED, encoding="utf-8")
    tree.add_sop()
    (tree.root / "sops/appeals/linked.md").symlink_to(outside)
    result = sop(tree.root, "fmt")
    assert result.returncode == 0, result.stderr
    assert outside.read_text(encoding="utf-8") == UNFORMATTED
    assert (tree.root / "sops/appeals/linked.md").is_symlink()


# -- a read-only folder -------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", OUTPUTS)
def test_output_into_a_read_only_folder(root: Path, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "pack.html").write_text(OLD, encoding="utf-8")
    with read_only(folder):
        result = sop(root, *OUTPUTS[command](folder / "pack.html"))
    assert_failed_cleanly(result, "pack.html: cannot write: Read-only file system")
    assert (folder / "pack.html").read_text(encoding="utf-8") == OLD
    assert listing(folder) == ["pack.html"]


def test_owners_into_a_read_only_folder(root: Path) -> None:
    github = root / ".github"
    codeowners = github / "CODEOWNERS"
    kept = codeowners.read_text(encoding="utf-8")
    codeowners.write_text(OLD, encoding="utf-8")  # without the generated block: it must be rewritten
    try:
        with read_only(github):
            result = sop(root, "owners")
        assert_failed_cleanly(result, "CODEOWNERS: cannot write: Read-only file system")
        assert codeowners.read_text(encoding="utf-8") == OLD
        assert listing(github) == ["CODEOWNERS"]
    finally:
        codeowners.write_text(kept, encoding="utf-8")


def test_new_into_a_read_only_team_folder(tree: Tree) -> None:
    tree.add_sop()
    team = tree.root / "sops/appeals"
    before = listing(tree.root)
    with read_only(team):
        result = sop(tree.root, "new", "--team", "appeals", "--title", "Refund check")
    assert_failed_cleanly(result, "cannot write: Read-only file system")
    assert listing(tree.root) == before


def test_fmt_in_a_read_only_team_folder(tree: Tree) -> None:
    tree.add_sop(en=UNFORMATTED)
    team = tree.root / "sops/appeals"
    with read_only(team):
        result = sop(tree.root, "fmt")
    assert_failed_cleanly(result, "seller-appeal.md: cannot write: Read-only file system")
    assert (team / "seller-appeal.md").read_text(encoding="utf-8") == UNFORMATTED
    assert listing(team) == ["seller-appeal.es.md", "seller-appeal.md", "seller-appeal.pt.md"]


# -- a full disk --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", OUTPUTS)
def test_output_onto_a_full_disk(root: Path, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "disk"
    with small_disk(folder, "256k"):
        (folder / "pack.html").write_text(OLD, encoding="utf-8")
        fill(folder)
        result = sop(root, *OUTPUTS[command](folder / "pack.html"))
        assert_failed_cleanly(result, "pack.html: cannot write: No space left on device")
        assert (folder / "pack.html").read_text(encoding="utf-8") == OLD
        assert listing(folder) == ["filler", "pack.html"]


def test_owners_onto_a_full_disk(tree: Tree) -> None:
    tree.add_sop()
    github = tree.root / ".github"
    with small_disk(github, "256k"):
        (github / "CODEOWNERS").write_text(OLD, encoding="utf-8")
        fill(github)
        result = sop(tree.root, "owners")
        assert_failed_cleanly(result, "CODEOWNERS: cannot write: No space left on device")
        assert (github / "CODEOWNERS").read_text(encoding="utf-8") == OLD
        assert listing(github) == ["CODEOWNERS", "filler"]


def test_new_onto_a_full_disk(tree: Tree) -> None:
    team = tree.root / "sops/appeals"
    with small_disk(team, "256k"):
        tree.add_sop()
        fill(team)
        before = listing(tree.root)
        result = sop(tree.root, "new", "--team", "appeals", "--title", "Refund check")
        assert_failed_cleanly(result, "cannot write: No space left on device")
        assert listing(tree.root) == before
        assert os.path.getsize(team / "seller-appeal.md") > 0


def test_fmt_onto_a_full_disk(tree: Tree) -> None:
    team = tree.root / "sops/appeals"
    with small_disk(team, "256k"):
        tree.add_sop(en=UNFORMATTED)
        fill(team)
        result = sop(tree.root, "fmt")
        assert_failed_cleanly(result, "seller-appeal.md: cannot write: No space left on device")
        assert (team / "seller-appeal.md").read_text(encoding="utf-8") == UNFORMATTED
        assert listing(team) == ["filler", "seller-appeal.es.md", "seller-appeal.md", "seller-appeal.pt.md"]
