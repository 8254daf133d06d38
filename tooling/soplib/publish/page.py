"""An SOP page in one language, as plain Markdown plus the HTML the dialect allows: its title, the version
in force, the banners a reader must see, the body, the metadata and the change history. Any Markdown site
generator renders it; nothing here knows which one."""

from __future__ import annotations

import html
from collections.abc import Callable

from soplib import changelog
from soplib.core.changes import Change
from soplib.core.state import Lifecycle, SopState, TranslationState
from soplib.core.versions import parse_version
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.body import body_markdown
from soplib.publish.markdown import front_matter, in_language, markdown_text
from soplib.publish.reader import reader_marker
from soplib.publish.urls import page_url, relative_url

FACET_FIELDS = {"region": "regions", "audience": "audience", "kpi": "kpis"}
# a translation's states that search results show (a current one, or one behind only in wording, is followed)
SHOWN_STATES = (TranslationState.STALE, TranslationState.MISSING)
DiffPage = Callable[[str, str], str | None]  # (SOP id, version) -> its diff page's URL from the site root


def docs_path(state: SopState, lang: str, source: str) -> str:
    """Where the page of `state` in `lang` is written in the docs tree (mkdocs-static-i18n's suffixes)."""
    english = state.english.path.as_posix().removeprefix(f"{SOPS_DIR}/")
    return english if lang == source else english.removesuffix(".md") + f".{lang}.md"


def sop_page(
    project: Project,
    state: SopState,
    lang: str,
    pages: set[str],
    successor: SopState | None,
    changes: list[changelog.Change],
    diff_page: DiffPage,
) -> str:
    """The page; `pages` holds the docs paths of the English pages (links to others are left as written),
    `changes` are the SOP's versions with their summaries in `lang` and the commits that published them."""
    shown = state.shown(lang)
    title = state.title(lang)
    here = _url(project, state, lang)
    parts = [
        front_matter(title, summary_line(state, lang)),
        search_markers(project, state, lang),  # before the title: no search result's excerpt comes from it
        breadcrumb(project, state, lang),
        title_heading(state, lang),
        version_line(project, state, lang),
        print_line(project, lang),
        reader_marker(project, state, lang, changes, diff_page),  # "changed since you last read", links
        banners(
            project, state, lang, relative_url(here, _url(project, state, project.source_language)), successor
        ),
        _text_language(body_markdown(project, shown, lang, pages), shown.lang, lang),
        metadata(project, state, lang),
        history(project, state, lang, changes, diff_page),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def summary_line(state: SopState, lang: str) -> str:
    """The page's description: its id and what it is for, in the reader's language."""
    return f"{state.sop_id}: {state.title(lang)}"


def breadcrumb(project: Project, state: SopState, lang: str) -> str:
    """Where the SOP is in the site: the teams, its team, the SOP."""
    e, here, source = html.escape, _url(project, state, lang), project.source_language
    steps = [
        (project.text("teams_title", lang), page_url("teams.md", lang, source)),
        (project.label("team", state.team, lang), page_url(f"teams/{state.team}.md", lang, source)),
    ]
    links = "".join(f'<li><a href="{e(relative_url(here, url))}">{e(name)}</a></li>' for name, url in steps)
    return (
        f'<nav class="sop-breadcrumb" aria-label="{e(project.text("breadcrumb_label", lang))}"'
        f' data-pagefind-ignore><ol>{links}<li aria-current="page">{e(state.sop_id)}</li></ol></nav>'
    )


def title_heading(state: SopState, lang: str) -> str:
    """The page's one <h1>: the SOP's id and title (English marked as such on another language's page)."""
    title, text_lang = html.escape(state.title(lang)), state.shown(lang).lang
    if text_lang != lang:
        title = f'<span lang="{html.escape(text_lang)}">{title}</span>'
    # no permanent link to the page itself
    return f'<h1 id="sop-title"><span class="sop-title__id">{html.escape(state.sop_id)}</span> {title}</h1>'


def print_line(project: Project, lang: str) -> str:
    """Printed only: the page's address and the day it was printed (assets/sop/page.js fills both in)."""
    template = html.escape(project.ui["print_on"][lang])
    return (
        '<p class="sop-print" data-pagefind-ignore><span class="sop-print__url"></span> · '
        f'<span class="sop-print__date" data-template="{template}"></span></p>'
    )


def _text_language(body: str, text_lang: str, lang: str) -> str:
    """English shown on a page of another language is marked as English, for screen readers."""
    return (
        body if text_lang == lang else f'<div lang="{html.escape(text_lang)}" markdown>\n\n{body}\n\n</div>'
    )


def search_markers(project: Project, state: SopState, lang: str) -> str:
    """What search shows of the page, and filters by: its result fields and whether it is in force, and
    the id, title, tags and KPIs with extra weight, so that they rank first. What is indexed is the page's
    content less the parts marked data-pagefind-ignore (soplib.search chooses the pages and the content)."""
    fields = {
        "id": state.sop_id,
        "title": state.title(lang),
        "status": project.label("status", state.lifecycle.value, lang),
        "version": state.version,
    }
    hidden = "".join(
        f'<span data-pagefind-meta="{key}">{html.escape(value)}</span>' for key, value in fields.items()
    )
    filters = {"state": "inactive" if state.lifecycle.inactive else "active", "text": state.shown(lang).lang}
    translation = state.translations.get(lang)
    if translation is not None and translation.state in SHOWN_STATES:
        filters["translation"] = translation.state.value
    hidden += "".join(f'<span data-pagefind-filter="{key}">{value}</span>' for key, value in filters.items())
    weighted = " ".join(keywords(project, state, lang))
    return (
        f'<div hidden data-pagefind-ignore="index">{hidden}</div>\n'
        f'<p hidden data-pagefind-weight="10">{html.escape(weighted)}</p>'
    )


def keywords(project: Project, state: SopState, lang: str) -> list[str]:
    """What search weighs most: the id, the title, the tags, the KPIs, and the SOP's aliases in `lang`
    (words readers search it by that its text lacks: its terms in a language it is not translated to)."""
    meta = state.english.meta
    labels = [project.label("kpi", str(k), lang) for k in meta.get("kpis", []) or []]
    aliases = (meta.get("aliases") or {}).get(lang) or []
    return [
        state.sop_id,
        state.title(lang),
        *map(str, meta.get("tags", []) or []),
        *labels,
        *map(str, aliases),
    ]


def version_line(project: Project, state: SopState, lang: str) -> str:
    """One line under the title: the version in force and since when, which one a translation is, and the
    SOP's status unless it is simply in force."""
    t, e = project.text, html.escape
    parts = {"number": f"{e(t('meta_version', lang))} <strong>{e(state.version)}</strong>"}
    if state.effective:
        parts["effective"] = f"{e(t('meta_effective', lang))} {e(state.effective)}"
    translation = state.translations.get(lang)
    if translation and translation.file and translation.source_version != state.version:
        parts["translation"] = f"{e(t('meta_translation_of', lang))} {e(str(translation.source_version))}"
    if state.lifecycle is not Lifecycle.ACTIVE:
        parts["status"] = f"<strong>{e(project.label('status', state.lifecycle.value, lang))}</strong>"
    spans = " · ".join(f'<span class="sop-version__{key}">{value}</span>' for key, value in parts.items())
    return f'<p class="sop-version" data-pagefind-ignore>{spans}</p>'


def banners(
    project: Project, state: SopState, lang: str, english_url: str, successor: SopState | None
) -> str:
    """Admonitions above the SOP: draft, deprecated or retired, a translation behind English or only
    reworded since, English shown for lack of a translation."""
    t, blocks = project.text, []
    effective = state.effective
    if state.lifecycle is Lifecycle.DRAFT:
        blocks.append(_admonition("warning sop-banner--draft", t("draft_title", lang), t("draft_body", lang)))
    if state.lifecycle is Lifecycle.DEPRECATED and successor is not None:
        link = relative_url(_url(project, state, lang), _url(project, successor, lang))
        body = t(
            "deprecated_body",
            lang,
            date=effective,
            successor_id=successor.sop_id,
            successor_title=in_language(
                markdown_text(successor.title(lang)), successor.shown(lang).lang, lang
            ),
            successor_url=link,
        )
        blocks.append(_admonition("danger sop-banner--deprecated", t("deprecated_title", lang), body))
    elif state.lifecycle is Lifecycle.RETIRED:
        body = t("retired_body", lang, date=effective)
        blocks.append(_admonition("danger sop-banner--retired", t("retired_title", lang), body))
    blocks += _translation_banner(project, state, lang, english_url)
    return "\n\n".join(blocks)


def _translation_banner(project: Project, state: SopState, lang: str, english_url: str) -> list[str]:
    t, translation = project.text, state.translations.get(lang)
    if translation is None:
        return []
    if translation.file is None:
        name = project.language_names.get(lang, lang)
        body = t("missing_body", lang, language=name)
        return [_admonition("info sop-banner--missing", t("missing_title", lang), body)]
    source = translation.source_version
    if translation.state is TranslationState.STALE:
        body = t("stale_body", lang, source=source, current=state.version, english_url=english_url)
        body += "\n\n" + "\n".join(
            _lacking(project, state, change, lang) for change in reversed(translation.lacks)
        )
        return [_admonition("warning sop-banner--stale", t("stale_title", lang), body)]
    if translation.state is TranslationState.WORDING:
        body = t("wording_body", lang, source=source, current=state.version)
        return [_admonition("note sop-banner--wording", t("wording_title", lang), body)]
    return []


def _url(project: Project, state: SopState, lang: str) -> str:
    source = project.source_language
    return page_url(docs_path(state, source, source), lang, source)


def _lacking(project: Project, state: SopState, change: Change, lang: str) -> str:
    summary, translated = state.summary(change, lang)
    note = "" if translated else project.text("changes_untranslated", lang)
    text = (
        markdown_text(summary)
        if translated
        else in_language(markdown_text(summary), state.english.lang, lang)
    )
    return f"- **{change.version}** ({change.date}): {text}{note}"


def _admonition(kind: str, title: str, body: str) -> str:
    indented = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
    return f'!!! {kind} "{html.escape(title)}"\n\n{indented}\n'


def metadata(project: Project, state: SopState, lang: str) -> str:
    """Everything else about the SOP, folded away: its values link to their team and browse pages."""
    t, meta = project.text, state.english.meta
    here = _url(project, state, lang)

    def linked(kind: str, value: str, target: str) -> str:
        url = relative_url(here, page_url(target, lang, project.source_language))
        return f'<a href="{html.escape(url)}">{html.escape(project.label(kind, value, lang))}</a>'

    def values(kind: str, field: str) -> str:
        return ", ".join(
            linked(kind, str(v), f"browse/{kind}-{str(v).lower()}.md") for v in meta.get(field) or []
        )

    review = "" if state.lifecycle.inactive else html.escape(str(meta.get("review_by")))
    rows = [
        ("meta_id", html.escape(state.sop_id)),
        ("meta_team", linked("team", state.team, f"teams/{state.team}.md")),
        ("meta_owner", html.escape(str(meta.get("owner")))),
        ("meta_review_by", review),
        ("meta_regions", values("region", "regions")),
        ("meta_audience", values("audience", "audience")),
        ("meta_kpis", values("kpi", "kpis")),
    ]
    items = "".join(
        f'<div class="sop-meta__item sop-meta__item--{key.removeprefix("meta_").replace("_", "-")}">'
        f"<dt>{html.escape(t(key, lang))}</dt><dd>{value}</dd></div>"
        for key, value in rows
        if value
    )
    summary = html.escape(t("meta_summary", lang))
    return (
        f'<details class="sop-meta sop-meta--{state.lifecycle.value}"'
        f' data-sop-id="{html.escape(state.sop_id)}" data-pagefind-ignore>'
        f"<summary>{summary}</summary><dl>{items}</dl></details>"
    )


def history(
    project: Project, state: SopState, lang: str, changes: list[changelog.Change], diff_page: DiffPage
) -> str:
    """Each version: when it took effect, what changed (linked to its diff), who published it. The table is
    HTML: it grows with the history, and as Markdown it would cost a renderer more than the whole page."""
    t, e, here = project.text, html.escape, _url(project, state, lang)
    head = ("history_version", "history_date", "history_type", "history_summary", "history_published")
    rows = []
    committed = [parse_version(c.version) or (0, 0, 0) for c in changes if c.commit]
    for change in changes:
        url = diff_page(state.sop_id, change.version)
        version = (
            f'<a href="{e(relative_url(here, url))}">{e(change.version)}</a>' if url else e(change.version)
        )
        summary = e(change.summary)
        if not change.translated:
            summary = (
                f'<span lang="{state.english.lang}">{summary}</span>{e(t("changes_untranslated", lang))}'
            )
        cells = (version, e(change.date), e(project.label("change_type", change.type, lang)), summary)
        published = e(_published(project, change, committed, lang))
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in (*cells, published)) + "</tr>")
    return (
        f"## {markdown_text(t('history_heading', lang))} {{: #sop-history }}\n\n"
        '<div class="sop-history" data-pagefind-ignore><table>\n<thead><tr>'
        + "".join(f"<th>{e(t(key, lang))}</th>" for key in head)
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )


def _published(
    project: Project, change: changelog.Change, committed: list[tuple[int, int, int]], lang: str
) -> str:
    """Who published the version and when; or that it is older than the library's git history."""
    if change.commit:
        return f"{change.commit.day} · {change.commit.author}"
    older = committed and (parse_version(change.version) or (0, 0, 0)) < min(committed)
    return project.text("diff_before_git", lang) if older else ""
