"""A census of the built site: every string a reader of a Spanish or Portuguese page sees or hears is in
that language, or marked lang="en" where it is English by necessity (an English-only SOP, an untranslated
summary). The English strings looked for are every English string the site's frame can print: the
project's (translations/), Material's, Python-Markdown's; plus any text that reads as an English sentence.
What must stay English is listed, with why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import material
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser, LexborNode

from sop_trees import REPO
from soplib.load.project import Project

LANGUAGES = ("es", "pt")
MATERIAL_STRINGS = re.compile(r'^\s*"([\w.]+)": "(.*)",?$', re.MULTILINE)
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SILENT = ("script", "style", "code", "pre", "kbd")
SEPARATORS = "·\u203a→← "  # the breadcrumb's and the pages' separators
QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»')  # the name of a template or a button, as the tool shows it
ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "to",
    "is",
    "with",
    "this",
    "that",
    "are",
    "on",
    "by",
}  # not "for": Portuguese too
# English on purpose, on a Spanish or Portuguese page: names of tools and templates that agents see in
# English on their screens, abbreviations read as such, and words that are the same in the language.
ALLOWED = {
    "SOP",
    "SOPs",
    "ID",
    "KPI",
    "KPIs",
    "DSAT",
    "RSAT",
    "BPO",
    "QA",
    "Editorial",
    "Case Hub",
    "Seller Center",
    "Policy Portal",
    "QA Scorecard",
    "Creator Studio",
    "Pix",
    "MED",
    "CLABE",
    "SPEI",
    "OXXO",
    "English",  # the language selector names each language in itself
    "Program manager",  # a job title, in English at these companies
}


def _strings(lang: str) -> dict[str, str]:
    """English string -> the same string in `lang`, for every string of the frame that has both."""
    found = {}
    for source in ("ui", "vocabulary", "sections"):
        data = yaml.safe_load((REPO / "translations" / f"{source}.yml").read_text(encoding="utf-8"))
        for entry in _entries(data):
            found[entry["en"]] = entry[lang]
    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    english = dict(MATERIAL_STRINGS.findall((languages / "en.html").read_text(encoding="utf-8")))
    local = dict(MATERIAL_STRINGS.findall((languages / f"{lang}.html").read_text(encoding="utf-8")))
    found |= {
        text: local.get(key, "") for key, text in english.items() if key not in ("language", "direction")
    }
    found["Permanent link"] = ""  # Python-Markdown's title of a heading's link
    found["Made with"] = ""  # Material's credit
    return {english: local for english, local in found.items() if english and english != local}


def _entries(data: object) -> Iterator[dict[str, str]]:
    if isinstance(data, dict):
        if isinstance(data.get("en"), str) and isinstance(data.get("es"), str):
            yield data
        for value in data.values():
            yield from _entries(value)
    elif isinstance(data, list):
        for item in data:
            yield from _entries(item)


def _said(page: LexborHTMLParser) -> Iterator[tuple[str, str]]:
    """(where, text) for each string of the page not marked as another language: text, labels, titles.
    Not read: hidden elements (search metadata), code (commands and file contents are not a language)."""
    for node in page.root.traverse(include_text=True) if page.root else ():
        if node.is_text_node:
            parent = node.parent
            if parent is None or parent.tag in SILENT or _elsewhere(parent) or _hidden(parent, page):
                continue
            text = " ".join((node.text_content or "").split())
            if text:
                yield parent.tag or "", text
        else:
            for name in ATTRIBUTES:
                value = node.attrs.get(name)
                if value and not _elsewhere(node):
                    yield f"{node.tag}@{name}", " ".join(value.split())
            if node.tag == "meta" and node.attrs.get("name") == "description":
                yield "meta description", node.attrs.get("content") or ""


def _elsewhere(node: LexborNode) -> bool:
    """Inside an element marked as another language than the page's."""
    while node is not None and node.tag != "html":
        if node.attrs.get("lang"):
            return True
        node = node.parent
    return False


def _hidden(node: LexborNode, page: LexborHTMLParser) -> bool:
    """Hidden, or a link of the table of contents to a heading in a part marked as another language (the
    page marks the link too, in the browser: assets/sop/page.js; tests/browser/test_reader.py checks it)."""
    while node is not None and node.tag != "html":
        if "hidden" in node.attrs or node.tag in SILENT:
            return True
        href = node.attrs.get("href") or ""
        if node.tag == "a" and href.startswith("#") and "md-nav__link" in (node.attrs.get("class") or ""):
            target = page.css_first(f'[id="{href[1:]}"]')
            return target is not None and _elsewhere(target)
        node = node.parent
    return False


def _english(text: str, strings: dict[str, str]) -> bool:
    if text in ALLOWED or text.strip(SEPARATORS) in ALLOWED:
        return False
    if text in strings or any(text.startswith(s) for s in ("Made with", "Permanent link")):
        return True
    words = re.findall(r"[a-z]+", QUOTED.sub("", text).lower())
    return len(words) >= 4 and sum(word in ENGLISH_WORDS for word in words) >= 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_on_a_page_is_in_its_language_or_marked_english(built_site: Path, lang: str) -> None:
    strings = _strings(lang)
    english_titles = _english_only_titles(built_site)
    found: dict[str, set[str]] = {}
    pages = sorted((built_site / lang).rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for where, text in _said(page):
            # the <title> and the description name an English-only SOP by its English title: no markup there
            if where in ("title", "meta description") and any(title in text for title in english_titles):
                continue
            if _english(text, strings):
                found.setdefault(f"{where}: {text[:80]}", set()).add(str(path.relative_to(built_site)))
    assert not found, "\n".join(
        f"{text}  ({len(where)} pages, e.g. {min(where)})" for text, where in found.items()
    )


def test_the_census_finds_english_where_it_is(built_site: Path) -> None:
    """The census is not blind: the English page of an SOP fails it, and its Spanish page passes."""
    strings = _strings("es")
    english = LexborHTMLParser(
        (built_site / "customer-service/refund-and-return/index.html").read_text("utf-8")
    )
    assert sum(_english(text, strings) for _, text in _said(english)) > 20


def _english_only_titles(site: Path) -> set[str]:
    import json

    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))["sops"]
    return {sop["title"] for sop in catalog if sop["language"] != "en" and sop["text_language"] == "en"}


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_the_navigation_names_the_top_pages_by_their_titles(built_site: Path, lang: str) -> None:
    """The tabs above every page: each top page's title in the page's language (the generator takes a
    page's title from its front matter; a build once showed "None" on every tab)."""
    project = Project(REPO)
    titles = [project.text(key, lang) for key in ("teams_title", "browse_title", "changes_title")]
    prefix = "" if lang == project.source_language else f"{lang}/"
    for page in (f"{prefix}index.html", f"{prefix}customer-service/refund-and-return/index.html"):
        html = LexborHTMLParser((built_site / page).read_text(encoding="utf-8"))
        tabs = [node.text(deep=True).strip() for node in html.css(".md-tabs__link")]
        assert len(tabs) >= 4 and all(tabs), tabs
        assert "None" not in tabs and all(title in tabs for title in titles), tabs
