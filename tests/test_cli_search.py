"""`sop search` and the catalog on a small built library: the same engine and ranking as the site."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sop_trees import ENGLISH, PORTUGUESE, REPO, SPANISH, Tree

SOP = Path(sys.executable).with_name("sop")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    tree = Tree(tmp_path_factory.mktemp("search") / "library")
    shutil.copyfile(REPO / "mkdocs.yml", tree.root / "mkdocs.yml")
    for landing in ("index.md", "index.es.md", "index.pt.md"):
        tree.write(f"sops/{landing}", "---\ntitle: Library\n---\n\n# Library\n")
    tree.add_sop()
    old = {
        "SOP-APL-001": "SOP-APL-002",
        "status: active": "status: deprecated\nsuperseded_by: SOP-APL-001",
        "Seller appeal of a listing removal": "Seller appeal by fax",
    }
    english = ENGLISH
    for before, after in old.items():
        english = english.replace(before, after)
    tree.add_sop(
        "appeals/fax-appeal",
        en=english,
        es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"),
        pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002"),
    )
    result = subprocess.run([str(SOP), "build"], cwd=tree.root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return tree


def search(tree: Tree, *args: str) -> dict[str, object]:
    result = subprocess.run(
        [str(SOP), "search", *args, "--format", "json"],
        cwd=tree.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_unaccented_query_in_spanish_finds_the_spanish_pages(built: Tree) -> None:
    found = search(built, "apelacion", "--lang", "es")
    results = found["results"]
    assert isinstance(results, list) and len(results) == 2
    assert all(r["url"].startswith("/es/") for r in results)
    # the excerpt comes from the text (the section that matched), never from the title or the keywords
    assert (
        results[0]["excerpt"]
        == "Propósito. Los vendedores pueden <mark>apelar</mark> la baja de una publicación."
    )
    assert results[0]["url"] == "/es/appeals/seller-appeal/#proposito"


def test_a_mistyped_word_and_a_glossary_variant_are_searched_as_the_word_the_sops_use(built: Tree) -> None:
    corrected = search(built, "apelasion", "--lang", "es")
    assert corrected["searched"]["corrected"] == [["apelasion", "apelacion"]]  # type: ignore[index]
    assert corrected["results"][0]["id"] == "SOP-APL-001"  # type: ignore[index]
    nothing = search(built, "estorno", "--lang", "es")  # no page has it, nothing is close: no guess
    assert nothing["total"] == 0 and nothing["searched"]["unknown"] == ["estorno"]  # type: ignore[index]


def test_deprecated_sop_ranks_last(built: Tree) -> None:
    results = search(built, "seller")["results"]
    assert [(r["id"], r["inactive"]) for r in results] == [("SOP-APL-001", False), ("SOP-APL-002", True)]


def test_id_typed_loosely(built: Tree) -> None:
    for query in ("apl 2", "SOP-APL-002", "apl-002"):
        assert search(built, query)["results"][0]["id"] == "SOP-APL-002"  # type: ignore[index]


def test_text_format(built: Tree) -> None:
    result = subprocess.run(
        [str(SOP), "search", "seller appeal", "--limit", "1"],
        cwd=built.root,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "2 SOPs match 'seller appeal' (en)"
    assert lines[1] == "1. SOP-APL-001 Seller appeal of a listing removal (Active, 1.1.0)"
    assert lines[2] == "   /appeals/seller-appeal/#purpose"  # where the words are


def test_without_a_built_site_the_error_says_what_to_do(tree: Tree) -> None:
    tree.add_sop()
    result = subprocess.run(
        [str(SOP), "search", "x"], cwd=tree.root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "no search index; build the site first with `sop build`" in result.stderr


def test_catalog_lists_every_sop_in_every_language(built: Tree) -> None:
    catalog = json.loads((built.root / "site" / "catalog.json").read_text(encoding="utf-8"))["sops"]
    assert [(e["id"], e["language"]) for e in catalog] == [
        (i, lang) for i in ("SOP-APL-001", "SOP-APL-002") for lang in ("en", "es", "pt")
    ]
    spanish = catalog[1]
    assert spanish["title"] == "Apelación de un vendedor por la baja de una publicación"
    assert spanish["url"] == "es/appeals/seller-appeal/"
    assert spanish["summary"] == "Los vendedores pueden apelar la baja de una publicación."
    assert (built.root / "site" / spanish["url"] / "index.html").exists()
    llms = (built.root / "site" / "llms.txt").read_text(encoding="utf-8")
    base = "https://sops.example.org/"  # mkdocs.yml's site_url: llms.txt's links are absolute
    assert f"[catalog.json]({base}catalog.json)" in llms
    assert (
        f"- [SOP-APL-001: Seller appeal of a listing removal]({base}appeals/seller-appeal/index.md)" in llms
    )


def test_the_words_kept_by_fragment_make_the_words_read_from_every_fragment(
    built: Tree, tmp_path: Path
) -> None:
    """A build keeps each fragment's words (by a digest of the fragment) and reads only the fragments it has
    not seen: the words files are the same either way."""
    from soplib.search import bundle
    from soplib.search.terms import FOLDER, write_vocabulary

    def words(folder: Path) -> dict[str, str]:
        return {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / FOLDER).glob("*.json"))}

    for lang in ("en", "es"):
        copy = tmp_path / lang
        shutil.copytree(bundle(built.root / "site", lang), copy)
        read = words(copy)
        kept = tmp_path / f"{lang}-words.json"
        write_vocabulary(copy, kept)  # from every fragment, keeping them
        assert words(copy) == read and len(json.loads(kept.read_text(encoding="utf-8"))) >= 2
        shutil.rmtree(copy / FOLDER)
        write_vocabulary(copy, kept)  # from the words kept
        assert words(copy) == read
