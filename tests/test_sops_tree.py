"""Nothing outside the library is read or published: links under sops/ are lint errors and never followed;
only SOPs, the site's pages and image or PDF attachments reach the site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sop_trees import TODAY, Tree
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.tree import ASSETS, build_tree
from test_cli_build import build, site_tree

SECRET = "token=ghs_secret\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the library, with a secret file and an SOP-looking file."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "config").write_text(SECRET, encoding="utf-8")
    (folder / "stolen.md").write_text("---\nid: SOP-APL-009\n---\n" + SECRET, encoding="utf-8")
    return folder


def plant_links(tree: Tree, outside: Path) -> None:
    appeals = tree.root / "sops/appeals"
    (appeals / "passwd.md").symlink_to(outside / "config")  # an SOP name, a file outside
    (appeals / "git-config").symlink_to(outside / "config")  # not Markdown
    (appeals / "evidence").symlink_to(outside)  # a folder outside
    (appeals / "loop").symlink_to(appeals)  # a folder inside, in a loop
    (tree.root / "sops/dangling.png").symlink_to(outside / "missing.png")


def by_rule(tree: Tree) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for f in lint(load_library(Project(tree.root)), TODAY).findings:
        found.setdefault(f.rule, set()).add((f.path, f.severity.value))
    return found


def test_every_link_is_a_lint_error_and_nothing_behind_it_is_read(tree: Tree, outside: Path) -> None:
    tree.add_sop()
    plant_links(tree, outside)
    library = load_library(Project(tree.root))
    result = lint(library, TODAY)
    assert by_rule(tree)["file-symlink"] == {
        (path, "error")
        for path in (
            "sops/appeals/passwd.md",
            "sops/appeals/git-config",
            "sops/appeals/evidence",
            "sops/appeals/loop",
            "sops/dangling.png",
        )
    }
    assert all(not path.endswith(("passwd.md", "stolen.md")) for path in library.files_read)
    assert "SOP-APL-009" not in {sop.sop_id for sop in library.sops}
    assert all("ghs_secret" not in f.message + f.hint for f in result.findings)
    assert result.exit_code == 1


def test_a_sops_folder_that_is_a_link_is_not_read(tree: Tree, outside: Path) -> None:
    os.rmdir(tree.root / "sops")
    (tree.root / "sops").symlink_to(outside)
    library = load_library(Project(tree.root))
    assert library.sops == [] and library.files_read == []
    assert by_rule(tree) == {"file-symlink": {("sops", "error")}}


def test_files_the_site_leaves_out_are_named_and_attachments_checked(tree: Tree) -> None:
    tree.add_sop()
    tree.write("sops/appeals/diagram.svg", '<svg onload="alert(1)"/>')
    tree.write("sops/appeals/notes.txt", "draft notes")
    tree.write("sops/appeals/_drafts/next.md", "not linted: not published")
    tree.write("sops/appeals/evidence.png", PNG)
    tree.write("sops/appeals/Form.PDF", PDF)
    tree.write("sops/appeals/photo.jpg", b"<html><script>alert(1)</script>")  # not a JPEG
    assert by_rule(tree) == {
        "file-not-published": {
            ("sops/appeals/diagram.svg", "warning"),
            ("sops/appeals/notes.txt", "warning"),
            ("sops/appeals/_drafts/next.md", "warning"),
        },
        "attachment-content": {("sops/appeals/photo.jpg", "error")},
    }


def test_the_docs_tree_takes_only_published_regular_files_from_sops(tree: Tree, outside: Path) -> None:
    site_tree(tree).add_sop()
    plant_links(tree, outside)
    tree.write("sops/appeals/diagram.svg", "<svg/>")
    tree.write("sops/appeals/evidence.png", PNG)
    docs = build_tree(load_library(Project(tree.root)), None, TODAY)
    assert set(docs.files) == {"appeals/evidence.png"} | {f"assets/sop/{a.name}" for a in ASSETS.iterdir()}
    assert docs.files["appeals/evidence.png"] == tree.root / "sops/appeals/evidence.png"
    assert set(docs.pages) >= {"index.md", "index.es.md", "index.pt.md", "appeals/seller-appeal.md"}
    planted = ("diagram", "passwd", "git-config", "evidence/", "loop", "dangling")
    assert not [path for path in [*docs.pages, *docs.files] if any(name in path for name in planted)]


def test_the_built_site_has_the_attachments_and_nothing_else_from_sops(tree: Tree) -> None:
    site_tree(tree).add_sop()
    tree.write("sops/appeals/evidence.png", PNG)
    tree.write("sops/appeals/form.pdf", PDF)
    tree.write("sops/appeals/diagram.svg", '<svg onload="alert(1)"/>')
    tree.write("sops/appeals/notes.txt", "draft notes")
    result = build(tree)
    assert result.returncode == 0, result.stderr
    site = tree.root / "site"
    assert (site / "appeals/evidence.png").read_bytes() == PNG
    assert (site / "appeals/form.pdf").read_bytes() == PDF
    assert not list(site.rglob("*.svg")) and not list(site.rglob("notes.txt"))


def test_a_link_stops_the_build(tree: Tree, outside: Path) -> None:
    site_tree(tree).add_sop()
    plant_links(tree, outside)
    result = build(tree)
    assert result.returncode == 1
    assert "sops/appeals/passwd.md:1:1: error file-symlink" in result.stderr
    assert not (tree.root / "site").exists()
