"""The check of the built site (soplib.publish.security) on pages written by hand, and on a site that
`sop build` makes: what it refuses, where it says the problem comes from, what it lets through (the
site's own pages, ordinary SOP HTML); and attribute lists, which give a heading its anchor and nothing
else, on the page and where the page shows English inside a `markdown` element."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from site_renderer import render_page
from sop_trees import ENGLISH, REPO, TODAY, Tree
from soplib.core import cmark, dialect, safe_html
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish import csp
from soplib.publish.body import parts_markdown, publish
from soplib.publish.markdown import escape_markdown, markdown_inline
from soplib.publish.security import check_page, check_site, report
from xss_vectors import all_payloads

SOP = Path(sys.executable).with_name("sop")
POLICY = csp.page_policy(["var ours = 1"])


def page(article: str, head: str = "", after: str = "", policy: str | None = POLICY) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">' if policy is not None else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">{meta}<title>x</title>{head}</head>'
        f'<body><header class="md-header"><a href="../">Home</a></header>'
        f'<article class="md-content__inner md-typeset">{article}</article>{after}'
        '<script src="../assets/javascripts/bundle.js"></script><script>var ours = 1</script></body></html>'
    )


def problems(html: str) -> list[str]:
    return [problem.message for problem in check_page(html)]


# -- one page -----------------------------------------------------------------------------------------------
ORDINARY = """
<h2 id="procedure">Procedure<a class="headerlink" href="#procedure" title="Permanent link">&para;</a></h2>
<ol><li id="step-1">Press <kbd>Ctrl</kbd>+<kbd class="key-slash">/</kbd>.<br>Then <mark>check</mark>
<abbr title="Business process outsourcing">BPO</abbr> H<sub>2</sub>O x<sup>2</sup> <small>s</small>
<ins>new</ins> <del>old</del> <s>gone</s></li></ol>
<details><summary>More</summary><p>Folded <a href="https://example.com/a?b=1">away</a>,
<a href="mailto:lead@example.com">mail</a>, <a href="tel:+525555555555">call</a>.</p></details>
<table><thead><tr><th style="text-align: right;">n</th><th align="left">check</th></tr></thead>
<tbody><tr><td>1</td><td><img src="../photo.png" alt="photo" width="40"></td></tr></tbody></table>
<ul><li><input type="checkbox" disabled checked> done</li></ul>
<pre><code class="language-yaml">a: 1</code></pre>
<div class="admonition warning sop-banner--stale"><p class="admonition-title">Behind</p></div>
<div hidden data-pagefind-ignore="index" data-pagefind-filter="state:active">
<span data-pagefind-meta="id">SOP-CS-001</span></div>
<details class="sop-meta" data-sop-id="SOP-CS-001" data-pagefind-ignore><summary>About</summary>
<dl><div class="sop-meta__item"><dt>Id</dt><dd>SOP-CS-001</dd></div></dl></details>
"""


def test_ordinary_sop_html_passes() -> None:
    assert problems(page(ORDINARY)) == []


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('<img src="x" onerror="alert(1)">', "<img onerror=…> runs code"),
        ('<p ONCLICK="alert(1)">x</p>', "<p onclick=…> runs code"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a href=…> is a javascript: URL"),
        ('<a href=" JAVASCRIPT:alert(1)">x</a>', "<a href=…> is a javascript: URL"),
        ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">', "<img src=…> is a data: URL"),
        ('<a href="ftp://example.com/x">x</a>', "<a href=…> is a ftp: URL"),
        ("<script>alert(1)</script>", "<script> is not allowed in a page's content"),
        ("<svg><a><animate attributeName=href values=javascript:alert(1)></animate></a></svg>", "<svg>"),
        ("<iframe src=x></iframe>", "<iframe> is not allowed in a page's content"),
        ("<style>p{}</style>", "<style> is not allowed in a page's content"),
        ('<form action="https://x.org"><input type="password"></form>', "<form action=…> is not allowed"),
        ('<input type="text">', '<input type="text"> takes input'),
        ('<input name="password">', '<input type="text"> takes input'),  # no type: a text field
        ("<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>", "<noscript>"),
        (
            '<form class="sop-not-found" data-root="https://x.org/">',
            '<form data-root="https://x.org/"> leads',
        ),
        ('<form data-root="/\\x.org/">', '<form data-root="/\\x.org/"> leads off the site'),
        ('<p style="background:url(javascript:alert(1))">x</p>', "<p style=…> is not allowed"),
        ('<table><tr><td style="background:url(x)">x</td></tr></table>', '<td style="background:url(x)">'),
        ('<h2 id="__config">x</h2>', 'id="__config" is one of the theme\'s'),
        ('<p data-md-component="content">x</p>', "<p data-md-component=…> is not allowed"),
        ('<details markdown="1">x</details>', "<details markdown=…> is not allowed"),
    ],
)
def test_the_content_is_held_to_what_an_sop_may_write(article: str, expected: str) -> None:
    found = problems(page(article))
    assert found and found[0].startswith(expected), found


@pytest.mark.parametrize(
    ("where", "html", "expected"),
    [
        ("head", '<meta http-equiv="refresh" content="0;url=javascript:x">', '<meta http-equiv="refresh">'),
        ("head", '<base href="https://example.com/">', "<base> is not allowed in the head"),
        ("head", '<link rel="import" href="x.html">', '<link rel="import"> is not allowed'),
        ("head", '<script src="https://cdn.example.com/x.js"></script>', '<script src="https://cdn'),
        ("head", '<script src="//cdn.example.com/x.js"></script>', '<script src="//cdn'),
        ("after", "<script>alert(1)</script>", "an inline <script> the page's policy does not allow"),
        ("after", '<script type="module">alert(1)</script>', "an inline <script>"),
        ("after", "<object data=x></object>", "<object> is not allowed on a page"),
        ("after", "<style>x{}</style>", "<style> is not allowed on a page"),
        ("after", '<a href="javascript:x" class="md-footer__link">x</a>', "<a href=…> is a javascript:"),
    ],
)
def test_the_theme_around_it_is_held_to_what_the_theme_writes(where: str, html: str, expected: str) -> None:
    found = problems(page("<p>x</p>", **{where: html}))
    assert found and found[0].startswith(expected), found


def test_inline_script_runs_only_by_the_hash_the_policy_lists() -> None:
    assert problems(page("<p>x</p>", policy=None)) == [
        "an inline <script> the page's policy does not allow: 'var ours = 1'"
    ]
    weak = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline' https://cdn.example.com")
    assert problems(page("<p>x</p>", policy=weak)) == [
        "the page's Content-Security-Policy lets other script run: 'unsafe-inline' https://cdn.example.com"
    ]
    assert csp.unsafe_script_sources("default-src 'none'") == []
    assert csp.unsafe_script_sources("img-src 'self'") == ["(no script-src)"]


def test_a_url_scheme_is_read_as_a_browser_reads_it() -> None:
    cases = {
        "javascript:x": "javascript",
        " \x01JaVaScRiPt:x": "javascript",
        "java\tscr\nipt:x": "javascript",
        "jav ascript:x": None,  # a space inside: a relative URL
        "../refund.md#step-2": None,
        "https://example.com": "https",
        "x:y": "x",
        "1x:y": None,
    }
    assert {url: safe_html.url_scheme(url) for url in cases} == cases


# -- a built site -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    tree = Tree(tmp_path_factory.mktemp("built") / "library").as_site()
    tree.add_sop(en=ENGLISH.replace("The seller has 72 hours.", "The seller has 72 hours.\n\n" + ORDINARY_MD))
    result = subprocess.run([str(SOP), "build"], cwd=tree.root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return tree


ORDINARY_MD = """\
   | check | step |
   | ---: | --- |
   | Identity | 1 |

   Press <kbd>Ctrl</kbd> + <kbd>F</kbd>.<br>Then <mark>check</mark> it.

   <details><summary>Why</summary>

   Because <abbr title="Business process outsourcing">BPO</abbr> agents ask.

   </details>
"""


def sop_pages(tree: Tree) -> list[str]:
    return [p.relative_to(tree.root / "sops").as_posix() for p in (tree.root / "sops").rglob("*/*.md")]


def test_a_built_site_with_ordinary_sop_html_passes(built: Tree) -> None:
    assert lint(load_library(Project(built.root)), TODAY).errors == 0
    assert check_site(built.root / "site", sop_pages(built), Project(built.root)) == []


def test_every_page_the_generator_renders_carries_the_policy(built: Tree) -> None:
    site = built.root / "site"
    pages = [p for p in site.rglob("*.html") if "diffs" not in p.parts]
    assert len(pages) > 20
    for path in pages:
        metas = LexborHTMLParser(path.read_text(encoding="utf-8")).css("head meta[http-equiv]")
        policies = [m.attributes.get("content") or "" for m in metas]
        assert len(policies) == 1 and csp.unsafe_script_sources(policies[0]) == [], path


def test_a_problem_is_reported_at_the_sop_file_and_line_that_wrote_it(built: Tree, tmp_path: Path) -> None:
    """Pages of the site changed after the build (as if lint had missed what they carry): a finding names
    the SOP file and the line that writes the attribute (the page's own SOP first), or the page when no
    SOP writes it."""
    root = tmp_path / "library"
    shutil.copytree(built.root, root)
    english = root / "sops/appeals/seller-appeal.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nSee onpointerdown in the glossary.\n")
    page = root / "site/es/appeals/seller-appeal/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h2", '<p onpointerdown="x">x</p><h2', 1))
    teams = root / "site/teams/appeals/index.html"
    injected = '<img src="x" onerror="alert(1)"><h1'
    teams.write_text(teams.read_text(encoding="utf-8").replace("<h1", injected, 1))
    found = check_site(root / "site", sop_pages(built), Project(root))
    line = english.read_text(encoding="utf-8").split("\n").index("See onpointerdown in the glossary.") + 1
    assert [(f.path, f.line, f.column, f.rule) for f in found] == [
        ("sops/appeals/seller-appeal.md", line, 5, "published-html"),
        ("teams/appeals/index.html", 0, 0, "published-html"),
    ]
    text = report(found)
    assert "<p onpointerdown=…> runs code (in the built page es/appeals/seller-appeal/index.html)" in text
    assert "<img onerror=…> runs code (in the built page teams/appeals/index.html)" in text


# -- attribute lists ----------------------------------------------------------------------------------------
def rendered(body: str, english_inside_markdown: bool = False) -> str:
    markdown = parts_markdown(publish(body, None, lambda href: href, escape_markdown))
    if english_inside_markdown:
        markdown = f'<div lang="en" markdown>\n\n{markdown}\n\n</div>'
    return render_page(markdown)


@pytest.mark.parametrize("inside", [False, True], ids=["page", "english-inside-markdown"])
def test_an_attribute_list_gives_a_heading_its_anchor_and_class_only(inside: bool) -> None:
    html = rendered("### Tier 2 escalation {#tier-2 .fatal}\n\nText.", inside)
    heading = LexborHTMLParser(html).css_first("h3")
    assert heading is not None
    assert (heading.attributes.get("id"), heading.attributes.get("class")) == ("tier-2", "fatal")


@pytest.mark.parametrize("inside", [False, True], ids=["page", "english-inside-markdown"])
@pytest.mark.parametrize(
    "body",
    [
        "### Scope {: onclick=alert(1) }",
        '### Scope {: href="javascript:alert(1)" }',
        "### Scope {#scope onmouseover=alert(1)}",
        "Some text.\n{: onclick=alert(1) }",
        "- item\n{: onclick=alert(1) }",
        "text\n{: #x .y style=color:red }",
        '[x](https://example.com){: href="javascript:alert(1)" }',
        "![x](x.png){: onerror=alert(1) }",
    ],
)
def test_an_attribute_list_adds_no_other_attribute(body: str, inside: bool) -> None:
    html = rendered(body, inside)
    tree = LexborHTMLParser(html)
    attributes = {name for node in tree.css("*") for name in node.attributes}
    assert attributes <= {"id", "class", "href", "src", "alt", "title", "lang"}, html
    schemes = {safe_html.url_scheme(node.attributes.get("href") or "") for node in tree.css("[href]")}
    assert schemes <= {None, "https"}
    assert problems(page(html)) == []


def test_the_sample_site_passes_the_published_check(built_site: Path) -> None:
    library = load_library(Project(REPO))
    pages = [sop.path.as_posix().removeprefix("sops/") for sop in library.sops]
    assert check_site(built_site, pages, Project(REPO)) == []


def test_every_page_made_apart_carries_its_policy(built_site: Path) -> None:
    """The diff pages and the scorecard pages are written by the library, not the generator: no script."""
    made_apart = {
        csp.DIFF_PAGE_POLICY: sorted((built_site / "diffs").rglob("*.html")),
        csp.PRINTED_PAGE_POLICY: sorted(built_site.rglob("scorecard/index.html")),
    }
    for policy, pages in made_apart.items():
        assert pages, policy
        assert "script-src" not in policy and "default-src 'none'" in policy
        for path in pages:
            meta = LexborHTMLParser(path.read_text(encoding="utf-8")).css_first("head meta[http-equiv]")
            assert meta is not None and meta.attributes.get("content") == policy, path


# -- front-matter text in the other doors -------------------------------------------------------------------
def test_text_in_a_markdown_line_shows_as_written_on_github() -> None:
    """Titles and summaries in reports, pull-request comments, reminder issues and llms.txt: every payload,
    rendered by GitHub's own Markdown (cmark-gfm), is the text as written (but where GitHub links a bare
    URL, which shows the escapes after it as written), with no element of its own but those links."""
    for payload in all_payloads():
        text = " ".join(payload.text.split())
        line = f"- **SOP-CS-001** {markdown_inline(text)}"
        rendered = cmark.to_html(line, cmark.UNSAFE, dialect.EXTENSIONS)  # raw HTML kept, if any starts
        item = LexborHTMLParser(rendered).css_first("li")
        assert item is not None
        shown = html.unescape(item.text(deep=True).replace("\\", ""))
        assert shown == html.unescape(f"SOP-CS-001 {text}".strip().replace("\\", "")), payload.name
        elements = {node.tag for node in item.traverse(include_text=False)} - {"li", "strong"}
        assert elements <= {"a"}, (payload.name, rendered)
        links = [node.attributes.get("href") or "" for node in item.css("a")]
        assert {safe_html.url_scheme(href) for href in links} <= {"http", "https", "mailto"}, payload.name


def test_sop_build_stops_before_publishing_a_page_that_could_run_script(built: Tree, tmp_path: Path) -> None:
    """What no SOP wrote can still reach every page: Material prints mkdocs.yml's `copyright` as HTML.
    The build checks what it wrote, names the page, and leaves the site that was there as it was; a
    rebuild after the fix checks the pages it writes again."""
    root = tmp_path / "library"
    shutil.copytree(built.root, root)
    before = (root / "site/index.html").read_bytes()
    config = root / "mkdocs.yml"
    fine = config.read_text(encoding="utf-8")
    config.write_text(fine + '\ncopyright: <img src="x" onerror="alert(1)">\n', encoding="utf-8")
    result = subprocess.run([str(SOP), "build"], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "the built site holds what must not be published" in result.stderr
    assert "<img onerror=…> runs code (in the built page appeals/seller-appeal/index.html)" in result.stderr
    assert (root / "site/index.html").read_bytes() == before
    config.write_text(fine, encoding="utf-8")
    again = subprocess.run([str(SOP), "build"], cwd=root, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert check_site(root / "site", sop_pages(built), Project(root)) == []


def test_a_rebuild_checks_every_page_written_since_it_started_and_only_those(
    built: Tree, tmp_path: Path
) -> None:
    """A rebuild checks the HTML files written at or after its start, wherever they are in the site (a
    page, a diff page deep in its folders, a .htm file), and no page older than that."""
    site = tmp_path / "site"
    shutil.copytree(built.root / "site", site)
    old = 1_000_000_000
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    unsafe = '<p><img src="x" onerror="alert(1)"></p>'
    written = ["es/appeals/seller-appeal/index.html", "diffs/appeals/deep/1.0.0/index.html", "x/page.htm"]
    for name in [*written, "unsafe-but-old.html"]:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(unsafe, encoding="utf-8")
    os.utime(site / "unsafe-but-old.html", (old, old))
    findings = check_site(site, sop_pages(built), Project(built.root), since=old + 1)
    pages = {finding.message.split("(in the built page ")[1].rstrip(")") for finding in findings}
    assert pages == set(written)
    everything = check_site(site, sop_pages(built), Project(built.root))
    assert len({f.message for f in everything}) == len(written) + 1
