"""What the site shows, as Markdown: the SOP header and banners, index pages, recent changes.

Pure functions over library records; the MkDocs plugin only decides where the results go. Links to SOPs
name the English file, and mkdocs-static-i18n points them at the reader's language.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from soplib import changelog
from soplib.core.changes import Change
from soplib.core.model import Sop
from soplib.core.state import Lifecycle, SopState, TranslationState
from soplib.core.versions import parse_version
from soplib.load.library import Library
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.body import markdown_text
from soplib.repo.history import History

FACETS = ("region", "audience", "kpi")
DIFFS = "diffs"  # the folder of the generated diff pages
FACET_FIELDS = {"region": "regions", "audience": "audience", "kpi": "kpis"}
INACTIVE = ("deprecated", "retired")


@dataclass(frozen=True)
class Entry:
    """One SOP as the index pages list it, in one language."""

    sop_id: str
    title: str
    version: str
    status: str
    effective: str
    team: str
    link: str  # path of the English file under sops/, e.g. appeals/seller-appeal.md
    meta: dict[str, Any]


def entries(library: Library, lang: str, drafts: bool = False) -> list[Entry]:
    """Every published SOP (drafts too in a preview) with the title in `lang` where translated."""
    result = [
        Entry(
            state.sop_id,
            state.title(lang),
            state.version,
            state.lifecycle.value,
            str(state.effective),
            state.team,
            state.english.path.as_posix().removeprefix(f"{SOPS_DIR}/"),
            state.english.meta,
        )
        for state in library.state.sops
        if state.lifecycle.published or drafts
    ]
    return sorted(result, key=lambda e: e.sop_id)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _relative(from_page: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def sop_table(
    project: Project, items: Iterable[Entry], lang: str, page: str, team_column: bool = False
) -> str:
    t = project.text
    head = [
        t("column_id", lang),
        t("column_title", lang),
        t("column_version", lang),
        t("column_effective", lang),
    ]
    if team_column:
        head.insert(2, t("column_team", lang))
    rows = [f"| {' | '.join(head)} |", "|" + " --- |" * len(head)]
    for e in items:
        cells = [e.sop_id, f"[{_cell(e.title)}]({_relative(page, e.link)})", e.version, e.effective]
        if team_column:
            cells.insert(2, project.label("team", e.team, lang))
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(rows)


def _active_then_inactive(
    project: Project, items: list[Entry], lang: str, page: str, team_column: bool
) -> str:
    active = [e for e in items if e.status not in INACTIVE]
    inactive = [e for e in items if e.status in INACTIVE]
    parts = [sop_table(project, active, lang, page, team_column)] if active else []
    if inactive:
        parts += [
            f"## {project.text('inactive_heading', lang)}",
            sop_table(project, inactive, lang, page, team_column),
        ]
    return "\n\n".join(parts)


def page_front_matter(title: str) -> str:
    return f"---\ntitle: {_yaml_text(title)}\n---\n\n"


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- generated index pages ----------------------------------------------------------------------------
def teams_page(project: Project, items: list[Entry], lang: str) -> str:
    title = project.text("teams_title", lang)
    counts = {
        team: sum(1 for e in items if e.team == team and e.status not in INACTIVE)
        for team in project.allowed_values("team")
    }
    rows = [
        f"| {project.text('column_team', lang)} | {project.text('column_count', lang)} |",
        "| --- | ---: |",
    ]
    rows += [
        f"| [{project.label('team', team, lang)}](teams/{team}.md) | {count} |"
        for team, count in counts.items()
    ]
    return (
        page_front_matter(title)
        + f"# {title}\n\n{project.text('teams_intro', lang)}\n\n"
        + "\n".join(rows)
        + "\n"
    )


def team_page(project: Project, items: list[Entry], team: str, lang: str) -> str:
    page = f"teams/{team}.md"
    title = project.text("team_title", lang, team=project.label("team", team, lang))
    mine = [e for e in items if e.team == team]
    return (
        page_front_matter(title)
        + f"# {title}\n\n"
        + _active_then_inactive(project, mine, lang, page, False)
        + "\n"
    )


def browse_page(project: Project, items: list[Entry], lang: str) -> str:
    title = project.text("browse_title", lang)
    parts = [f"# {title}", project.text("browse_intro", lang)]
    for facet in FACETS:
        parts.append(f"## {project.text(f'browse_{facet}', lang)}")
        lines = []
        for value in project.allowed_values(facet):
            count = sum(
                1 for e in items if value in e.meta.get(FACET_FIELDS[facet], []) and e.status not in INACTIVE
            )
            if count:
                lines.append(
                    f"- [{project.label(facet, value, lang)}](browse/{facet}-{value.lower()}.md) ({count})"
                )
        parts.append("\n".join(lines))
    return page_front_matter(title) + "\n\n".join(parts) + "\n"


def facet_page(project: Project, items: list[Entry], facet: str, value: str, lang: str) -> str:
    page = f"browse/{facet}-{value.lower()}.md"
    title = project.text(f"facet_title_{facet}", lang, value=project.label(facet, value, lang))
    mine = [e for e in items if value in e.meta.get(FACET_FIELDS[facet], [])]
    return (
        page_front_matter(title)
        + f"# {title}\n\n"
        + _active_then_inactive(project, mine, lang, page, True)
        + "\n"
    )


def changes_page(project: Project, library: Library, history: History | None, lang: str, today: date) -> str:
    """Recent changes: the change log of the whole library, in `lang`, each SOP linked to its page."""
    dates = changelog.group(changelog.entries(library, history, lang), project.allowed_values("team"))
    log = changelog.ChangeLog(dates, project, lang, today)
    document = changelog.render_markdown(log, link=lambda sop: sop.path.removeprefix(f"{SOPS_DIR}/"))
    return page_front_matter(project.text("changes_title", lang)) + document.replace(
        f"# {project.text('changelog_title', lang)}", f"# {project.text('changes_title', lang)}", 1
    )


# -- on every SOP page ----------------------------------------------------------------------------------
def sop_header(project: Project, english: Sop, shown: Sop, lang: str) -> str:
    """The metadata block at the top of an SOP page, in the page's language (escaped HTML)."""
    meta = english.meta
    t = project.text

    def labels(kind: str, field: str) -> str:
        return ", ".join(project.label(kind, str(v), lang) for v in meta.get(field, []) or [])

    status = str(meta.get("status"))
    rows = [
        ("meta_id", str(meta.get("id"))),
        ("meta_version", str(meta.get("version"))),
        ("meta_status", project.label("status", status, lang)),
        ("meta_effective", str(meta.get("effective_date"))),
        ("meta_owner", str(meta.get("owner"))),
        ("meta_review_by", str(meta.get("review_by"))),
        ("meta_team", project.label("team", str(meta.get("team")), lang)),
        ("meta_regions", labels("region", "regions")),
        ("meta_audience", labels("audience", "audience")),
        ("meta_kpis", labels("kpi", "kpis")),
    ]
    if shown is not english:
        rows.insert(2, ("meta_translation_of", str(shown.meta.get("source_version"))))
    items = "".join(
        f'<div class="sop-meta__item sop-meta__item--{key.removeprefix("meta_").replace("_", "-")}">'
        f"<dt>{html.escape(t(key, lang))}</dt><dd>{html.escape(value)}</dd></div>"
        for key, value in rows
    )
    attributes = (
        f'class="sop-meta sop-meta--{html.escape(status)}" data-sop-id="{html.escape(str(meta.get("id")))}"'
    )
    return f"<dl {attributes} data-pagefind-ignore>{items}</dl>"


def sop_banners(
    project: Project, state: SopState, lang: str, english_url: str, successor: tuple[str, str, str] | None
) -> str:
    """Admonitions above the SOP: draft, deprecated or retired, a translation behind English or only
    reworded since, English shown for lack of a translation."""
    t, blocks = project.text, []
    effective = state.effective
    if state.lifecycle is Lifecycle.DRAFT:
        blocks.append(_admonition("warning sop-banner--draft", t("draft_title", lang), t("draft_body", lang)))
    if state.lifecycle is Lifecycle.DEPRECATED and successor:
        sid, stitle, surl = successor
        body = t(
            "deprecated_body",
            lang,
            date=effective,
            successor_id=sid,
            successor_title=stitle,
            successor_url=surl,
        )
        blocks.append(_admonition("danger sop-banner--deprecated", t("deprecated_title", lang), body))
    elif state.lifecycle is Lifecycle.RETIRED:
        body = t("retired_body", lang, date=effective)
        blocks.append(_admonition("danger sop-banner--retired", t("retired_title", lang), body))
    translation = state.translations.get(lang)
    if translation is None:
        return "\n\n".join(blocks)
    if translation.file is None:
        name = project.language_names.get(lang, lang)
        blocks.append(
            _admonition(
                "info sop-banner--missing", t("missing_title", lang), t("missing_body", lang, language=name)
            )
        )
    elif translation.state is TranslationState.STALE:
        body = t(
            "stale_body",
            lang,
            source=translation.source_version,
            current=state.version,
            english_url=english_url,
        )
        body += "\n\n" + "\n".join(
            _lacking(project, state, change, lang) for change in reversed(translation.lacks)
        )
        blocks.append(_admonition("warning sop-banner--stale", t("stale_title", lang), body))
    elif translation.state is TranslationState.WORDING:
        body = t("wording_body", lang, source=translation.source_version, current=state.version)
        blocks.append(_admonition("note sop-banner--wording", t("wording_title", lang), body))
    return "\n\n".join(blocks)


def _lacking(project: Project, state: SopState, change: Change, lang: str) -> str:
    summary, translated = state.summary(change, lang)
    note = "" if translated else project.text("changes_untranslated", lang)
    return f"- **{change.version}** ({change.date}): {markdown_text(summary)}{note}"


def _admonition(kind: str, title: str, body: str) -> str:
    indented = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
    return f'!!! {kind} "{title}"\n\n{indented}\n'


def diff_path(key: str, version: str) -> str:
    """Where the diff page of one version of an SOP is, under the docs folder (without .md)."""
    return f"{DIFFS}/{key}/{version}"


def diff_page(project: Project, sop_id: str, version: str, lang: str, fragment: str) -> str:
    title = project.text("diff_page_title", lang, sop_id=sop_id, version=version)
    return page_front_matter(title) + f"# {html.escape(title)}\n\n{fragment}\n"


def history_section(
    project: Project, changes: list[changelog.Change], lang: str, diff_link: Callable[[str], str | None]
) -> str:
    """Each version of the SOP: when it took effect, what changed (linked to its diff), who published it."""
    t = project.text
    rows = [
        f"## {t('history_heading', lang)} {{ #sop-history }}",
        "",
        f"| {t('history_version', lang)} | {t('history_date', lang)} | {t('history_type', lang)} | "
        f"{t('history_summary', lang)} | {t('history_published', lang)} |",
        "| --- | --- | --- | --- | --- |",
    ]
    committed = [parse_version(c.version) or (0, 0, 0) for c in changes if c.commit]
    for change in changes:
        link = diff_link(change.version)
        version = f"[{change.version}]({link})" if link else change.version
        kind = project.label("change_type", change.type, lang)
        before = committed and (parse_version(change.version) or (0, 0, 0)) < min(committed)
        published = (
            f"{change.commit.day} · {markdown_text(change.commit.author)}"
            if change.commit
            else t("diff_before_git", lang)
            if before
            else ""
        )
        note = "" if change.translated else t("changes_untranslated", lang)
        summary = markdown_text(change.summary) + note
        rows.append(f"| {version} | {change.date} | {kind} | {summary} | {published} |")
    return '<div class="sop-history" markdown>\n\n' + "\n".join(rows) + "\n\n</div>"


# -- search ------------------------------------------------------------------------------------------------
def search_wrapper(project: Project, english: Sop, shown: Sop, lang: str) -> tuple[str, str]:
    """Markup around an SOP page's content for Pagefind: what is indexed, its result fields and filters.

    Only SOP pages carry data-pagefind-body, so index and browse pages stay out of the results; the
    header and banners are ignored (they repeat the same words on every page), and the id, title, tags
    and KPIs are indexed with extra weight so that they rank first.
    """
    meta = english.meta
    status = str(meta.get("status"))
    title = str(shown.meta.get("title", meta.get("title")))
    inactive = "inactive" if status in INACTIVE else "active"
    labels = [project.label("kpi", str(k), lang) for k in meta.get("kpis", []) or []]
    # Id queries ("apl 4") are rewritten to the id itself by assets/sop-search.mjs.
    weighted = " ".join([str(meta.get("id")), *map(str, meta.get("tags", []) or []), *labels])
    fields = {
        "id": str(meta.get("id")),
        "title": title,
        "status": project.label("status", status, lang),
        "version": str(meta.get("version")),
    }
    hidden = "".join(
        f'<span data-pagefind-meta="{key}">{html.escape(value)}</span>' for key, value in fields.items()
    )
    before = (
        f'<div data-pagefind-body data-pagefind-filter="state:{inactive}">'
        f'<div hidden data-pagefind-ignore="index">{hidden}</div>'
        f"<h1 hidden>{html.escape(title)}</h1>"
        f'<p hidden data-pagefind-weight="10">{html.escape(weighted)}</p>'
    )
    return before, "</div>"
