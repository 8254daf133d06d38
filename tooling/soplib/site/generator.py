"""The one module that knows the site generator: MkDocs with Material and mkdocs-static-i18n.

The docs tree (soplib.publish.tree) already holds every page as it is published; the generator only renders
it. `render` builds one language in the calling process; the `sop` plugin wires the language a process
builds into mkdocs-static-i18n and, when MkDocs is run on its own (`mkdocs build`, `mkdocs serve`), writes
the tree first. Moving to another generator means replacing this module.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs import utils
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from selectolax.lexbor import LexborHTMLParser

from soplib.core.errors import SopError
from soplib.load.project import CACHE_DIR
from soplib.publish import csp

THEME = Path(__file__).parents[1] / "publish" / "overrides"  # the site's own templates over Material's
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n")  # a new release of one renders every page anew
THEME_SCRIPTS = "partials/javascripts/"  # Material's inline scripts: the only inline script a page may run
DIRTY_WARNING = "A 'dirty' build is being performed"
on_page: Callable[[], None] | None = None  # called after each page is rendered (a build's progress)


def versions() -> str:
    """What every page's rendering depends on besides the tree, for the fingerprint of a build: the
    generator's packages and their versions, the site's template overrides and the policy's code."""
    packages = " ".join(f"{name}=={importlib.metadata.version(name)}" for name in PACKAGES)
    files = [*sorted(THEME.rglob("*.html")), Path(csp.__file__), Path(__file__)]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:16]
    return f"{packages} theme={digest}"


def content_security_policy(env: jinja2.Environment, config: MkDocsConfig) -> Callable[[str], str]:
    """The policy of a page, by its base URL: Material's inline scripts (its partials, rendered as the page
    renders them) and the reload script of `sop serve` allowed by their hashes; no other inline script."""
    from soplib.site.serve import RELOAD

    features = config.theme.get("features") or []
    names = [name for name in env.list_templates() if name.startswith(THEME_SCRIPTS)]

    @functools.lru_cache(maxsize=64)
    def policy(base_url: str) -> str:
        context = {"config": config, "base_url": base_url, "features": features}
        html = "".join(env.get_template(name).render(context) for name in names) + RELOAD.decode()
        return csp.page_policy(inline_scripts(html))

    return policy


def inline_scripts(html: str) -> list[str]:
    """The texts of the scripts written inline in `html` that a browser runs (not JSON data)."""
    scripts = LexborHTMLParser(html).css("script:not([src])")
    return [node.text(deep=True) for node in scripts if not node.attributes.get("type")]


def render(config_file: str, docs_dir: str, site_dir: str, language: str, dirty: bool) -> str | None:
    """Render the tree's pages in `language` into `site_dir` (the other languages' into site_dir/<lang>/).
    With `dirty`, a page whose HTML is newer than its Markdown is left as it is. Runs in a worker process;
    returns an error message, or None."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"[{language}] %(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    # A dirty build warns that navigation may be stale: the build's fingerprint (soplib.site.build) makes
    # it a full one whenever anything in the navigation or the theme changes, so the warning does not apply.
    logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty)
    try:
        return _render(config_file, docs_dir, site_dir, language, dirty)
    finally:  # one process renders every language in turn: each says its warnings once, as its own
        logging.getLogger("mkdocs").removeHandler(handler)
        logging.getLogger("mkdocs.commands.build").removeFilter(_not_dirty)


def _not_dirty(record: logging.LogRecord) -> bool:
    return DIRTY_WARNING not in record.getMessage()


def _render(config_file: str, docs_dir: str, site_dir: str, language: str, dirty: bool) -> str | None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file, strict=True, site_dir=site_dir, docs_dir=docs_dir)
        config.plugins["sop"].only_language = language  # type: ignore[attr-defined]
        with _new_files():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(Path(site_dir) / "sitemap.xml.gz")
            build(config, dirty=dirty)
    except MkDocsException as error:  # ConfigurationError, Abort (warnings in strict mode)
        return str(error)
    except OSError:
        raise  # a full disk, a read-only folder: said in one line by the build
    except Exception as error:  # a child's traceback would be lost in the pool: report it as one line
        return f"internal error: {type(error).__name__}: {error}"
    return None


@contextlib.contextmanager
def _new_files() -> Iterator[None]:
    """MkDocs writes over a file in place; a build's files share their data with the published site's
    (hard links: see soplib.site.build), so each file it writes must be a new one. MkDocs, Material and
    mkdocs-static-i18n write through these two functions, but for the compressed sitemap, which MkDocs
    opens itself: that one is removed before it is written."""
    write_file, copy_file = utils.write_file, utils.copy_file

    def fresh(function: Any) -> Any:
        def call(first: Any, output_path: str) -> None:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(output_path)
            function(first, output_path)

        return call

    utils.write_file, utils.copy_file = fresh(write_file), fresh(copy_file)
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = write_file, copy_file


# -- Python-Markdown: the tree's HTML blocks passed through unparsed ----------------------------------------
_BLOCK_START = re.compile(r"<([a-z][a-z0-9-]*)[\s>]")
_MARKDOWN_ATTRIBUTE = re.compile(r"<[a-z][^>]*\smarkdown\b", re.IGNORECASE)  # md_in_html's
_TAG_WITH_A_TAG = re.compile(r"<[a-z][^<>]*<")  # a "<" in an attribute: the tags cannot be counted


class RawBlocks(Extension):  # type: ignore[misc]
    """The tree's HTML blocks kept as they are without parsing them: Python-Markdown reads every raw HTML
    block with html.parser only to pass it through, a third of the time it takes to render the tree."""

    def extendMarkdown(self, md: Markdown) -> None:
        # after fenced code blocks are stashed, if an extension does it (25), before Python-Markdown's own
        # pass (20)
        md.preprocessors.register(_RawBlockStash(md), "sop_raw_blocks", 21)


class _RawBlockStash(Preprocessor):  # type: ignore[misc]
    """A block qualifies when it follows a blank line, starts with a block-level tag, and ends before the
    next blank line with that tag's end, having opened it as often as it closes it; Markdown in HTML
    (`markdown` attributes) and any other block take Python-Markdown's own way, as before."""

    def run(self, lines: list[str]) -> list[str]:
        kept: list[str] = []
        start = 0
        while start < len(lines):
            end = _whole_block(self.md, lines, start)
            if end is None:
                kept.append(lines[start])
                start += 1
                continue
            kept.append(self.md.htmlStash.store("\n".join(lines[start:end])))  # blank lines around it
            start = end
        return kept


def _whole_block(md: Markdown, lines: list[str], start: int) -> int | None:
    """Where the HTML block starting at `start` ends (the index of the blank line after it), if it is one
    that may be passed through as it is."""
    found = _BLOCK_START.match(lines[start])
    if not found or (start and lines[start - 1].strip()) or not md.is_block_level(found[1]):
        return None
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    block, tag = "\n".join(lines[start:end]), found[1]
    plain = not _MARKDOWN_ATTRIBUTE.search(block) and not _TAG_WITH_A_TAG.search(block)
    return end if plain and _one_element(block, tag) else None


def _one_element(block: str, tag: str) -> bool:
    """Whether `block` is one `tag` element: it ends where the block ends, and no text follows a first one
    that ends before (Python-Markdown would read that text as Markdown)."""
    depth = 0
    for mark in re.finditer(rf"<(/?){tag}[\s>]", block):
        depth += -1 if mark[1] else 1
        if depth == 0:
            return not block[mark.end() :].strip()
    return False


class SopPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    pass


class SopPlugin(BasePlugin[SopPluginConfig]):  # type: ignore[no-untyped-call]
    """Wires the tree into MkDocs: the language a `sop build` worker builds and, when MkDocs runs on its
    own, the tree written into its docs folder first."""

    def __init__(self) -> None:
        self.only_language: str | None = None  # set by `render`: `sop build` builds each language apart
        self.sources: list[Path] = []
        self.language = ""  # the language being built
        self.project: Any = None
        self.default_404: bytes | None = None  # `mkdocs build` alone: the source language's, kept

    # Before mkdocs-static-i18n (priority -100), which reads the docs folder.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.only_language is None:
            self._write_tree(config)
        i18n = config.plugins.get("i18n")
        if self.only_language and i18n is not None and getattr(i18n, "current_language", None) is None:
            i18n.current_language = self.only_language  # the language of its first (here: only) build
        self._localise(config, getattr(i18n, "current_language", None))
        if not any(isinstance(extension, RawBlocks) for extension in config.markdown_extensions):
            config.markdown_extensions.append(RawBlocks())
        return config

    def _localise(self, config: MkDocsConfig, language: str | None) -> None:
        """The site's own templates, and the strings of the language being built where MkDocs has one
        string for every language (the permanent link's title)."""
        from soplib.load.project import Project

        if self.project is None:
            self.project = Project(Path(config.config_file_path).parent)
        self.language = language or self.project.source_language
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME))
        toc = config.mdx_configs.setdefault("toc", {})
        if toc.get("permalink"):
            toc["permalink_title"] = self.project.text("permalink_title", self.language)

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Any) -> jinja2.Environment:
        """The templates' strings in the language being built (translations/ui.yml), the search box's
        settings (soplib.search.terms) and the page's Content-Security-Policy; the theme's templates
        compiled once, not by every build."""
        from jinja2 import FileSystemBytecodeCache

        from soplib.search.terms import box_settings

        folder = Path(config.config_file_path).parent / CACHE_DIR / "templates"
        with contextlib.suppress(OSError):  # a cache: without it the templates are compiled again
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))

        project, language = self.project, self.language
        source = project.source_language
        env.globals["sop_text"] = lambda key, **values: project.text(key, language, **values)
        env.globals["sop_search"] = box_settings(project, language)
        env.globals["sop_prefix"] = "" if language == source else f"{language}/"  # this language's folder
        # the languages whose folder may hold an address that is not found (the source's 404 sends there)
        env.globals["sop_elsewhere"] = " ".join(
            lang for lang in project.languages if language == source != lang
        )
        env.globals["sop_content_security_policy"] = content_security_policy(env, config)
        return env

    def _write_tree(self, config: MkDocsConfig) -> None:
        """`mkdocs build` or `mkdocs serve` on its own: the tree written as `sop build` writes it, and read
        in place of mkdocs.yml's docs folder (sops/, the sources)."""
        from soplib.load.project import Project
        from soplib.publish.tree import publish_day, write_docs

        try:
            project = Project(Path(config.config_file_path).parent)
            docs = project.root / CACHE_DIR / "mkdocs" / "docs"
            write_docs(project, docs, publish_day())
        except SopError as error:
            raise PluginError(str(error)) from None
        config.docs_dir = str(docs)
        self.sources = [project.sops_dir, project.root / "translations", project.root / "schemas"]

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in self.sources:  # a change to an SOP rebuilds the tree (`sop serve` does more)
            server.watch(str(folder))
        return server

    @event_priority(-200)  # after mkdocs-static-i18n's: the navigation of the language being built
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Any) -> Any:
        """The pages of the navigation that a rebuild does not render again (their HTML is newer than their
        Markdown) are read for their titles, in their front matter: every page it renders shows them. (A
        change to one of them changes the build's fingerprint: every page is rendered again.)"""
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)
                page.markdown = ""  # the title is in the front matter; MkDocs would hold the text
        return nav

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Any) -> str:
        page.markdown = ""  # MkDocs would hold every page's Markdown till the end (None: no title)
        return html

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        if on_page is not None:
            on_page()
        return output

    @event_priority(-50)  # before mkdocs-static-i18n's, which would go on to build the other languages
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._place_404(Path(config.site_dir))
        i18n = config.plugins.get("i18n")
        if self.only_language and i18n is not None:
            i18n.building = True

    def _place_404(self, site: Path) -> None:
        """MkDocs writes every language's page-not-found at the site's root: each goes in its language's
        folder (the source language's stays at the root, where a static host looks for it)."""
        page = site / "404.html"
        if not page.is_file():
            return
        if self.language == self.project.source_language:
            self.default_404 = page.read_bytes()
            return
        (site / self.language).mkdir(exist_ok=True)
        os.replace(page, site / self.language / "404.html")
        if self.default_404 is not None:  # `mkdocs build` builds every language into one folder
            page.write_bytes(self.default_404)


def main(argv: list[str]) -> int:
    """`python -m soplib.site.generator CONFIG DOCS SITE dirty|clean LANG...`: render each language in turn
    once a line "go" comes on standard input (`sop build` runs it, and says when its work folder is ready);
    one byte on standard output per page rendered, errors on standard error."""
    global on_page
    config, docs, site, mode, *languages = argv
    from mkdocs.commands import build  # noqa: F401  the generator's modules read meanwhile
    from mkdocs.config import load_config

    with contextlib.suppress(Exception):  # its theme and plugins too (what is wrong is said by `render`)
        load_config(config)
    if sys.stdin.readline().strip() != "go":
        return 1  # the build stopped before the site was rendered

    def count() -> None:
        sys.stdout.buffer.write(b".")
        sys.stdout.buffer.flush()

    on_page = count
    failed = False
    for lang in languages:
        error = render(config, docs, str(Path(site) / lang), lang, mode == "dirty")
        if error:
            sys.stderr.write(f"[{lang}] {error}\n")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
