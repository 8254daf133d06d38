"""Security judged on what is published: every page of the built site, read by an HTML5 parser as a
browser reads it, held to the site's own allowlist of elements, attributes and URL schemes.

The parser is lexbor (through selectolax, already the dialect's): a spec-conformant HTML5 parser written in
C, so the check sees the tree a browser builds (unclosed comments, misnested tags, entities) and reads a
3,000-SOP site in seconds. nh3 (ammonia) only returns a cleaned copy, never what it removed or where;
justhtml reports what its sanitiser drops, but in pure Python it takes ten times as long per page.

Two regions of a page: the article (what SOPs and the library's pages put there) is held to what lint
allows in a body (soplib.core.safe_html) and the markup the site adds around it; the rest is the theme's
(Material's header, navigation, search and scripts). Nowhere may an element carry an event handler or a URL
of another scheme than http(s), mailto or tel; a script must be the site's own file, or inline text that
the page's Content-Security-Policy allows by its hash. A problem in an SOP's page is reported at the SOP's
file and, where its text can be found there, its line.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from soplib.core import safe_html
from soplib.core.model import Finding
from soplib.lint.rules import RULES
from soplib.load.project import SOPS_DIR, Project
from soplib.publish import csp
from soplib.publish.urls import page_url

RULE = "published-html"
# The check's code: a rebuild by other code checks every page again (soplib.site.build's fingerprint).
FORMAT = hashlib.sha256(
    b"".join(Path(module).read_bytes() for module in (__file__, safe_html.__file__))
).hexdigest()[:16]
HINT = "an SOP may write what `sop rules` lists under html-unsafe, html-not-allowed and url-unsafe"
_ANY = frozenset({"class", "id", "lang", "dir", "title", "hidden", "role", "tabindex"})
# The site's own controls in an article: the breadcrumb, the reader's "changed since you last read" notice
# and its data, the print line, the Markdown copy's link, the search form of the page not found and the
# filters of What's new (its texts for the script). Inert without the site's scripts, which read them.
SITE_TAGS = frozenset({"nav", "button", "form", "label", "input", "select", "option"})
WHATSNEW_TEXTS = ("visit", "first", "window", "empty", "read", "diff", "upcoming")
# What the site puts in an article around an SOP's body: its header, banners, metadata, history, tables of
# the library's pages, permanent links, keys (pymdownx.keys), the diff pages' entries.
CONTENT_TAGS = safe_html.MARKDOWN_TAGS | safe_html.SAFE_TAGS | SITE_TAGS | {
    "article", "div", "span", "section", "header", "dl", "dt", "dd",
}  # fmt: skip
CONTENT_ANY = _ANY | {
    "data-pagefind-ignore", "data-pagefind-filter", "data-pagefind-weight", "data-pagefind-meta",
    "data-sop-id",
}  # fmt: skip
CONTENT_ATTRIBUTES = {
    **safe_html.ATTRIBUTES,
    "a": frozenset({"href", "title", "hreflang", "rel", "type"}),
    "th": frozenset({"align", "style", "colspan", "rowspan"}),
    "td": frozenset({"align", "style", "colspan", "rowspan"}),
    "nav": frozenset({"aria-label"}),
    "li": safe_html.ATTRIBUTES.get("li", frozenset()) | {"aria-current", "data-version"},
    "p": safe_html.ATTRIBUTES.get("p", frozenset()) | {"aria-live"},
    "span": safe_html.ATTRIBUTES.get("span", frozenset()) | {"data-template"},
    "div": safe_html.ATTRIBUTES.get("div", frozenset())
    | {"data-sop-version", "data-source", "data-first-days"}
    | {f"data-text-{name}" for name in WHATSNEW_TEXTS},
    "button": frozenset({"type"}),
    "form": frozenset({"data-root", "data-elsewhere"}),
    "label": frozenset({"for"}),
    "input": safe_html.ATTRIBUTES.get("input", frozenset()) | {"type", "name", "autocomplete"},
    "select": frozenset({"name"}),
    "option": frozenset({"value"}),
}
# Material's page around the article, and what only the head holds.
THEME_TAGS = CONTENT_TAGS | {
    "html", "head", "body", "nav", "header", "footer", "main", "aside", "form", "input", "label", "button",
    "svg", "path", "script",
}  # fmt: skip
HEAD_TAGS = frozenset({"meta", "link", "title", "style", "script"})
THEME_ANY = CONTENT_ANY | {"aria-label", "aria-hidden", "aria-expanded", "aria-controls", "aria-labelledby"}
INPUT = {"type", "name", "placeholder", "autocomplete", "autocapitalize", "autocorrect", "spellcheck"}
THEME_ATTRIBUTES = {
    **CONTENT_ATTRIBUTES,
    "a": frozenset({"href", "title", "hreflang", "rel", "target", "aria-label"}),
    "body": frozenset({"data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"}),
    "meta": frozenset({"charset", "name", "content", "http-equiv"}),
    "link": frozenset({"rel", "href", "hreflang", "crossorigin", "type", "sizes", "media"}),
    "script": frozenset({"src", "type"}),
    "form": frozenset({"name"}),
    "input": frozenset(INPUT | {"required"}),
    "label": frozenset({"for"}),
    "button": frozenset({"type"}),
    "svg": frozenset({"viewBox", "viewbox", "xmlns", "width", "height"}),
    "path": frozenset({"d"}),
}
LINK_RELATIONS = frozenset({"alternate", "icon", "canonical", "prev", "next", "stylesheet", "preconnect"})
_TEXT_ALIGN = re.compile(r"^text-align: (?:left|right|center);?$")


@dataclass(frozen=True)
class Problem:
    """Something a page must not carry, and how its source may write it (to find the line)."""

    message: str
    needles: tuple[str, ...] = ()


# -- one page ---------------------------------------------------------------------------------------------
def check_page(html: str) -> list[Problem]:
    """What the page carries outside the allowlist, in document order (the article first)."""
    tree = LexborHTMLParser(html)
    policy = _policy(tree)
    problems: list[Problem] = []
    checked: set[int] = set()
    for article in tree.css("article"):
        for node in article.traverse(include_text=False):
            if node.mem_id not in checked:
                checked.add(node.mem_id)
                problems += _content(node)
    head = tree.head
    in_head = {node.mem_id for node in head.traverse(include_text=False)} if head is not None else set()
    root = tree.root
    for node in root.traverse(include_text=False) if root is not None else ():
        if node.mem_id not in checked:
            problems += _theme(node, node.mem_id in in_head, policy)
    return problems


def _policy(tree: LexborHTMLParser) -> str | None:
    """The page's Content-Security-Policy, from the <meta http-equiv> in its head."""
    for meta in tree.css("head meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").lower() == "content-security-policy":
            return meta.attributes.get("content") or ""
    return None


def _content(node: LexborNode) -> list[Problem]:
    tag = node.tag or ""
    if tag not in CONTENT_TAGS:
        return [Problem(f"<{tag}> is not allowed in a page's content", (f"<{tag}",))]
    found = []
    for attribute, value in node.attributes.items():
        allowed = attribute in CONTENT_ANY or attribute in CONTENT_ATTRIBUTES.get(tag, ())
        found += _attribute(tag, attribute, value or "", allowed)
        if attribute == "id" and not safe_html.anchor_allowed(value or ""):
            found.append(Problem(f'id="{value}" is one of the theme\'s', (f"#{value}", f"{value}")))
        if attribute == "data-root" and _elsewhere(value or ""):
            found.append(Problem(f'<{tag} data-root="{value}"> leads off the site', (f"{value}",)))
    kind = (node.attributes.get("type") or "text").lower() if tag == "input" else ""
    if kind and kind not in ("checkbox", "search"):
        found.append(Problem(f'<input type="{kind}"> takes input', ("<input",)))
    return found


def _theme(node: LexborNode, in_head: bool, policy: str | None) -> list[Problem]:
    tag = node.tag or ""
    if (tag not in THEME_TAGS and not (in_head and tag in HEAD_TAGS)) or (tag == "style" and not in_head):
        return [Problem(f"<{tag}> is not allowed {'in the head' if in_head else 'on a page'}", (f"<{tag}",))]
    attributes = node.attributes
    found = []
    for attribute, value in attributes.items():
        allowed = attribute in THEME_ANY or attribute in THEME_ATTRIBUTES.get(tag, ())
        allowed = allowed or (attribute.startswith("data-md-") and tag != "script")
        found += _attribute(tag, attribute, value or "", allowed)
    if tag == "script":
        found += _script(node, attributes, policy)
    elif tag == "meta":
        equiv = (attributes.get("http-equiv") or "").lower()
        if equiv and equiv != "content-security-policy":
            found.append(Problem(f'<meta http-equiv="{equiv}"> is not allowed', ("http-equiv",)))
        elif equiv and csp.unsafe_script_sources(attributes.get("content") or ""):
            unsafe = " ".join(csp.unsafe_script_sources(attributes.get("content") or ""))
            found.append(Problem(f"the page's Content-Security-Policy lets other script run: {unsafe}"))
    elif tag == "link" and not set((attributes.get("rel") or "").lower().split()) <= LINK_RELATIONS:
        found.append(Problem(f'<link rel="{attributes.get("rel")}"> is not allowed', ("<link",)))
    return found


def _attribute(tag: str, attribute: str, value: str, allowed: bool) -> list[Problem]:
    if safe_html.event_handler(attribute):
        return [Problem(f"<{tag} {attribute}=…> runs code", (attribute,))]
    if attribute in safe_html.URL_ATTRIBUTES and not safe_html.url_allowed(value):
        scheme = safe_html.url_scheme(value)
        return [Problem(f"<{tag} {attribute}=…> is a {scheme}: URL", (value[:30], f"{scheme}:", attribute))]
    if not allowed:
        return [Problem(f"<{tag} {attribute}=…> is not allowed", (attribute,))]
    if attribute == "style" and not _TEXT_ALIGN.match(value):
        return [Problem(f'<{tag} style="{value[:40]}"> is not allowed', ("style",))]
    if attribute == "target" and value != "_blank":
        return [Problem(f'<{tag} target="{value[:40]}"> is not allowed', ("target",))]
    return []


def _elsewhere(url: str) -> bool:
    """A URL that leads off the site: with a scheme, or protocol-relative (as browsers read `/\\host`)."""
    return safe_html.url_scheme(url) is not None or url.lstrip().startswith(("//", "\\", "/\\"))


def _script(node: LexborNode, attributes: dict[str, str | None], policy: str | None) -> list[Problem]:
    """The site's own script: a file of the site (a relative URL), JSON data, or inline text whose hash
    the page's policy lists (the theme's own, hashed when the page was rendered)."""
    source, kind = attributes.get("src"), (attributes.get("type") or "").lower()
    if source is not None:
        foreign = _elsewhere(source)
        problem = Problem(f'<script src="{source[:60]}"> is not the site\'s own', ("<script",))
        return [problem] if foreign else []
    if kind == "application/json":
        return []
    allowed = csp.script_sources(policy) if policy is not None else None
    text = node.text(deep=True)
    if allowed is None or csp.script_hash(text) not in allowed:
        return [Problem(f"an inline <script> the page's policy does not allow: {text[:60]!r}", ("<script",))]
    return []


# -- the site ---------------------------------------------------------------------------------------------
def check_site(
    site_dir: Path,
    sop_pages: Iterable[str],
    project: Project,
    since: float | None = None,
    share: tuple[int, int] = (0, 1),
) -> list[Finding]:
    """Every HTML page of the built site in `site_dir`, checked (a rebuild's: those written at or after
    the time `since`); `sop_pages` are the docs paths of the SOP pages (publish.tree's Tree.sop_pages).
    `share` (i, n): only every n-th page from the i-th, for n processes to check a site together.
    A problem is reported at the SOP file whose text it comes from (its page's SOP first), at the line
    that writes it where one does; else at the page."""
    sources = _sources(sop_pages, project)
    every = list(dict.fromkeys(path for paths in sources.values() for path in paths))
    read = functools.cache(_read)  # only pages with problems read SOP files
    anywhere = functools.cache(lambda needle: _find(needle, every, read))  # a problem repeats on many pages
    findings = []
    index, count = share
    for number, page in enumerate(_pages(site_dir, since)):
        if number % count != index:
            continue
        relative = page.relative_to(site_dir).as_posix()
        problems = check_page(page.read_text(encoding="utf-8", errors="replace"))
        own = sources.get(relative, [])
        for problem in problems:
            needles = [needle.lower() for needle in problem.needles if needle]
            found = (_find(needle, own, read) for needle in needles)
            path, line, column = next((at for at in found if at[0]), None) or next(
                (at for at in map(anywhere, needles) if at[0]), (None, 0, 0)
            )
            if path is None:
                path = next((path for path in own if read(path)), None)
            where = _relative(path, project) if path is not None else relative
            message = f"{problem.message} (in the built page {relative})"
            findings.append(Finding(where, line, column, RULES[RULE].severity, RULE, message, HINT))
    return sorted(set(findings))


def report(findings: list[Finding]) -> str:
    """Findings as `sop lint` prints them, each with its hint."""
    lines = []
    for finding in findings:
        where = f"{finding.path}:{finding.line}:{finding.column}"
        lines.append(f"{where}: error {finding.rule} {finding.message}")
        lines.append(f"    hint: {finding.hint}")
    return "\n".join(lines)


def _pages(site_dir: Path, since: float | None) -> list[Path]:
    """The HTML files of the site (written at or after `since`), in the same order for every process that
    shares the check: read with scandir, which tells files from folders without a stat of each (a site of
    28,000 files in 0.2 s; os.walk took 0.6)."""
    found, folders = [], [str(site_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.name.endswith((".html", ".htm")) and (
                    since is None or entry.stat().st_mtime >= since
                ):
                    found.append(entry.path)
    return [Path(path) for path in sorted(found)]


def _sources(sop_pages: Iterable[str], project: Project) -> dict[str, list[Path]]:
    """The built page of each SOP page (relative to the site), and the files its text comes from: the
    language's own file first, then the English one (whose fields and, untranslated, body it shows)."""
    source, found = project.source_language, {}
    for docs_path in sop_pages:
        folder, name = posixpath.split(docs_path)
        stem, _, lang = name.removesuffix(".md").partition(".")
        files = [project.sops_dir / docs_path, project.sops_dir / folder / f"{stem}.md"]
        found[page_url(docs_path, lang or source, source) + "index.html"] = list(dict.fromkeys(files))
    return found


def _find(needle: str, files: list[Path], read: Callable[[Path], str]) -> tuple[Path | None, int, int]:
    """The first file, line and column that write `needle` (lower case; files are read lower-cased)."""
    for path in files:
        text = read(path)
        at = text.find(needle)
        if at >= 0:
            return path, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return None, 0, 0


def _relative(path: Path, project: Project) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return f"{SOPS_DIR}/{path.name}"


def _read(path: Path) -> str:
    """A source file in lower case (needles are matched in any case)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return ""
