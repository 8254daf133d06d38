"""The two doors to search agree: `sop mcp` searches the SOP files in Python (soplib.search.library), the site
and `sop search` search the built site's Pagefind index with assets/sop-search.mjs. On the sample library
both put the same SOP first for the queries the site is tested with (tests/browser/test_search.py,
tests/test_cli_search.py), and list deprecated SOPs last."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_trees import REPO
from soplib.load.library import Library, load_library
from soplib.load.project import Project
from soplib.search import library as engine
from soplib.search import search_site, terms
from soplib.search.terms import synonyms

QUERIES = [
    ("es", "devolucion"),
    ("es", "apelacion"),
    ("pt", "apelacao"),
    ("pt", "devolucao"),
    ("es", "reembolso"),
    ("pt", "reembolso"),
    ("en", "SOP-QA-004"),
    ("en", "qa 004"),
    ("en", "qa-4"),
    ("en", "voucher"),
    ("es", "calibracion"),
    ("en", "seller"),
    ("en", "seller appeal"),
    ("en", "apl 2"),
    ("en", "Calibration sessions"),
    ("es", "articulo danado"),
    ("pt", "estorno"),  # an alias of the English-only chargeback SOP
    ("es", "contracargo"),
    ("es", "estorno"),  # in no Spanish page, nothing close: no SOP
    ("es", "reembolzo"),  # mistyped
    ("en", "refnd"),
    ("es", "reintegro"),  # a glossary variant
    ("pt", "ressarcimento"),
    ("es", "devolucion de dinero"),
]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(Project.discover(REPO))


def python_search(library: Library, lang: str, query: str) -> list[engine.Hit]:
    pages = [engine.page(library, state, lang) for state in library.state.published()]
    return engine.search(pages, query, synonyms(library.project, lang))


@pytest.mark.parametrize(("lang", "query"), QUERIES)
def test_both_doors_put_the_same_sop_first(built_site: Path, library: Library, lang: str, query: str) -> None:
    site = search_site(built_site, query, lang, 100, synonyms(library.project, lang))["results"]
    files = python_search(library, lang, query)
    assert [hit.page.sop.sop_id for hit in files][:1] == [hit["id"] for hit in site][:1]
    inactive = [hit.page.sop.lifecycle.inactive for hit in files]
    assert inactive == sorted(inactive)  # deprecated and retired last
    assert {h.page.sop.sop_id for h in files if h.page.sop.lifecycle.inactive} == {
        hit["id"] for hit in site if hit["inactive"]
    }


def test_a_page_whose_title_is_the_query_comes_first(library: Library) -> None:
    assert python_search(library, "en", "train the trainer")[0].page.sop.sop_id == "SOP-TRN-002"
    assert python_search(library, "es", "Sesiones de calibracion")[0].page.sop.sop_id == "SOP-QA-004"


def test_a_word_is_corrected_only_when_no_page_has_it(library: Library) -> None:
    known = {"reembolso": 12, "reembolsos": 3, "rembolso": 1, "devolucion": 9}
    assert terms.correction("reembolzo", known) == "reembolso"  # one letter changed
    assert terms.correction("rembolso", known) is None  # a word of the index, as typed
    assert terms.correction("reemb", known) is None  # the start of one: Pagefind extends it
    assert terms.correction("devlucion", known) == "devolucion"  # one dropped
    assert terms.correction("devolcuion", known) == "devolucion"  # two swapped
    assert terms.correction("edvolucion", known) is None  # the first letter wrong: looked for among its words
    assert terms.correction("dvolucoin", known) == "devolucion"  # two edits: a word of 8 letters or more
    assert terms.correction("xyzzy", known) is None
    assert terms.corrected("estorno", known).unknown == ["estorno"]


def test_an_excerpt_shows_the_words_found(library: Library) -> None:
    hit = python_search(library, "es", "devolucion")[0]
    assert "devolución" in engine.excerpt(hit)
