"""A rebuild makes again only the pages of the SOPs that changed (soplib.publish.memo): the others are taken
from the memo, and the docs folder is always the one a tree made from scratch would be."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sop_trees import PORTUGUESE, SPANISH, TODAY, Tree
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.memo import SopMemo, build_context
from soplib.publish.tree import DocsFolder, build_tree, tree_parts
from test_behaviours import english


@dataclass
class Pass:
    made: set[str]  # SOP pages made by this pass
    kept: set[str]  # SOP pages taken as they were


def library(tree: Tree) -> Tree:
    tree.add_sop("appeals/a-first", en=english("SOP-APL-001"), es=SPANISH, pt=PORTUGUESE)
    second = dict(
        es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"), pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002")
    )
    tree.add_sop("appeals/b-second", en=english("SOP-APL-002", status="deprecated"), **second)
    return tree


def write(tree: Tree, docs: Path, day: date = TODAY) -> Pass:
    """The tree written into `docs` as a build does, with its memo beside it."""
    project = Project(tree.root)
    memo = SopMemo(docs.parent / "memo", docs, build_context(project, day, False))
    folder, found = DocsFolder(docs), Pass(set(), set())
    for part in tree_parts(load_library(project, bodies=True), None, day, False, memo):
        folder.write(part)
        found.made |= set(part.pages) & set(part.sop_pages)
        found.kept |= part.kept
    folder.finish()
    return found


def scratch(tree: Tree) -> dict[str, str]:
    return build_tree(load_library(Project(tree.root), bodies=True), None, TODAY).pages


def on_disk(docs: Path) -> dict[str, str]:
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}


def test_a_second_pass_takes_every_page_and_writes_the_same_tree(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    docs = tmp_path / "docs"
    first = write(tree, docs)
    assert len(first.made) == 6 and not first.kept
    again = write(tree, docs)
    assert again.kept == first.made and not again.made
    assert {path: text for path, text in on_disk(docs).items() if path in scratch(tree)} == scratch(tree)


def test_an_edit_makes_that_sops_pages_and_what_shows_it(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    docs = tmp_path / "docs"
    write(tree, docs)
    path = tree.root / "sops/appeals/a-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the newest case"))
    body = write(tree, docs)
    assert body.made == {"appeals/a-first.md", "appeals/a-first.es.md", "appeals/a-first.pt.md"}
    # the title of a-first is shown on b-second's pages (its successor): they are made again too
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Seller appeal", "title: A seller appeal"))
    title = write(tree, docs)
    assert {"appeals/b-second.md", "appeals/a-first.md"} <= title.made
    assert {path: text for path, text in on_disk(docs).items() if path in scratch(tree)} == scratch(tree)


def test_a_docs_file_changed_by_anything_else_is_made_again(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    docs = tmp_path / "docs"
    write(tree, docs)
    page = docs / "appeals/b-second.es.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nplanted\n", encoding="utf-8")
    again = write(tree, docs)
    assert again.made == {"appeals/b-second.es.md"}
    assert "planted" not in page.read_text(encoding="utf-8")
    (docs / "appeals/a-first.pt.md").unlink()
    assert write(tree, docs).made == {"appeals/a-first.pt.md"}


def test_another_day_or_a_changed_string_makes_every_page(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    docs = tmp_path / "docs"
    first = write(tree, docs)
    assert write(tree, docs, TODAY.replace(day=23)).made == first.made
    ui = tree.root / "translations/ui.yml"
    ui.write_text(ui.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert write(tree, docs, TODAY.replace(day=23)).made == first.made
    (tmp_path / "memo/es.json").write_text("{not json", encoding="utf-8")
    assert write(tree, docs, TODAY.replace(day=23)).made == {p for p in first.made if ".es." in p}


def test_a_memo_of_another_shape_is_no_memo(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    docs = tmp_path / "docs"
    first = write(tree, docs)
    memo = tmp_path / "memo/en.json"
    whole = json.loads(memo.read_text(encoding="utf-8"))
    shapes = [[], {"shared": whole["shared"], "pages": []}, {**whole, "pages": {"appeals/a-first.md": 1}}]
    for shape in shapes:
        memo.write_text(json.dumps(shape), encoding="utf-8")
        assert write(tree, docs).made == {p for p in first.made if "." not in p.removesuffix(".md")}
