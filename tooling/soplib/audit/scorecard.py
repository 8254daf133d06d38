"""`sop scorecard`: the audit form of each SOP for the version in force today, on a contact's date (--on, for
disputes) or at a version (--at), in the auditor's language (soplib.audit.forms), and its renderers."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from soplib.audit.forms import Form, Readings, read_form
from soplib.audit.render import render_csv, render_html, render_json
from soplib.core.errors import SopError
from soplib.core.state import SopState
from soplib.core.versions import parse_version
from soplib.dates import iso_date
from soplib.diff.sources import Texts
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import read_history


@dataclass(frozen=True)
class Scorecards:
    project: Project
    lang: str  # the auditor's language
    on: str  # the day whose version in force is shown (today, or --on)
    at: str | None  # --at VERSION
    forms: tuple[Form, ...]


RENDERERS: dict[str, Callable[[Scorecards], str]] = {
    "html": lambda s: render_html(s.forms, s.project, s.lang),
    "csv": lambda s: render_csv(s.forms, s.project),
    "json": lambda s: render_json(s.forms, s.lang, s.on, s.at),
}
FORMATS = {".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}  # by -o's extension


def compute(
    library: Library,
    git: Git,
    ids: Sequence[str],
    team: str | None,
    lang: str | None,
    at: str | None,
    on: str | None,
    today: date,
) -> Scorecards:
    """The forms of the SOPs asked for (default: every published SOP with a scorecard, or one team's)."""
    project = library.project
    lang = lang or project.source_language
    project.check_language(lang)
    if at is not None and on is not None:
        raise SopError("give --at VERSION or --on DATE, not both")
    if at is not None and not ids:
        raise SopError(
            "--at VERSION needs the SOP's id: versions are each SOP's own (--on DATE works for all)"
        )
    day = (iso_date("--on", on) or _not_a_date(on)) if on is not None else today.isoformat()
    chosen = _chosen(library, [i.strip().upper() for i in ids], project.resolve_team(team) if team else None)
    versions = {state.sop_id: _version(state, at, day, asked=bool(ids)) for state in chosen}
    older = any(versions[state.sop_id] not in (None, state.version) for state in chosen)
    readings = Readings(Texts(library, read_history(git, project) if older else None))
    forms = []
    for state in chosen:
        version = versions[state.sop_id]
        form = read_form(readings, state, lang, version) if version else None
        if form is None and ids and version:
            raise SopError(f"{state.sop_id}: the text of version {version} is not in the git history")
        if form is not None and (form.items or ids):
            forms.append(form)
    return Scorecards(project, lang, day, at, tuple(forms))


def _not_a_date(text: str) -> str:
    raise SopError(f"--on {text}: not a date; write it as YYYY-MM-DD, e.g. 2026-10-01")


def _chosen(library: Library, ids: list[str], team: str | None) -> list[SopState]:
    state = library.state
    for sop_id in ids:
        if sop_id not in state.by_id:
            close = difflib.get_close_matches(sop_id, list(state.by_id), n=1)
            hint = f"; did you mean {close[0]}?" if close else " (ids look like SOP-CS-001)"
            raise SopError(f"unknown SOP id {sop_id}{hint}")
    chosen = [state.by_id[i] for i in dict.fromkeys(ids)] if ids else state.published()
    return [s for s in chosen if team is None or s.team == team]


def _version(state: SopState, at: str | None, day: str, asked: bool) -> str | None:
    """The version shown: --at, else the one in force on `day` (None: none was, and the SOP was not asked
    for by id)."""
    known = [c.version for c in state.changes] or [state.version]
    if at is not None:
        if at not in known:
            raise SopError(f"{state.sop_id} has no version {at}; its versions are {', '.join(known)}")
        return at
    if not state.lifecycle.published:
        if asked:
            raise SopError(f"{state.sop_id} is a draft: it is not in force, so it has no audit form yet")
        return None
    in_force = [c for c in state.changes if c.date and c.date <= day]
    if in_force:
        return max(in_force, key=lambda c: c.number).version
    if not state.changes and parse_version(state.version):
        return state.version  # no entries to date it by: the schema says so; show what there is
    if asked:
        first = min((c.date for c in state.changes if c.date), default="?")
        raise SopError(f"{state.sop_id} was not in force on {day}: its first version took effect on {first}")
    return None
