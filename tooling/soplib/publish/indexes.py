"""The index pages in one language: SOPs by team, and by region, audience and KPI. In force first;
deprecated and retired ones listed apart."""

from __future__ import annotations

from soplib.core.state import SopState
from soplib.load.project import Project
from soplib.publish.markdown import cell, front_matter, markdown_text, relative
from soplib.publish.page import FACET_FIELDS, docs_path
from soplib.publish.whatsnew import whatsnew_page

FACETS = tuple(FACET_FIELDS)


def suffix(project: Project, lang: str) -> str:
    return "" if lang == project.source_language else f".{lang}"


def index_pages(project: Project, sops: list[SopState], lang: str) -> dict[str, str]:
    """docs path -> Markdown of every index page in `lang`."""
    end = suffix(project, lang)
    found = {
        f"teams{end}.md": teams_page(project, sops, lang),
        f"browse{end}.md": browse_page(project, sops, lang),
        **whatsnew_page(project, lang),  # its data, changes.json, comes with the site's files
    }
    for team in project.allowed_values("team"):
        mine = [s for s in sops if s.team == team]
        title = project.text("team_title", lang, team=project.label("team", team, lang))
        found[f"teams/{team}{end}.md"] = _listing(project, mine, lang, f"teams/{team}.md", title, False)
    for facet in FACETS:
        for value in project.allowed_values(facet):
            mine = [s for s in sops if value in (s.english.meta.get(FACET_FIELDS[facet]) or [])]
            page = f"browse/{facet}-{value.lower()}.md"
            title = project.text(f"facet_title_{facet}", lang, value=project.label(facet, value, lang))
            found[f"browse/{facet}-{value.lower()}{end}.md"] = _listing(
                project, mine, lang, page, title, True
            )
    return found


def _listing(project: Project, mine: list[SopState], lang: str, page: str, title: str, teams: bool) -> str:
    active = [s for s in mine if not s.lifecycle.inactive]
    inactive = [s for s in mine if s.lifecycle.inactive]
    parts = [f"# {markdown_text(title)}"]
    if active:
        parts.append(table(project, active, lang, page, teams))
    if inactive:
        parts += [f"## {project.text('inactive_heading', lang)}", table(project, inactive, lang, page, teams)]
    return front_matter(title) + "\n\n".join(parts) + "\n"


def table(project: Project, sops: list[SopState], lang: str, page: str, teams: bool) -> str:
    t = project.text
    head = [
        t("column_id", lang),
        t("column_title", lang),
        t("column_version", lang),
        t("column_effective", lang),
    ]
    if teams:
        head.insert(2, t("column_team", lang))
    rows = [f"| {' | '.join(head)} |", "|" + " --- |" * len(head)]
    for state in sorted(sops, key=lambda s: s.sop_id):
        link = relative(page, docs_path(state, project.source_language, project.source_language))
        cells = [state.sop_id, f"[{cell(state.title(lang))}]({link})", state.version, str(state.effective)]
        if teams:
            cells.insert(2, project.label("team", state.team, lang))
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(rows)


def teams_page(project: Project, sops: list[SopState], lang: str) -> str:
    title = project.text("teams_title", lang)
    rows = [
        f"| {project.text('column_team', lang)} | {project.text('column_count', lang)} |",
        "| --- | ---: |",
    ]
    for team in project.allowed_values("team"):
        count = sum(1 for s in sops if s.team == team and not s.lifecycle.inactive)
        rows.append(f"| [{project.label('team', team, lang)}](teams/{team}.md) | {count} |")
    return (
        front_matter(title) + f"# {title}\n\n{project.text('teams_intro', lang)}\n\n" + "\n".join(rows) + "\n"
    )


def browse_page(project: Project, sops: list[SopState], lang: str) -> str:
    title = project.text("browse_title", lang)
    parts = [f"# {title}", project.text("browse_intro", lang)]
    for facet in FACETS:
        parts.append(f"## {project.text(f'browse_{facet}', lang)}")
        lines = []
        for value in project.allowed_values(facet):
            count = sum(
                1
                for s in sops
                if value in (s.english.meta.get(FACET_FIELDS[facet]) or []) and not s.lifecycle.inactive
            )
            if count:
                label = project.label(facet, value, lang)
                lines.append(f"- [{label}](browse/{facet}-{value.lower()}.md) ({count})")
        parts.append("\n".join(lines))
    return front_matter(title) + "\n\n".join(parts) + "\n"
