"""What the site's frame takes from translations/ and the front matter: the names and descriptions of the
site per language (mkdocs.yml holds the same as ui.yml), an SOP's aliases (checked by the schema, weighed
as its title by search), and the procedure shown first on the page."""

from __future__ import annotations

import yaml

from sop_trees import ENGLISH, REPO, TODAY, Tree
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.body import Part, procedure_first
from soplib.publish.page import keywords
from soplib.search import library as engine


class _Tagless(yaml.SafeLoader):
    """mkdocs.yml read without running its tags."""


_Tagless.add_multi_constructor("", lambda loader, suffix, node: None)


def test_the_sites_name_and_description_per_language_are_ui_ymls() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Tagless)
    project = Project(REPO)
    languages = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"]
    for language in languages:
        lang = language["locale"]
        assert language.get("site_name", config["site_name"]) == project.text("site_name", lang)
        described = language.get("site_description", config["site_description"])
        assert described == project.text("site_description", lang)
    assert config["site_url"].startswith("https://")
    assert config["theme"]["font"] is False and config["extra"]["generator"] is False


ALIASES = "tags: [listings]\naliases:\n  es: [baja de anuncio]\n  pt: [derrubada]\n"


def test_aliases_are_weighed_as_the_title_in_their_language_only(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH.replace("tags: [listings]\n", ALIASES, 1))
    library = load_library(Project(tree.root), bodies=True)
    assert lint(library, TODAY).findings == []
    state = library.state.sops[0]
    assert keywords(library.project, state, "pt")[-1] == "derrubada"
    assert "derrubada" not in keywords(library.project, state, "es")
    pages = [engine.page(library, state, "pt")]
    assert engine.search(pages, "derrubada")[0].page.sop.sop_id == "SOP-APL-001"


def test_aliases_of_an_unknown_language_are_a_lint_error(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH.replace("tags: [listings]\n", "tags: [listings]\naliases:\n  fr: [appel]\n", 1))
    findings = lint(load_library(Project(tree.root)), TODAY).findings
    assert [f.rule for f in findings if f.severity.value == "error"] == ["schema"], findings
    assert "aliases" in findings[0].message


def test_the_procedure_comes_first_its_anchors_unchanged() -> None:
    parts = [
        Part("<p>intro</p>"),
        Part("Purpose", 2, "Purpose", "purpose"),
        Part("<p>why</p>"),
        Part("Procedure", 2, "Procedure", "procedure"),
        Part('<ol><li id="step-1">do</li></ol>'),
        Part("Escalation", 2, "Escalation", "escalation"),
    ]
    moved = procedure_first(parts, "Procedure")
    assert [p.anchor or p.html for p in moved] == [
        "<p>intro</p>",
        "procedure",
        '<ol><li id="step-1">do</li></ol>',
        "purpose",
        "<p>why</p>",
        "escalation",
    ]
    assert procedure_first(parts, "Procedimiento") == parts  # no such section: as written
