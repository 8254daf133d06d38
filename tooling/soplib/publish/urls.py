"""Where each page of the site is, per language: the one place that maps a docs path to a URL.

The site uses directory URLs (MkDocs' `use_directory_urls`, mkdocs-static-i18n's suffix structure): the
page of `appeals/seller-appeal.es.md` is `es/appeals/seller-appeal/`; the source language is at the root.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import quote

from soplib.load.library import split_name
from soplib.load.project import SOPS_DIR

if TYPE_CHECKING:
    from soplib.core.state import SopState


def page_url(docs_path: str, lang: str, source: str) -> str:
    """The URL (relative to the site root) of the page made from `docs_path`, in `lang`."""
    folder, name = posixpath.split(docs_path)
    slug, _ = split_name(name, source)
    path = folder if slug == "index" else posixpath.join(folder, slug)
    prefix = "" if lang == source else f"{lang}/"
    return prefix + (f"{path}/" if path else "")


def sop_url(state: SopState, lang: str, source: str) -> str:
    """The URL (relative to the site root) of the page of the SOP `state` in `lang`."""
    return page_url(state.english.path.as_posix().removeprefix(f"{SOPS_DIR}/"), lang, source)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page URL to another site URL (a page, ending in /, or a file)."""
    target = relative_path(to_url.rstrip("/") or ".", from_url.rstrip("/") or ".")
    return target + "/" if to_url.endswith("/") or not to_url else target


def relative_path(target: str, start: str) -> str:
    """posixpath.relpath for two paths relative to the same root, without asking the operating system
    for the working folder (a site build makes a hundred thousand links)."""
    to = [part for part in posixpath.normpath(target).split("/") if part != "."]
    base = [part for part in posixpath.normpath(start).split("/") if part != "."]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def resolve_link(href: str, docs_path: str, lang: str, source: str, pages: set[str]) -> str:
    """Where a link written in the page made from `docs_path` goes on the site: a Markdown file becomes its
    page in the reader's language, an attachment its copy at the site root; other links are left as written.
    `pages` holds the docs paths (under the docs folder) of the English pages."""
    if not href or href.startswith(("#", "/", "//")) or ":" in href.split("/", 1)[0]:
        return href
    target, hash_mark, anchor = href.partition("#")
    here = page_url(docs_path, lang, source)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(docs_path), target))
    if resolved.startswith(".."):
        return href  # outside the docs: lint reports it
    if resolved.endswith(".md"):
        folder, name = posixpath.split(resolved)
        english = posixpath.join(folder, f"{split_name(name, source)[0]}.md")
        if english not in pages:
            return href
        url = relative_url(here, page_url(english, lang, source))
    else:
        url = relative_url(here, quote(resolved))
    return url + hash_mark + anchor
