"""A rebuild makes again only the pages of the SOPs that changed (soplib.publish.memo): the others are taken
from the memo, and the docs folder is always the one a tree made from scratch would be."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sop_trees import PORTUGUESE, REPO, SPANISH, TODAY, Tree
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.memo import SopMemo, build_context
from soplib.publish.tree import DocsFolder, build_tree, tree_parts
from test_behaviours import english


@dataclass
class Pass:
    made: set[str]  # SOP pages made by this pass
    kept: set[str]  # SOP pages taken as they were
    whole: int = 0  # parts taken whole (a language's)


def library(tree: Tree) -> Tree:
    tree.add_sop("appeals/a-first", en=english("SOP-APL-001"), es=SPANISH, pt=PORTUGUESE)
    second = dict(
        es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"), pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002")
    )
    tree.add_sop("appeals/b-second", en=english("SOP-APL-002", status="deprecated"), **second)
    return tree


def write(tree: Tree | Library, docs: Path, day: date = TODAY, build: str = "", in_place: str = "") -> Pass:
    """The tree written into `docs` as a build does, with its memo beside it; `build`: this pass's name,
    `in_place`: the pass whose site files are in place (in tree.root/site: none are, there are none)."""
    project = Project(tree.root)
    context = build_context(project, day, False)
    memo = SopMemo(docs.parent / "memo", docs, context, project, build, in_place, tree.root / "site")
    folder, found = DocsFolder(docs), Pass(set(), set())
    for part in tree_parts(load_library(project, bodies=True), None, day, False, memo):
        folder.write(part)
        found.made |= set(part.pages) & set(part.sop_pages)
        found.kept |= part.kept
        found.whole += bool(part.kept_files)
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


def test_an_edit_makes_the_pages_that_read_what_changed(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    docs = tmp_path / "docs"
    write(tree, docs)
    path = tree.root / "sops/appeals/a-first.md"
    text = path.read_text(encoding="utf-8")
    # the prose of a step: the translations' pages show their own text
    path.write_text(text.replace("Open the oldest case", "Open the newest case"))
    assert write(tree, docs).made == {"appeals/a-first.md"}
    assert {path: text for path, text in on_disk(docs).items() if path in scratch(tree)} == scratch(tree)
    # a step's lead: a translation's scorecard shows the English one where its own criteria do not match
    path.write_text(text.replace("**Open the case.**", "**Open the appeal.**"))
    assert write(tree, docs).made == {"appeals/a-first.md", "appeals/a-first.es.md", "appeals/a-first.pt.md"}
    # the title of a-first is shown on b-second's pages (its successor): they are made again too
    path.write_text(text.replace("title: Seller appeal", "title: A seller appeal"))
    title = write(tree, docs)
    assert {"appeals/b-second.md", "appeals/a-first.md", "appeals/a-first.es.md"} <= title.made
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


@dataclass
class Library:
    root: Path


def other_languages(root: Path) -> dict[str, str]:
    """Every page and site file of the tree that is not in the source language, and catalog.json's entries
    of the other languages."""
    tree = build_tree(load_library(Project(root), bodies=True), None, TODAY)
    found = {p: t for p, t in tree.pages.items() if re.search(r"\.(es|pt)\.md$", p)}
    found |= {p: t for p, t in tree.site_files.items() if p.startswith(("es/", "pt/"))}
    lines = tree.site_files["catalog.json"].splitlines()
    found["catalog.json"] = "\n".join(line for line in lines if '"language":"en"' not in line)
    return found


def test_a_translations_pages_do_not_read_the_english_prose(tmp_path: Path) -> None:
    """What the memo's keys rest on (SopMemo._read): prose added to every section of the English text of
    every SOP of the sample library that has all its translations leaves every page and file of the other
    languages as it was (each tree made from scratch), and the memo makes only English pages again."""
    root = tmp_path / "library"
    for name in ("sops", "translations", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    before, docs = other_languages(root), tmp_path / "docs"
    write(Library(root), docs)
    states = load_library(Project(root), bodies=True).state.sops
    edited = [s for s in states if all(t.file is not None for t in s.translations.values())]
    for state in edited:
        path = root / state.english.path
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^(## .+)$", r"\1\n\nA sentence added to the prose.", text, flags=re.M))
    assert len(edited) >= 10
    assert other_languages(root) == before
    made = write(Library(root), docs).made
    assert made == {state.english.path.relative_to("sops").as_posix() for state in edited}


def place(root: Path, tree: Tree) -> None:
    """The site files of a tree made from scratch, put in place as a build would."""
    made = build_tree(load_library(Project(tree.root), bodies=True), None, TODAY)
    for name, text in made.site_files.items():
        (root / "site" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / name).write_text(text, encoding="utf-8")


def test_a_language_none_of_whose_pages_changed_is_taken_whole(tree: Tree, tmp_path: Path) -> None:
    """Only from the build whose site is in place, with its docs files as it wrote them and its site files
    in the site in place: else it is made, and the tree is always the one made from scratch."""
    library(tree)
    docs = tmp_path / "docs"
    assert write(tree, docs, build="one").whole == 0
    path = tree.root / "sops/appeals/a-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the newest case"))
    assert write(tree, docs, build="two", in_place="one").whole == 0  # no site files in place
    place(tree.root, tree)
    assert write(tree, docs, build="three", in_place="one").whole == 0  # not the build in place
    again = write(tree, docs, build="four", in_place="three")
    assert again.whole == 3 and not again.made  # nothing changed since "three"
    assert {path: text for path, text in on_disk(docs).items() if path in scratch(tree)} == scratch(tree)
    path.write_text(path.read_text(encoding="utf-8").replace("Open the newest case", "Open a case"))
    body = write(tree, docs, build="five", in_place="four")
    assert body.whole == 2 and body.made == {"appeals/a-first.md"}
    (tree.root / "site/es/llms.txt").write_text("cut", encoding="utf-8")  # not the file the part wrote
    page = docs / "teams.pt.md"
    page.write_text(page.read_text(encoding="utf-8") + "planted\n", encoding="utf-8")
    assert write(tree, docs, build="six", in_place="five").whole == 0
    assert "planted" not in page.read_text(encoding="utf-8")
    assert {path: text for path, text in on_disk(docs).items() if path in scratch(tree)} == scratch(tree)
