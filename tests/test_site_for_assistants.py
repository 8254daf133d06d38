"""What the published sample site gives programs and assistants, in every language: the Markdown copy of each
SOP page, llms.txt and llms-full.txt, catalog.json with its anchors, and each SOP's scorecard page; checked
against the built HTML pages and against the other doors that say the same (`sop mcp`, `sop scorecard`)."""

from __future__ import annotations

import json
import posixpath
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from sop_trees import REPO
from soplib.assistant import Context, site_base_url
from soplib.assistant.sops import get_sop
from soplib.audit import scorecard
from soplib.core.markdown_copy import sentences
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.copies import FIELDS, LONGEST_SENTENCE, SUMMARY_LIMIT
from soplib.repo.git import Git

LANGUAGES = ("en", "es", "pt")
BASE = site_base_url(REPO)
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def catalog(built_site: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((built_site / "catalog.json").read_text("utf-8"))["sops"]
    return entries


def copy_of(site: Path, entry: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A published copy's front matter and the rest."""
    text = (site / entry["markdown"]).read_text(encoding="utf-8")
    front, rest = text.removeprefix("---\n").split("\n---\n", 1)
    return yaml.safe_load(front), rest


def language_file(site: Path, lang: str, name: str) -> str:
    """A file at the root of a language's part of the site."""
    return (site / ("" if lang == "en" else lang) / name).read_text(encoding="utf-8")


def site_path(here: str, href: str) -> str | None:
    """The site path a copy's link leads to (absolute at the site's URL, or relative to the page `here`);
    None for another site."""
    if href.startswith(BASE):
        return href.removeprefix(BASE).split("#")[0]
    if ":" in href.split("/")[0]:
        return None
    return posixpath.normpath(posixpath.join(here, href.split("#")[0]))


def html_ids(site: Path, url: str) -> set[str]:
    page = LexborHTMLParser((site / url / "index.html").read_text(encoding="utf-8"))
    return {node.attrs.get("id") or "" for node in page.css("[id]")}


def test_every_page_in_every_language_has_its_copy_with_the_catalogs_metadata(
    built_site: Path, catalog: list[dict[str, Any]]
) -> None:
    assert {e["language"] for e in catalog} == set(LANGUAGES)
    for entry in catalog:
        assert entry["markdown"] == entry["url"] + "index.md"
        assert (built_site / entry["url"] / "index.html").is_file()  # beside its HTML
        fields, rest = copy_of(built_site, entry)
        expected = {name: entry[name] for name in FIELDS if entry[name] not in (None, "", [])}
        for name in ("url", "scorecard"):  # absolute, at mkdocs.yml's site_url
            if name in expected:
                expected[name] = BASE + expected[name]
        assert fields == expected, entry["markdown"]
        assert rest.startswith(f"\n# {entry['title']}\n"), entry["markdown"]


def test_a_copys_links_go_to_pages_and_files_of_the_site(
    built_site: Path, catalog: list[dict[str, Any]]
) -> None:
    checked = 0
    for entry in catalog:
        _, body = copy_of(built_site, entry)
        for href in LINK.findall(body):
            target = site_path(entry["url"], href)
            if target is None or href.startswith("#"):
                continue  # another site, or the page itself
            assert not href.split("#")[0].endswith(".md"), (entry["markdown"], href)
            path = built_site / target
            assert (path / "index.html").is_file() or path.is_file(), (entry["markdown"], href)
            anchor = href.partition("#")[2]
            if anchor and (path / "index.html").is_file():
                assert anchor in html_ids(built_site, target), (entry["markdown"], href)
            checked += 1
    assert checked > 100


def test_a_copy_says_what_the_pages_banners_say(built_site: Path, catalog: list[dict[str, Any]]) -> None:
    by_key = {(e["id"], e["language"]): e for e in catalog}
    _, stale = copy_of(built_site, by_key[("SOP-CS-001", "pt")])  # Portuguese of 2.0.0; English is 2.1.0
    assert "> Esta tradução corresponde à versão 2.0.0 em inglês; a versão em vigor é a 2.1.0." in stale
    assert f"[SOP em inglês]({BASE}customer-service/refund-and-return/)" in stale
    fields, missing = copy_of(built_site, by_key[("SOP-CS-007", "es")])  # English only, by design
    assert fields["text_language"] == "en" and fields["translation"] == "not-planned"
    assert "> Este SOP todavía no tiene traducción al español: se muestra el texto en inglés." in missing
    assert "\n## Purpose\n" in missing
    _, deprecated = copy_of(built_site, by_key[("SOP-CS-006", "en")])
    assert re.search(
        r"> This SOP is deprecated since .*"
        rf"\[SOP-CS-001: Refund and return requests\]"
        rf"\({re.escape(BASE)}customer-service/refund-and-return/\)",
        deprecated,
    )


def test_catalog_anchors_are_the_pages_ids(built_site: Path, catalog: list[dict[str, Any]]) -> None:
    for entry in catalog:
        ids = html_ids(built_site, entry["url"])
        assert entry["sections"] and entry["steps"], entry["url"]
        assert {s["anchor"] for s in entry["sections"]} <= ids, entry["url"]
        assert [s["anchor"] for s in entry["steps"]] == [
            f"step-{n}" for n in range(1, len(entry["steps"]) + 1)
        ]
        assert {s["anchor"] for s in entry["steps"]} <= ids, entry["url"]
    refund = next(e for e in catalog if (e["id"], e["language"]) == ("SOP-CS-001", "es"))
    assert refund["steps"][3] == {"number": 4, "anchor": "step-4", "title": "Revisar el método de pago"}
    assert refund["sections"][0] == {"title": "Propósito", "anchor": "proposito", "level": 2}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_llms_txt_lists_the_languages_sops_by_team_with_whole_sentences(
    built_site: Path, catalog: list[dict[str, Any]], lang: str
) -> None:
    root = "" if lang == "en" else f"{lang}/"
    text = language_file(built_site, lang, "llms.txt")
    assert text.startswith("# " + Project.discover(REPO).text("site_name", lang) + "\n\n> ")
    mine = [e for e in catalog if e["language"] == lang]
    items = re.findall(r"^- \[(SOP-[A-Z]+-\d+): (.+?)\]\((.+?)\)(?:: (.*))?$", text, re.MULTILINE)
    assert [i[0] for i in items] == [e["id"] for e in _in_llms_order(mine)]
    for (sop_id, title, link, summary), entry in zip(items, _in_llms_order(mine), strict=True):
        assert link == BASE + entry["markdown"]
        assert (built_site / entry["markdown"]).is_file()
        assert title.removesuffix(" (English)") == entry["title"]
        whole = sentences(entry["summary"])
        kept = sentences(summary)
        assert kept == whole[: len(kept)], sop_id  # whole sentences, never cut in a word
        assert len(summary) <= SUMMARY_LIMIT or (len(kept) == 1 and len(summary) <= LONGEST_SENTENCE)
    assert "## Optional" in text and f"({BASE}{root}llms-full.txt)" in text
    assert f"[catalog.json]({BASE}catalog.json)" in text


def _in_llms_order(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    project = Project.discover(REPO)
    teams = project.allowed_values("team")
    inactive = ("deprecated", "retired")
    return sorted(
        entries,
        key=lambda e: (
            e["status"] in inactive,
            0 if e["status"] in inactive else teams.index(e["team"]),
            e["id"],
        ),
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_llms_full_txt_holds_every_copy(built_site: Path, catalog: list[dict[str, Any]], lang: str) -> None:
    full = language_file(built_site, lang, "llms-full.txt")
    for entry in (e for e in catalog if e["language"] == lang):
        assert (built_site / entry["markdown"]).read_text(encoding="utf-8") in full


def test_copies_agree_with_what_sop_mcp_answers(built_site: Path, catalog: list[dict[str, Any]]) -> None:
    context = Context.open(REPO, date.today())
    compared = 0
    for entry in catalog:
        answer = get_sop(context, entry["id"], entry["language"])
        if answer.version != entry["version"] or answer.text_language != entry["text_language"]:
            continue  # a version not in force yet, or English for a stale translation: not the same text
        fields, rest = copy_of(built_site, entry)
        shared = {name: value for name, value in answer.fields().items() if name in fields}
        assert shared == {name: fields[name] for name in shared}, entry["markdown"]
        assert set(shared) >= {"id", "title", "version", "status", "url", "translation", "source_version"}, (
            shared
        )
        assert LINK.sub("]()", rest).endswith(LINK.sub("]()", answer.body.strip()) + "\n"), entry["markdown"]
        compared += 1
    assert compared >= len(catalog) * 3 // 4


def test_each_scorecard_page_is_the_form_sop_scorecard_prints(
    built_site: Path, catalog: list[dict[str, Any]]
) -> None:
    library = load_library(Project.discover(REPO), bodies=True)
    with_forms = [e for e in catalog if e["scorecard"]]
    table = re.compile(r"^\| *check *\|", re.IGNORECASE | re.MULTILINE)  # the SME's scorecard table
    tables = {s.sop_id for s in library.state.published() if table.search(s.english.body)}
    assert {e["id"] for e in with_forms} == tables and len(with_forms) == 3 * len(tables)
    for entry in with_forms:
        page = LexborHTMLParser((built_site / entry["scorecard"] / "index.html").read_text(encoding="utf-8"))
        form = scorecard.compute(
            library, Git(REPO), [entry["id"]], None, entry["language"], None, None, date.today()
        )
        items = form.forms[0].items
        ids = [node.text(deep=True) for node in page.css(".sop-scorecard__id")]
        assert ids == [item.id for item in items], entry["scorecard"]
        fatal = [
            bool(row.css(".sop-scorecard__fatal")) for row in page.css(".sop-scorecard__criteria tbody tr")
        ]
        assert fatal == [item.fatal for item in items]
        for link in page.css(".sop-scorecard__criteria a[href]"):  # each step on the SOP page
            href = link.attrs.get("href") or ""
            target, _, anchor = href.partition("#")
            url = posixpath.normpath(posixpath.join(entry["scorecard"], target))
            assert anchor.startswith("step-") and anchor in html_ids(built_site, url), href
        sop_page = LexborHTMLParser((built_site / entry["url"] / "index.html").read_text(encoding="utf-8"))
        assert sop_page.css_first(".sop-tools__scorecard").attrs.get("href") == "scorecard/"
