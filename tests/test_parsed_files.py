"""A build parses only the SOP files that changed since the last one (soplib.load.parsed): the library it
gets is the one a fresh read gives, whatever the kept files hold."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from sop_trees import PORTUGUESE, SPANISH, Tree
from soplib.load.library import Library, load_library
from soplib.load.parsed import SHARDS, ParsedFiles, _shard, digest
from soplib.load.project import Project
from test_behaviours import english


def read(tree: Tree, folder: Path | None) -> Library:
    """The library read as a build reads it, keeping its files parsed in `folder`; or afresh."""
    if folder is None:
        return load_library(Project(tree.root), bodies=True)
    kept = ParsedFiles(folder, "en")
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


def test_a_file_saved_while_it_is_read_is_kept_as_what_was_parsed(tree: Tree, tmp_path: Path) -> None:
    """A file saved between its digest and its parse (and saved back, as an undo does) must never be
    taken for what it was: each kept parse is kept under the digest of the bytes parsed. A thread saves
    one file back and forth while the library is read again and again."""
    library(tree)
    for number in range(9, 60):  # a longer read, a wider window
        tree.add_sop(f"appeals/sop-{number}", en=english(f"SOP-APL-{number:03}"))
    path = tree.root / "sops/appeals/sop-1.md"
    first = path.read_bytes()
    second = first.replace(b"Open the oldest case", b"Open the newest case")
    kept, stop = tmp_path / "parsed", threading.Event()

    def save_back_and_forth() -> None:  # whole files, as an editor saves them (renamed over the old)
        while not stop.is_set():
            for name, data in (("b", second), ("a", first)):
                (tmp_path / name).write_bytes(data)
                os.replace(tmp_path / name, path)

    saver = threading.Thread(target=save_back_and_forth)
    saver.start()
    try:
        for _ in range(25):
            files = ParsedFiles(kept, "en")
            load_library(Project(tree.root), bodies=True, kept=files)
            files.save()
            read, (sop, _) = files.shards[_shard("sops/appeals/sop-1.md")]["sops/appeals/sop-1.md"]
            assert sop is not None
            assert read == digest(second if "newest" in sop.body else first)
    finally:
        stop.set()
        saver.join()


def test_a_shard_of_other_code_or_damaged_is_parsed_again(tree: Tree, tmp_path: Path) -> None:
    library(tree)
    kept = tmp_path / "parsed"
    read(tree, kept)
    head = ParsedFiles(kept, "en").head
    payload = b"csoplib.core.gone\nThing\n."  # a pickle naming a module this code does not have
    for number, shard in enumerate(sorted(kept.iterdir())):
        sealed = b"%s\n%s\n%s" % (head, hashlib.sha256(payload).hexdigest().encode(), payload)
        shard.write_bytes(sealed if number % 2 else payload)
    assert seen(read(tree, kept)) == seen(read(tree, None))
    other = ParsedFiles(kept, "es")  # the records of another source language are not taken
    assert not any(other.shards)
