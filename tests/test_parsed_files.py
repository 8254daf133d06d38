"""A build parses only the SOP files that changed since the last one (soplib.load.parsed): the library it
gets is the one a fresh read gives, whatever the kept files hold."""

from __future__ import annotations

from pathlib import Path

from sop_trees import PORTUGUESE, SPANISH, Tree
from soplib.load.library import Library, load_library
from soplib.load.parsed import SHARDS, ParsedFiles
from soplib.load.project import Project
from test_behaviours import english


def read(tree: Tree, folder: Path | None) -> Library:
    """The library read as a build reads it, keeping its files parsed in `folder`; or afresh."""
    if folder is None:
        return load_library(Project(tree.root), bodies=True)
    kept = ParsedFiles(folder)
    library = load_library(Project(tree.root), bodies=True, kept=kept)
    kept.save()
    return library


def seen(library: Library) -> list[tuple[object, ...]]:
    """What a reader of the library gets: each record's fields and parsed body, and the findings."""
    records = [
        (s.path, s.key, s.lang, s.meta, s.positions, s.body, s.body_line, s.lines_total, s.document)
        for s in library.sops
    ]
    return [*records, *sorted(library.findings)]


def library(tree: Tree) -> Tree:
    for number in range(1, 9):
        sop_id = f"SOP-APL-{number:03}"
        tree.add_sop(
            f"appeals/sop-{number}",
            en=english(sop_id),
            es=SPANISH.replace("SOP-APL-001", sop_id),
            pt=PORTUGUESE.replace("SOP-APL-001", sop_id),
        )
    tree.write("sops/appeals/broken.md", "---\nid: [unclosed\n---\n\nBody.\n")  # a finding, kept too
    return tree


def test_the_kept_files_give_the_library_a_fresh_read_gives(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    kept = tmp_path / "parsed"
    assert seen(read(tree, kept)) == seen(read(tree, None))
    assert seen(read(tree, kept)) == seen(read(tree, None))  # from the kept files this time
    path = tree.root / "sops/appeals/sop-3.es.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Apelación", "Recurso"), encoding="utf-8")
    (tree.root / "sops/appeals/sop-4.pt.md").unlink()
    assert seen(read(tree, kept)) == seen(read(tree, None))
    assert "Recurso" in str(read(tree, kept).sops)


def test_an_edit_rewrites_one_shard(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    kept = tmp_path / "parsed"
    read(tree, kept)
    before = {p.name: p.stat().st_mtime_ns for p in kept.iterdir()}
    assert len(before) <= SHARDS
    path = tree.root / "sops/appeals/sop-5.md"
    path.write_text(path.read_text(encoding="utf-8").replace("oldest", "newest"), encoding="utf-8")
    read(tree, kept)
    after = {p.name: p.stat().st_mtime_ns for p in kept.iterdir()}
    assert len([name for name in after if after[name] != before.get(name)]) == 1
    read(tree, kept)
    assert {p.name: p.stat().st_mtime_ns for p in kept.iterdir()} == after  # nothing changed: none written


def test_kept_files_that_cannot_be_read_are_parsed_again(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    kept = tmp_path / "parsed"
    read(tree, kept)
    for number, shard in enumerate(sorted(kept.iterdir())):
        shard.write_bytes(b"not a pickle" if number % 2 else b"")
    assert seen(read(tree, kept)) == seen(read(tree, None))
