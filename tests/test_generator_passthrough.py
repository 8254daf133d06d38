"""The generator adapter passes the tree's HTML blocks through Python-Markdown without parsing them
(soplib.site.generator.RawBlocks): the HTML it makes is the HTML Python-Markdown makes without it, on every
page of the sample library's tree, on the CommonMark specification's examples and on blocks that must take
Python-Markdown's own way (Markdown inside HTML, blank lines inside a block, a tag that is not a block)."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import markdown
import pytest

from sop_trees import REPO
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.tree import build_tree
from soplib.site.generator import RawBlocks, _RawBlockStash
from test_dialect import spec_examples

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.keys", "tables", "toc"]  # mkdocs.yml's
TODAY = date(2026, 11, 22)

TRICKY = [
    '<div markdown="1">\n**bold** inside\n</div>\n',
    "<div>\n<pre><code>one\n\ntwo</code></pre>\n</div>\n",
    "<span>inline</span> then text\n",
    "para\n<div>right after</div>\n",
    "<div><div>nested</div></div>\n\n<p>next</p>\n",
    "<div>a</div> tail\n",
    "<details><summary>S</summary>\n\nText *here*\n\n</details>\n",
    "<hr>\n\n<table><tr><td>x</td></tr></table>\n",
    "<div>\n<div>\n</div>\n",
    '<div class="grid cards" markdown>\n\n- **a** card\n\n</div>\n',  # Material's bare attribute
    '<div MARKDOWN="1">\n*x*\n</div>\n',
    "<p>Step 1</p>\nThen **x**\n<p>Step 2</p>\n",  # text between two closed elements is Markdown
    "<div title='<div>'>x</div></div>\n",
]
EXACT = [  # where a blank line shows: inside a <pre>
    "<pre>\nline\n\n<div>x</div>\n</pre>\n",
    "<div>\n<pre>a\n\n<p>b</p>\n</pre>\n</div>\n",
]


def render(text: str, raw_blocks: bool) -> str:
    extensions: list[object] = [*EXTENSIONS, RawBlocks()] if raw_blocks else list(EXTENSIONS)
    html: str = markdown.Markdown(extensions=extensions).convert(text)
    return html


def same(text: str) -> bool:
    """The same HTML, blank lines between blocks aside (they show nothing)."""

    def normal(html: str) -> str:
        return re.sub(r"\n\s*\n", "\n", html).strip()

    return normal(render(text, True)) == normal(render(text, False))


@pytest.fixture(scope="module")
def tree_pages() -> dict[str, str]:
    pages = build_tree(load_library(Project(REPO), bodies=True), None, TODAY).pages
    return {path: text.split("\n---\n", 1)[-1] for path, text in pages.items()}  # without front matter


def test_every_page_of_the_sample_tree_renders_as_without_it(tree_pages: dict[str, str]) -> None:
    assert len(tree_pages) > 50
    assert [path for path, text in tree_pages.items() if not same(text)] == []


def test_the_sop_pages_html_blocks_take_the_fast_way(tree_pages: dict[str, str]) -> None:
    """Not a pass-through that passes nothing: most HTML blocks of an SOP page are stashed unread."""
    page = tree_pages["customer-service/refund-and-return.md"]
    md = markdown.Markdown(extensions=EXTENSIONS)
    lines = page.split("\n")
    left = _RawBlockStash(md).run(lines)
    html_lines = sum(line.startswith("<") for line in lines)
    assert html_lines > 20 and sum(line.startswith("<") for line in left) < html_lines / 10


def test_the_commonmark_examples_render_as_without_it() -> None:
    examples = spec_examples()
    assert len(examples) == 655
    assert [number for number, text in enumerate(examples, 1) if not same(text)] == []


@pytest.mark.parametrize("text", TRICKY)
def test_blocks_it_must_leave_to_python_markdown(text: str) -> None:
    assert same(text)


@pytest.mark.parametrize("text", EXACT)
def test_blank_lines_inside_a_pre_stay_as_they_are(text: str) -> None:
    assert render(text, True) == render(text, False)


def test_each_language_rendered_in_one_process_says_its_warnings_once(tmp_path: Path) -> None:
    """One generator process renders every language in turn: a language's log handler and filter go
    with it, or the third language's warnings were printed three times, tagged with all three."""
    from soplib.site import generator

    logger, build_logger = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build")
    before = (list(logger.handlers), list(build_logger.filters))
    for lang in ("en", "es", "pt"):
        error = generator.render(
            str(tmp_path / "missing.yml"), str(tmp_path), str(tmp_path / lang), lang, False
        )
        assert error  # no such configuration: said, not raised
    assert (list(logger.handlers), list(build_logger.filters)) == before
