"""The decorated docs tree is the site, whatever renders it. `sop tree` writes the sample library's tree;
ProperDocs (the MkDocs 1.x fork that keeps plugins working) renders it with mkdocs.yml less the `sop` plugin;
every SOP page, in every language, still has its title, version line, banners, metadata and history, as the
pages `sop build` makes do. A canary: if the generator we leave behind changes, this says what was lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from sop_trees import REPO
from soplib.core.state import Lifecycle, SopState, TranslationState
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.page import docs_path
from soplib.publish.urls import page_url

BIN = Path(sys.executable).parent


def expected_banners(state: SopState, lang: str) -> set[str]:
    found = set()
    if state.lifecycle is Lifecycle.DEPRECATED and state.english.meta.get("superseded_by"):
        found.add("sop-banner--deprecated")
    if state.lifecycle is Lifecycle.RETIRED:
        found.add("sop-banner--retired")
    translation = state.translations.get(lang)
    if translation is not None:
        if translation.file is None:
            found.add("sop-banner--missing")
        elif translation.state is TranslationState.STALE:
            found.add("sop-banner--stale")
        elif translation.state is TranslationState.WORDING:
            found.add("sop-banner--wording")
    return found


def check_sop_pages(site: Path) -> int:
    """Every published SOP's page in every language shows what a reader must see; the pages checked."""
    project = Project(REPO)
    library = load_library(project)
    source, checked = project.source_language, 0
    for state in library.state.published():
        for lang in project.languages:
            path = site / page_url(docs_path(state, source, source), lang, source) / "index.html"
            page = LexborHTMLParser(path.read_text(encoding="utf-8"))
            where = f"{path.relative_to(site)}"
            title = page.css_first("h1#sop-title")
            shown = f"{state.sop_id} {state.title(lang)}"  # the id, then the title
            assert title is not None and " ".join(title.text().split()) == shown, where
            version = page.css_first(".sop-version__number")
            assert version is not None and state.version in version.text(), where
            banners = {
                name
                for node in page.css("[class*='sop-banner--']")
                for name in (node.attributes.get("class") or "").split()
                if name.startswith("sop-banner--")
            }
            assert banners == expected_banners(state, lang), where
            about = page.css_first("details.sop-meta")
            assert about is not None and about.attributes.get("data-sop-id") == state.sop_id, where
            rows = page.css(".sop-history table tbody tr")
            assert len(rows) == len(state.changes), where
            checked += 1
    return checked


def test_sop_build_pages_show_what_readers_must_see(built_site: Path) -> None:
    assert check_sop_pages(built_site) == 3 * len(load_library(Project(REPO)).state.published())


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("properdocs")
    result = subprocess.run(
        [str(BIN / "sop"), "tree", "--docs-dir", str(work / "docs")], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [plugin for plugin in config["plugins"] if plugin != "sop"]
    config |= {"docs_dir": str(work / "docs"), "site_dir": str(work / "site")}
    (work / "properdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "properdocs"), "build", "--strict", "-f", str(work / "properdocs.yml")],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return work / "site"


def test_a_second_generator_renders_the_same_sop_pages(properdocs_site: Path) -> None:
    assert check_sop_pages(properdocs_site) == 3 * len(load_library(Project(REPO)).state.published())
