"""What the site publishes for programs and AI assistants, per language: a Markdown copy of every SOP page
beside its HTML (`<page>/index.md`: the page's metadata as front matter, what its banners say as notes, the
body as written with its links pointed at the site), `llms.txt` (llmstxt.org: the language's SOPs by team,
each linked to its copy with a summary of whole sentences) and `llms-full.txt` (every copy, in one file).

Every fact comes from the SOP's catalog.json entry (soplib.publish.catalog), and the document from
core.markdown_copy, as `sop mcp` writes it: the three files, the catalog and the assistant agree.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote, urljoin

from soplib.core.dialect import Document
from soplib.core.markdown_copy import sentences, sop_markdown, whole_sentences
from soplib.core.state import Lifecycle, SopState, TranslationState
from soplib.load.library import Library
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.catalog import entry
from soplib.publish.markdown import markdown_inline
from soplib.publish.urls import relative_url, resolve_link, sop_url

# The copy's front matter: the fields `sop mcp` gives an SOP first, in its order, then the page's metadata.
FIELDS = (
    *("id", "title", "version", "status", "effective_date", "team", "owner", "url"),
    *("language", "text_language", "translation", "source_version"),
    *("regions", "audience", "kpis", "tags", "scorecard"),
)
SUMMARY_LIMIT = 200  # characters of a summary in llms.txt: as many whole sentences as fit
LONGEST_SENTENCE = 400  # a first sentence longer than SUMMARY_LIMIT is given whole up to this
# A link's destination as written: inline `](dest)` (an image's too) or a reference definition `[x]: dest`.
_DESTINATION = re.compile(r"(\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|[^\s)<>]+)", re.MULTILINE)


def sop_copy(
    project: Project, state: SopState, lang: str, pages: set[str], base: str, successor: SopState | None
) -> tuple[dict[str, Any], str]:
    """One SOP in `lang`: its catalog.json entry and its Markdown copy. `pages` holds the docs paths of the
    English pages (links to others are left as written); `base`: the site's URL (site_base_url) or ""."""
    found = entry(project, state, lang)
    return found, markdown_copy(project, state, lang, found, pages, base, successor)


def assistant_files(
    project: Project, made: list[tuple[SopState, dict[str, Any], str]], lang: str, base: str
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Site path -> text in `lang`: the copy of every SOP page of `made` (each SOP with its entry and copy,
    see sop_copy), llms.txt and llms-full.txt; and the catalog's entries of the published ones (catalog_text
    makes catalog.json of every language's)."""
    listed = _listed(made)
    published = [found for state, found, _ in listed if state.lifecycle.published]
    copies = {found["markdown"]: copy for _, found, copy in listed}
    root = _language_root(project, lang)
    files = dict(copies)
    files[f"{root}llms.txt"] = llms_txt(project, [found for _, found, _ in listed], lang, base)
    files[f"{root}llms-full.txt"] = llms_full(project, lang, list(copies.values()))
    return files, published


def successor_of(library: Library, state: SopState) -> SopState | None:
    return library.state.by_id.get(str(state.english.meta.get("superseded_by")))


def _listed(made: list[tuple[SopState, dict[str, Any], str]]) -> list[tuple[SopState, dict[str, Any], str]]:
    """In force first, then deprecated and retired; by team and id within each (as `made` are)."""
    return [m for m in made if not m[0].lifecycle.inactive] + [m for m in made if m[0].lifecycle.inactive]


def _language_root(project: Project, lang: str) -> str:
    return "" if lang == project.source_language else f"{lang}/"


# -- the Markdown copy of a page ---------------------------------------------------------------------------
def markdown_copy(
    project: Project,
    state: SopState,
    lang: str,
    found: dict[str, Any],
    pages: set[str],
    base: str,
    successor: SopState | None,
) -> str:
    """The page as one Markdown document; URLs are absolute when mkdocs.yml has a site_url, else relative
    (the front matter's to the site root, as in catalog.json; the body's to the copy, as on the page)."""
    source = project.source_language
    here = found["url"]
    fields = {name: found[name] for name in FIELDS}
    fields["url"] = base + here
    if fields["scorecard"]:
        fields["scorecard"] = base + fields["scorecard"]
    shown = state.shown(lang)
    docs_path = shown.path.as_posix().removeprefix(f"{SOPS_DIR}/")

    def link(href: str) -> str:
        resolved = resolve_link(href, docs_path, lang, source, pages)
        return urljoin(base + here, resolved) if base and resolved != href else resolved

    def to_page(url: str) -> str:
        return base + url if base else relative_url(here, url)

    body = site_links(shown.body, shown.document, link)
    return sop_markdown(fields, body, notes(project, state, lang, to_page, successor))


def site_links(body: str, document: Document, link: Callable[[str], str]) -> str:
    """The body as written, each link's destination replaced by `link(destination)`; only destinations the
    dialect reads as links (not text in code) are touched."""
    targets = {found.target for found in document.links}
    lines = body.split("\n")
    first = document.first_line
    for index, line in enumerate(lines):
        if ("](" in line or "]:" in line) and index + first not in document.code_lines:
            lines[index] = _DESTINATION.sub(lambda m: _replace(m, targets, link), line)
    return "\n".join(lines)


def _replace(match: re.Match[str], targets: set[str], link: Callable[[str], str]) -> str:
    lead, written = match.group(1), match.group(2)
    bare = written[1:-1] if written.startswith("<") else written
    if bare not in targets and quote(unquote(bare), safe="/#:?=&%@!$'()*+,;~") not in targets:
        return match.group(0)
    resolved = link(bare)
    return lead + (f"<{resolved}>" if written.startswith("<") else resolved)


def notes(
    project: Project, state: SopState, lang: str, to_page: Callable[[str], str], successor: SopState | None
) -> list[str]:
    """What the page's banners tell its reader, as sentences: lifecycle, then the translation's state."""
    t, source, found = project.text, project.source_language, []
    if state.lifecycle is Lifecycle.DRAFT:
        found.append(t("draft_body", lang))
    if state.lifecycle is Lifecycle.DEPRECATED and successor is not None:
        found.append(
            t(
                "deprecated_body",
                lang,
                date=state.effective,
                successor_id=successor.sop_id,
                successor_title=successor.title(lang),
                successor_url=to_page(sop_url(successor, lang, source)),
            )
        )
    elif state.lifecycle is Lifecycle.RETIRED:
        found.append(t("retired_body", lang, date=state.effective))
    translation = state.translations.get(lang)
    if translation is None:
        return found
    if translation.file is None:
        found.append(t("missing_body", lang, language=project.language_names.get(lang, lang)))
    elif translation.state is TranslationState.STALE:
        english = to_page(sop_url(state, source, source))
        lacking = "; ".join(
            f"{change.version} ({change.date}): {state.summary(change, lang)[0]}"
            for change in reversed(translation.lacks)
        )
        stale = t(
            "stale_body", lang, source=translation.source_version, current=state.version, english_url=english
        )
        found.append(f"{stale} {lacking}")
    elif translation.state is TranslationState.WORDING:
        found.append(t("wording_body", lang, source=translation.source_version, current=state.version))
    return found


# -- llms.txt and llms-full.txt ----------------------------------------------------------------------------
def llms_txt(project: Project, entries: list[dict[str, Any]], lang: str, base: str = "") -> str:
    """llmstxt.org's format: the site's name, what it holds, then the SOPs by team (in force), the deprecated
    and retired ones, and the other files under "Optional" (the format's word, the same in every language)."""
    root = _language_root(project, lang)

    def url(path: str) -> str:  # a path from the site root, as a link from this file
        return base + path if base else posixpath.relpath(path, root or ".")

    lines = [f"# {project.text('site_name', lang)}", "", f"> {project.text('llms_intro', lang)}", ""]
    lines += [project.text("llms_details", lang), ""]
    active = [e for e in entries if e["status"] not in ("deprecated", "retired")]
    for team in dict.fromkeys(e["team"] for e in active):
        lines += [f"## {project.label('team', team, lang)}", ""]
        lines += [_item(project, e, url, lang) for e in active if e["team"] == team] + [""]
    inactive = [e for e in entries if e not in active]
    if inactive:
        lines += (
            [f"## {project.text('inactive_heading', lang)}", ""]
            + [_item(project, e, url, lang) for e in inactive]
            + [""]
        )
    lines += ["## Optional", ""]
    lines.append(f"- [llms-full.txt]({url(root + 'llms-full.txt')}): {project.text('llms_full_line', lang)}")
    lines.append(f"- [catalog.json]({url('catalog.json')}): {project.text('llms_catalog_line', lang)}")
    for other in project.languages:
        if other != lang:
            name = project.language_names.get(other, other)
            lines.append(f"- [llms.txt ({name})]({url(_language_root(project, other) + 'llms.txt')})")
    return "\n".join(lines) + "\n"


def _item(project: Project, found: dict[str, Any], url: Callable[[str], str], lang: str) -> str:
    title = markdown_inline(f"{found['id']}: {found['title']}")  # an SOP's words, never markup or a link
    if found["text_language"] != lang:
        title += f" ({project.language_names.get(found['text_language'], found['text_language'])})"
    summary = markdown_inline(short_summary(found["summary"]))
    return f"- [{title}]({url(found['markdown'])})" + (f": {summary}" if summary else "")


def short_summary(text: str) -> str:
    """Whole sentences: as many as fit in SUMMARY_LIMIT characters, or the first one alone when it is longer
    (cut after a word only beyond LONGEST_SENTENCE)."""
    found = sentences(text)
    if found and len(found[0]) > SUMMARY_LIMIT:
        return whole_sentences(found[0], LONGEST_SENTENCE)
    return whole_sentences(text, SUMMARY_LIMIT)


def llms_full(project: Project, lang: str, copies: list[str]) -> str:
    """Every SOP's Markdown copy in one file, in the order of llms.txt."""
    head = f"# {project.text('site_name', lang)}\n\n> {project.text('llms_intro', lang)}\n"
    return "\n".join([head, *copies])
