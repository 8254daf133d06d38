"""`sop diff` and `sop calibration-pack`: what they compute, and the diff the site shows for a version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from soplib.changelog import resolve_bound
from soplib.core.errors import SopError
from soplib.core.model import Sop
from soplib.diff.blocks import parse_body, section_names
from soplib.diff.compare import changed_figures, compare_fields, compare_sections
from soplib.diff.html import render_document, render_fragment
from soplib.diff.model import Side, SopDiff
from soplib.diff.pack import Pack, collect
from soplib.diff.sources import Texts, build, select
from soplib.diff.text import render_markdown, render_text
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import read_history


@dataclass(frozen=True)
class DiffView:
    """A diff as the renderers show it: in the reader's language, in colour on a terminal."""

    diff: SopDiff
    project: Project
    lang: str
    colour: bool = False


RENDERERS: dict[str, Callable[[DiffView], str]] = {
    "text": lambda view: render_text(view.diff, view.project, view.lang, colour=view.colour),
    "md": lambda view: render_markdown(view.diff, view.project, view.lang),
    "html": lambda view: render_document(view.diff, view.project, view.lang),
}
FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}  # by -o's extension


def compute_diff(
    library: Library, git: Git, sop_id: str, old: str | None, new: str | None, lang: str | None
) -> DiffView:
    """What changed in one SOP between two versions (by default the one before the current one, and the
    current one), in `lang`'s file (default: the source language)."""
    project = library.project
    lang = lang or project.source_language
    project.check_language(lang)
    texts = Texts(library, read_history(git, project))
    sop_id = sop_id.strip().upper()
    old, new = select(texts, sop_id, lang, old, new)
    versions = [v for v in (old, new) if v]
    texts.prefetch((sop_id, side, v) for side in {lang, project.source_language} for v in versions)
    return DiffView(build(texts, sop_id, lang, old, new), project, lang)


def compute_pack(
    library: Library, git: Git, since: str, until: str | None, lang: str | None, team: str | None, today: date
) -> Pack:
    """The calibration pack of every SOP changed between two dates or references."""
    project = library.project
    lang = lang or project.source_language
    project.check_language(lang)
    team = project.resolve_team(team) if team is not None else None
    texts = Texts(library, read_history(git, project))
    start_bound = resolve_bound("--since", since, git, library)
    end_bound = resolve_bound("--until", until, git, library) if until is not None else None
    if start_bound.date and end_bound and end_bound.date and end_bound.date < start_bound.date:
        raise SopError(f"--until {until} is before --since {since}")
    return collect(texts, lang, start_bound, end_bound, team, today)


def version_diff(texts: Texts, sop_id: str, version: str, lang: str) -> SopDiff | None:
    """What changed in `version` of an SOP since the version before it, for a reader of `lang`: the `lang`
    file when it has that version and an earlier one, else the English file (the diff says so). None when
    there is nothing to compare: the first version, or one whose previous text is not in the git history.
    Call `texts.prefetch(...)` with every (id, language, version) first to read the texts in one batch."""
    shown = shown_language(texts, sop_id, version, lang)
    if shown is None:
        return None
    return build(texts, sop_id, shown, texts.previous(sop_id, shown, version), version, reader=lang)


def shown_language(texts: Texts, sop_id: str, version: str, lang: str) -> str | None:
    """The language whose text the diff of `version` compares for a reader of `lang`, or None when there
    is no diff of that version (cheap: it reads no text)."""
    source = texts.project.source_language
    for shown in dict.fromkeys((lang, source)):
        previous = texts.previous(sop_id, shown, version)
        if previous and texts.has_text(sop_id, shown, version) and texts.has_text(sop_id, shown, previous):
            return shown
    return None


def version_diff_html(texts: Texts, sop_id: str, version: str, lang: str) -> str | None:
    """`version_diff` as an HTML fragment (an <article>, to style with soplib.diff.html.STYLE)."""
    diff = version_diff(texts, sop_id, version, lang)
    return render_fragment(diff, texts.project, lang) if diff is not None else None


def short_diff_markdown(project: Project, sop_id: str, before: Sop | None, after: Sop | None) -> str | None:
    """The word-level diff of two English files of one SOP, in Markdown, for the pull-request report
    (soplib.report's ShortDiff): its headings sit under the report's own, and its title is dropped."""
    if before is None or after is None:
        return None
    names = section_names({section.key: section.names for section in project.sections})
    sections = compare_sections(parse_body(before.body, names), parse_body(after.body, names))
    version_before, version_after = str(before.meta.get("version")), str(after.meta.get("version"))
    diff = SopDiff(
        sop_id,
        str(after.meta.get("title") or sop_id),
        str(after.meta.get("team") or ""),
        project.source_language,
        Side(version_before, None, None),
        Side(version_after, None, None),
        (),
        compare_fields(before.meta, after.meta),
        sections,
        changed_figures(sections),
        None,
    )
    if not diff.changed:
        return None
    # The report already names the SOP, its versions and change entries: keep what follows them.
    parts = render_markdown(diff, project, project.source_language).split("\n\n")[3:]
    return "\n\n".join(f"###{part}" if part.startswith("#") else part for part in parts)
