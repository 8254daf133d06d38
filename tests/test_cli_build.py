"""`sop build` on small libraries: lint first, strict MkDocs build, every language in its folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sop_trees import ENGLISH, REPO, Tree

SOP = Path(sys.executable).with_name("sop")


def site_tree(tree: Tree) -> Tree:
    return tree.as_site()


def build(tree: Tree, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), "build", *args], cwd=tree.root, capture_output=True, text=True, check=False
    )


def test_builds_every_language(tree: Tree) -> None:
    site_tree(tree).add_sop()
    result = build(tree)
    assert result.returncode == 0, result.stderr
    site = tree.root / "site"
    for prefix in ("", "es/", "pt/"):
        page = (site / prefix / "appeals/seller-appeal/index.html").read_text(encoding="utf-8")
        assert 'class="sop-meta sop-meta--active"' in page
    assert "Apelación de un vendedor" in (site / "es/appeals/seller-appeal/index.html").read_text(
        encoding="utf-8"
    )
    assert (site / "es/teams/appeals/index.html").exists()


def test_lint_error_stops_the_build_with_the_lint_message(tree: Tree) -> None:
    site_tree(tree).add_sop(en=ENGLISH.replace("has 72 hours.", "has 72 hours. <script>alert(1)</script>"))
    result = build(tree, "--site-dir", str(tree.root / "out"))
    assert result.returncode == 1
    assert "sop lint found errors" in result.stderr
    assert "sops/appeals/seller-appeal.md:36:53: error html-unsafe <script> is not allowed" in result.stderr
    assert not (tree.root / "out").exists()


def test_strict_build_failure_is_reported_without_traceback(tree: Tree) -> None:
    site_tree(tree).add_sop()
    (tree.root / "mkdocs.yml").write_text(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("  - changes.md\n", "  - missing.md\n"),
        encoding="utf-8",
    )
    result = build(tree)
    assert result.returncode == 1
    assert "the site build failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_never_replaces_the_library_or_a_folder_it_did_not_make(tree: Tree) -> None:
    site_tree(tree).add_sop()
    before = sorted(p.relative_to(tree.root) for p in tree.root.rglob("*"))
    for target, message in [
        ("sops", "the build replaces this folder, and the library is in it"),
        (".", "the build replaces this folder, and the library is in it"),
        ("schemas", "exists and is not a site that `sop build` made"),
    ]:
        result = build(tree, "--site-dir", target)
        assert result.returncode == 2, target
        assert message in result.stderr
    assert sorted(p.relative_to(tree.root) for p in tree.root.rglob("*")) == before
    assert build(tree).returncode == 0
    assert build(tree).returncode == 0  # an earlier build is replaced


def test_a_draft_is_not_published(tree: Tree) -> None:
    draft = ENGLISH.replace("SOP-APL-001", "SOP-APL-002").replace("status: active", "status: draft")
    site_tree(tree).add_sop()
    tree.add_sop("appeals/new-appeal", en=draft.replace("Seller appeal", "Draft appeal"), es=None, pt=None)
    result = build(tree)
    assert result.returncode == 0, result.stderr
    site = tree.root / "site"
    assert (site / "appeals/seller-appeal/index.html").exists()
    assert not list(site.rglob("new-appeal*")), "no page, no diff page"
    catalog = (site / "catalog.json").read_text(encoding="utf-8")
    assert "SOP-APL-001" in catalog and "SOP-APL-002" not in catalog
    everything = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html"))
    assert "Draft appeal" not in everything and "SOP-APL-002" not in everything
