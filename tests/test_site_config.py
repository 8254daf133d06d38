"""mkdocs.yml and translations/ui.yml state a few facts twice (a generator reads its configuration, the
pages the site makes itself read ui.yml): they must agree."""

from __future__ import annotations

import yaml

from sop_trees import REPO
from soplib.load.project import Project


def test_the_site_has_one_name_per_language() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    project = Project(REPO)
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    for language in i18n["languages"]:
        lang = language["locale"]
        name = language.get("site_name", config["site_name"])
        assert name == project.text("site_name", lang), lang
    assert set(project.languages) == {language["locale"] for language in i18n["languages"]}
