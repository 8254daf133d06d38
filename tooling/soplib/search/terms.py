"""What search knows besides Pagefind's index, the same for the search box (assets/sop-search.mjs mirrors
it) and for `sop mcp` (search.library): the glossary's variants searched as the term the SOPs use, and the
index's own words, to put right a word typed wrong.

The words of the index are written beside each language's Pagefind bundle, split by their first letter,
so that the search box fetches only the few it needs (`write_vocabulary`, run after Pagefind).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soplib.core.output import write_file
from soplib.core.words import fold
from soplib.load.project import Project

WORD = re.compile(r"[^\W_]+")  # letters and digits: what an agent types as one word
FOLDER = "sop-words"  # in each Pagefind bundle: one <first letter>.json per letter
SHORTEST = 4  # shorter words are never corrected: too many words are one letter away
FORMAT = "1"  # written into the search settings: a change of the files' form indexes every language again


def words(text: str) -> list[str]:
    """The words of `text` as agents type them: lower case, without accents, split at punctuation."""
    return WORD.findall(fold(text))


def synonyms(project: Project, lang: str) -> dict[str, str]:
    """The glossary's variants in `lang` (folded) and the term the SOPs use instead: "reintegro" is searched
    as "reembolso"."""
    found = {}
    for entry in project.glossary:
        for variant in entry.forbidden.get(lang, []) if lang in entry.terms else []:
            found[" ".join(words(variant))] = entry.terms[lang]
    return found


def with_synonyms(query: str, table: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The query with each glossary variant in it replaced by its term, and the replacements made."""
    typed = " ".join(words(query))
    made = []
    for variant in sorted(table, key=len, reverse=True):
        pattern = rf"(?<!\w){re.escape(variant)}(?!\w)"
        if re.search(pattern, typed):
            typed = re.sub(pattern, table[variant], typed)
            made.append((variant, table[variant]))
    return (typed if made else query), made


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Each word of the index and how many pages have it (one text per page)."""
    counted: Counter[str] = Counter()
    for text in texts:
        counted.update(set(words(text)))
    return counted


def shard(word: str) -> str:
    """The file of the words that start like `word`."""
    first = word[:1]
    return first if first.isascii() and first.isalnum() else "_"


def correction(word: str, known: dict[str, int]) -> str | None:
    """The word of the index closest to `word`, typed wrong: one edit away (two from 8 letters on), an edit
    being a letter added, dropped, changed or two swapped, among the words with its first letter (the search
    box fetches only those); the most frequent of the closest. None when `word` is the start of a word of the
    index, too short, or has digits."""
    if not lacking(word, known):
        return None
    most = 1 if len(word) < 8 else 2
    best: tuple[int, int, str] | None = None
    for candidate, pages in known.items():
        near = abs(len(candidate) - len(word)) <= most and shard(candidate) == shard(word)
        if near and len(candidate) >= SHORTEST:
            distance = edits(word, candidate, most)
            if distance <= most and (best is None or (distance, -pages, candidate) < best):
                best = (distance, -pages, candidate)
    return best[2] if best else None


def edits(a: str, b: str, most: int) -> int:
    """The optimal string alignment distance of `a` and `b`, or most + 1 once it is past `most`."""
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return most + 1
        before, row = row, current
    return row[-1]


@dataclass(frozen=True)
class Corrected:
    query: str  # the query to search
    made: list[tuple[str, str]]  # (word typed, word searched)
    unknown: list[str]  # words that no page has and that nothing corrects: then no SOP matches


def corrected(query: str, known: dict[str, int]) -> Corrected:
    """The query with each word the index lacks put right. (Pagefind would search a word no page has as
    the longest word it starts with: "estorno" as "es", which every Spanish page has.)"""
    typed, made, unknown = words(query), [], []
    for index, word in enumerate(typed):
        better = correction(word, known)
        if better is not None:
            typed[index] = better
            made.append((word, better))
        elif lacking(word, known):
            unknown.append(word)
    return Corrected(" ".join(typed) if made else query, made, unknown)


def lacking(word: str, known: dict[str, int]) -> bool:
    """A word of letters, long enough to judge, that no word of the index starts with."""
    return len(word) >= SHORTEST and word.isalpha() and not any(w.startswith(word) for w in known)


# -- the words of a built site's index -------------------------------------------------------------------
def write_vocabulary(bundle: Path, kept: Path | None = None) -> None:
    """The words of a Pagefind bundle's pages (their indexed text and title, as Pagefind stored them in its
    fragments), one file per first letter: {word: pages}. `kept`: a file of each fragment's words by a
    digest of the fragment, so that a rebuild reads only the fragments that changed (0.2 s at 1,000 pages)."""
    before = _kept_words(kept)
    now: dict[str, str] = {}  # a fragment's words in one text: a third of the memory of a list of them
    known: Counter[str] = Counter()
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        found = before.get(digest)
        if found is None:
            found = " ".join(sorted(vocabulary([_indexed_text(_fragment(data))])))
        now[digest] = found
        known.update(found.split())
    files: dict[str, dict[str, int]] = {}
    for word, pages in sorted(known.items()):
        files.setdefault(shard(word), {})[word] = pages
    folder = bundle / FOLDER
    folder.mkdir(exist_ok=True)
    for name, entries in files.items():
        (folder / f"{name}.json").write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")
    if kept is not None and now.keys() != before.keys():
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_file(kept, json.dumps(now, ensure_ascii=False), durable=False)


def _kept_words(kept: Path | None) -> dict[str, str]:
    with contextlib.suppress(Exception):  # a cache: without it, every fragment is read
        data = json.loads(kept.read_text(encoding="utf-8")) if kept is not None else {}
        if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
            return data
    return {}


def _indexed_text(fragment: dict[str, Any]) -> str:
    return f"{fragment.get('meta', {}).get('title', '')} {fragment.get('content', '')}"


def _fragment(raw: bytes) -> dict[str, Any]:
    """A Pagefind fragment: gzip, a signature, then JSON."""
    data = gzip.decompress(raw)
    found: dict[str, Any] = json.loads(data[data.index(b"{") :])
    return found


# -- what the search box is given on every page ------------------------------------------------------------
SCRIPT_TEXTS = ("search_corrected", "search_synonym", "search_nothing")


def box_settings(project: Project, lang: str) -> dict[str, Any]:
    """The search box's settings in `lang`: the glossary's synonyms and its messages ({placeholders} left for
    the script to fill)."""
    texts = {key: project.ui[key][lang] for key in SCRIPT_TEXTS}
    # a result's translation state, as the SOP page's banner names it
    texts |= {"translation_stale": project.text("stale_title", lang)}
    texts |= {"translation_missing": project.text("missing_title", lang)}
    return {"synonyms": synonyms(project, lang), "texts": texts}
