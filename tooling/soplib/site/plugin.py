"""The MkDocs plugin: a thin adapter that hands each build event to the SiteManager."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from soplib.core.errors import SopError
from soplib.load.project import Project
from soplib.reporters import TextReporter
from soplib.site.manager import SiteManager, fingerprint

ASSETS = Path(__file__).parent / "assets"


class SopPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    lint = c.Type(bool, default=True)  # stop the build when `sop lint` finds errors


class SopPlugin(BasePlugin[SopPluginConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.only_language: str | None = None  # set by `sop build`, which builds each language in a process
        self.manager: SiteManager | None = None
        self.source_dir: Path | None = None
        self._fingerprint: object = None

    # Before mkdocs-static-i18n (priority -100), which must see the generated pages among the docs.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.source_dir is None:
            self.source_dir = Path(config.docs_dir)
        # MkDocs keeps plugin instances across builds in one process (`mkdocs serve`, a `sop build` worker
        # building a second language), and i18n re-runs this for every language: reload only on change.
        current = (fingerprint(self.source_dir), self.only_language)
        if self.manager is None or current != self._fingerprint:
            manager = self._load(config)
            try:
                config.docs_dir = str(manager.build_overlay(ASSETS))
            except SopError as error:
                raise PluginError(str(error)) from None
            self.manager, self._fingerprint = manager, current
        elif self.manager.overlay is not None:
            config.docs_dir = str(self.manager.overlay)
        if "assets/sop/sop.css" not in config.extra_css:
            config.extra_css.extend(["assets/sop/sop.css", "assets/sop/diff.css"])
            config.extra_javascript.append("assets/sop/search.js")
        i18n = config.plugins.get("i18n")
        if self.only_language and i18n is not None and getattr(i18n, "current_language", None) is None:
            i18n.current_language = self.only_language  # the language of its first (here: only) build
        return config

    def _load(self, config: MkDocsConfig) -> SiteManager:
        try:
            project = Project(Path(config.config_file_path).parent)
            # A process that builds one language needs its pages and the English ones it falls back to.
            languages = [project.source_language, self.only_language] if self.only_language else None
            manager = SiteManager(project, date.today(), languages)
            if self.config.lint and not self.only_language:  # `sop build` lints before it forks
                result = manager.lint()
                if result.errors:
                    raise PluginError(
                        "sop lint found errors; fix them before building:\n" + TextReporter().render(result)
                    )
        except SopError as error:
            raise PluginError(str(error)) from None
        if self.manager is not None:
            self.manager.remove_overlay()
        return manager

    @event_priority(-50)  # before mkdocs-static-i18n's, which would go on to build the other languages
    def on_post_build(self, config: MkDocsConfig) -> None:
        i18n = config.plugins.get("i18n")
        if self.only_language and i18n is not None:
            i18n.building = True

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.source_dir is not None:
            server.watch(str(self.source_dir))  # the overlay only links to the real files
        return server

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Any) -> str:
        assert self.manager is not None
        # Pagefind indexes the site (see soplib.search); Material's own index would only duplicate it,
        # while its search box stays and is driven by assets/sop/search.js.
        page.meta["search"] = {"exclude": True}
        return self.manager.decorate(markdown, page.file.src_uri, str(config.theme["language"]), page.url)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Any) -> str:
        assert self.manager is not None
        return self.manager.wrap_for_search(html, page.file.src_uri, str(config.theme["language"]))

    def on_shutdown(self) -> None:
        if self.manager is not None:
            self.manager.remove_overlay()
