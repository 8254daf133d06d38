"""Search over the library itself, for a door that has no built site (`sop mcp`).

The site's search is Pagefind's index plus assets/sop-search.mjs; this follows the same rules on the SOP
files, so that an assistant and the search box put the same SOP first (a test holds the two to it):
- the reader's language only: each SOP as a reader of that language gets it (the translation, or English);
- what is indexed and how much it counts, as the site marks it up for Pagefind (publish/page.py): the id,
  title, tags and KPI labels (10), each heading of the body by its level (Pagefind's h2: 6 ...), the rest
  of the text (1);
- accents folded and punctuation dropped on both sides, every query word matched as the start of a word
  (a shorter match counts more), every query word required; Pagefind's BM25 weighting of the rest;
- an id typed loosely ("apl 4", "APL-004") is the id itself; active SOPs first, deprecated and retired
  ones after them; within each, a page whose title is the query comes first.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import snowballstemmer

from soplib.core.dialect import HEADINGS, children, read_tree
from soplib.core.state import SopState
from soplib.core.words import fold
from soplib.load.library import Library
from soplib.publish.page import keywords
from soplib.search.terms import corrected, with_synonyms, words

_ID = re.compile(r"^\s*(?:sop[\s-]*)?([a-z]{2,4})[\s-]*(\d{1,3})\s*$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w]|_")
LABELS, TEXT = 10, 1  # the site's data-pagefind-weight for id, title, tags and KPIs; plain text
K1, B = 1.4, 0.75  # Pagefind's default term saturation and page-length weight
EXCERPT_WORDS = 30
_STEMMERS = {"en": "english", "es": "spanish", "pt": "portuguese"}


def expand_query(query: str) -> str:
    """ "apl 004", "APL-4", "sop apl 004" -> "SOP-APL-004" (as assets/sop-search.mjs does); else the query."""
    match = _ID.match(query)
    return f"SOP-{match[1].upper()}-{match[2].zfill(3)}" if match else query.strip()


@functools.cache
def _stem(lang: str) -> Callable[[str], str]:
    """Pagefind stems each word with the Snowball stemmer of the page's language; here, once accents are
    folded, so that a word typed without them stems as the written one does. Each word once: the library
    says the same words again and again."""
    if lang not in _STEMMERS:
        return str
    return functools.lru_cache(maxsize=1 << 16)(snowballstemmer.stemmer(_STEMMERS[lang]).stemWord)


def _words(text: str, weight: float, stem: Callable[[str], str]) -> Iterable[tuple[str, float]]:
    """Each word without accents and punctuation; a word with punctuation inside (SOP-APL-004, e-mail) also
    as its parts, which share its weight."""
    for raw in fold(text).split():
        whole = stem(_PUNCTUATION.sub("", raw))
        if whole:
            yield whole, weight
        parts = [stem(part) for part in _PUNCTUATION.split(raw) if len(part) > 1]
        if len(parts) > 1 or (parts and parts[0] != whole):
            yield from ((part, weight / len(parts)) for part in parts)


def query_terms(query: str, lang: str) -> list[str]:
    stem = _stem(lang)
    return [stem(term) for raw in fold(expand_query(query)).split() if (term := _PUNCTUATION.sub("", raw))]


@dataclass
class Page:
    sop: SopState
    lang: str
    title: str
    chunks: list[tuple[str, float]]  # (text, weight), in page order
    words: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # word -> (position, weight)
    length: int = 0
    plain: set[str] = field(default_factory=set)  # its words as typed (folded, not stemmed)

    def __post_init__(self) -> None:
        stem = _stem(self.lang)
        for text, weight in self.chunks:
            self.plain.update(words(text))
            for raw in text.split():
                for word, counted in _words(raw, weight, stem):
                    self.words.setdefault(word, []).append((self.length, counted))
                self.length += 1

    def weighted(self, words: dict[str, float]) -> dict[str, float]:
        """The weight of each word at the positions where it matched; where a word and one of its parts both
        match, the part, as Pagefind counts them."""
        best: dict[int, tuple[float, str]] = {}
        for word in words:
            for position, weight in self.words[word]:
                if position not in best or weight < best[position][0]:
                    best[position] = (weight, word)
        counted: dict[str, float] = {}
        for weight, word in best.values():
            counted[word] = counted.get(word, 0) + weight
        return counted


def page(library: Library, state: SopState, lang: str) -> Page:
    """An SOP as the search of `lang` reads it."""
    labels = " ".join(keywords(library.project, state, lang))
    return Page(state, lang, state.title(lang), [(labels, LABELS), *_body(state.shown(lang).body)])


def _body(source: str) -> list[tuple[str, float]]:
    body = read_tree(source)
    chunks: list[tuple[str, float]] = []
    for node in children(body) if body is not None else ():
        weight = 8 - int(node.tag[1]) if node.tag in HEADINGS else TEXT  # Pagefind: h1 7, h2 6 ... h6 2
        chunks.append((" ".join(node.text(separator=" ").split()), weight))
    return chunks


@dataclass(frozen=True)
class Hit:
    page: Page
    score: float
    matched: frozenset[str]


def search(pages: list[Page], query: str, synonyms: dict[str, str] | None = None) -> list[Hit]:
    """The pages that have every word of the query, in the site's order; the glossary's variants
    (`synonyms`) searched as their term, and a word no page has put right from the pages' own words."""
    query = rewritten(pages, query, synonyms or {})
    terms = query_terms(query, pages[0].lang if pages else "en")
    if not terms or not pages:
        return []
    vocabulary = Counter(word for p in pages for word in p.words)  # word -> pages that have it
    matches = [_extensions(term, vocabulary) for term in terms]
    average = sum(p.length for p in pages) / len(pages)
    hits = []
    for candidate in pages:
        found = [{w: bonus for w, bonus in m.items() if w in candidate.words} for m in matches]
        if all(found):
            words = {w: bonus for term in found for w, bonus in term.items()}
            weighted = candidate.weighted(words)
            score = sum(
                _score(candidate, weighted[w] * words[w], vocabulary[w], len(pages), average)
                for w in weighted
            )
            hits.append(Hit(candidate, score, frozenset(words)))
    wanted = _plain(expand_query(query))
    hits.sort(key=lambda h: (h.page.sop.lifecycle.inactive, _plain(h.page.title) != wanted, -h.score))
    return hits


def rewritten(pages: list[Page], query: str, synonyms: dict[str, str]) -> str:
    """The query as the search box searches it (assets/sop-search.mjs): an id as it is; else with the
    glossary's variants replaced and a mistyped word corrected; "" when a word is in no page and nothing
    corrects it."""
    if expand_query(query) != query.strip():
        return query
    query, _ = with_synonyms(query, synonyms)
    known = Counter(word for candidate in pages for word in candidate.plain)
    fixed = corrected(query, known)
    return "" if fixed.unknown else fixed.query


def _plain(text: str) -> str:
    """A title or a query compared as words: "Train-the-trainer" is "train the trainer"."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def _extensions(term: str, vocabulary: Counter[str]) -> dict[str, float]:
    """The words that start with `term`, each with how close it is in length; none: the longest word that
    `term` starts with (as Pagefind does)."""
    found = {word: _length_bonus(len(word) - len(term)) for word in vocabulary if word.startswith(term)}
    if found:
        return found
    shorter = [word for word in vocabulary if term.startswith(word)]
    longest = max(shorter, key=len, default=None)
    return {longest: _length_bonus(len(term) - len(longest))} if longest else {}


def _length_bonus(extra: int) -> float:
    """1 for the word itself, less the longer the word is than what was typed (Pagefind's curve)."""
    base = math.exp(-0.5 * (extra + 1) ** 2 / 4)
    return math.exp(base) / math.e


def _score(candidate: Page, weighted: float, having: int, total: int, average: float) -> float:
    idf = math.log((total - having + 0.5) / (having + 0.5) + 1)
    tf = (K1 + 1) * weighted / (K1 * (1 - B + B * candidate.length / average) + weighted)
    return idf * tf


def excerpt(hit: Hit) -> str:
    """Some thirty words of the text around the first word that matched, as plain text."""
    stem = _stem(hit.page.lang)
    for text, weight in hit.page.chunks[1:]:
        words = text.split()
        for index, raw in enumerate(words):
            if any(word in hit.matched for word, _ in _words(raw, weight, stem)):
                start = max(0, index - 8)
                cut = words[start : start + EXCERPT_WORDS]
                return (
                    ("… " if start else "")
                    + " ".join(cut)
                    + (" …" if start + EXCERPT_WORDS < len(words) else "")
                )
    return hit.page.chunks[1][0] if len(hit.page.chunks) > 1 else ""
