"""The "What's new for me" page in one language: the SOPs whose policy or procedure changed since the
reader's last visit, for the team and role they pick once. No login and no server: the page is the same for
everyone; the reader's browser (assets/reader.js) keeps the day of each visit, the version of each SOP it
last showed and the choice of team and role (localStorage), and picks from the page's data (changes.json
beside it) what is new for this reader: for an SOP read before, the versions since the one read; for any
other, the versions that reached the site since the previous visit.

A version reached the site on the later of the day it takes effect and the day it was committed (an SME may
publish a change that took effect days before). The data holds the versions of the last WINDOW_DAYS days."""

from __future__ import annotations

import html
import json
from datetime import date, timedelta
from typing import Any

from soplib import changelog
from soplib.core.state import SopState
from soplib.load.project import Project
from soplib.publish.changes import DiffUrl
from soplib.publish.markdown import front_matter
from soplib.publish.urls import page_url, relative_url, sop_url

PAGE = "whatsnew.md"
DATA = "changes.json"  # beside the page
WINDOW_DAYS = 183
FIRST_VISIT_DAYS = 30  # a reader's first visit shows the changes of this many days


def whatsnew_url(project: Project, lang: str) -> str:
    return page_url(PAGE, lang, project.source_language)


def whatsnew_page(project: Project, lang: str) -> dict[str, str]:
    """docs path -> Markdown: the page, the same for every reader; the script fills in the list."""
    t, e = project.text, html.escape
    end = "" if lang == project.source_language else f".{lang}"
    texts = {  # {date} and {version} are the reader's: the script fills them in
        "visit": t("whatsnew_since_visit", lang, date="{date}"),
        "first": t("whatsnew_since_first", lang, days=FIRST_VISIT_DAYS, date="{date}"),
        "window": t("whatsnew_since_window", lang, date="{date}"),
        "empty": t("whatsnew_empty", lang, date="{date}"),
        "read": t("whatsnew_read", lang, version="{version}"),
        "diff": t("changed_diff", lang),
        "upcoming": t("changelog_upcoming", lang),
    }
    data = "".join(f' data-text-{key}="{e(value)}"' for key, value in texts.items())
    changes = relative_url(whatsnew_url(project, lang), page_url("changes.md", lang, project.source_language))
    parts = [
        f"# {t('whatsnew_title', lang)}",
        t("whatsnew_intro", lang),
        f'<div class="sop-whatsnew" data-source="{DATA}" data-first-days="{FIRST_VISIT_DAYS}"{data}>\n'
        f'<form class="sop-whatsnew__filters">{_choice(project, "team", lang)}'
        f"{_choice(project, 'audience', lang)}</form>\n"
        '<p class="sop-whatsnew__since" aria-live="polite"></p>\n<ul class="sop-whatsnew__list"></ul>\n'
        # without script this says where the changes are; the script hides it (a <noscript> would be parsed
        # one way by a browser with script and another by the published check)
        f'<p class="sop-whatsnew__noscript">{e(t("whatsnew_noscript", lang))} <a href="{e(changes)}">'
        f"{e(t('changes_title', lang))}</a></p>\n</div>",
    ]
    return {f"whatsnew{end}.md": front_matter(t("whatsnew_title", lang)) + "\n\n".join(parts) + "\n"}


def _choice(project: Project, kind: str, lang: str) -> str:
    """A list to pick one team (or role) from, or all."""
    t, e = project.text, html.escape
    options = [f'<option value="">{e(t(f"whatsnew_all_{kind}", lang))}</option>']
    options += [
        f'<option value="{e(value)}">{e(project.label(kind, value, lang))}</option>'
        for value in project.allowed_values(kind)
    ]
    label = f'<label for="sop-whatsnew-{kind}">{e(t(f"whatsnew_{kind}", lang))}</label>'
    return f'<div>{label}<select id="sop-whatsnew-{kind}" name="{kind}">{"".join(options)}</select></div>'


def whatsnew_data(
    project: Project,
    states: list[SopState],
    entries: list[changelog.Change],
    lang: str,
    today: date,
    diff_url: DiffUrl,
) -> dict[str, str]:
    """Site path -> JSON: every SOP with a policy or procedure version that reached the site in the last
    WINDOW_DAYS days (or is yet to take effect), with those versions, newest first; URLs from the page."""
    start = (today - timedelta(days=WINDOW_DAYS)).isoformat()
    here = whatsnew_url(project, lang)
    by_id = {state.sop_id: state for state in states}
    untranslated = project.text("changes_untranslated", lang)
    found: dict[str, list[dict[str, Any]]] = {}
    for change in entries:
        state = by_id.get(change.sop_id)
        typed = state.change(change.version) if state else None
        seen = _reached(change)
        if typed is None or not typed.of_meaning or seen is None or seen < start:
            continue
        diff = diff_url(change.sop_id, change.version)
        found.setdefault(change.sop_id, []).append(
            {
                "version": change.version,
                "date": change.date,
                "seen": seen,
                "type": project.label("change_type", change.type, lang),
                "summary": change.summary + ("" if change.translated else untranslated),
                "diff": relative_url(here, diff) if diff else None,
            }
        )
    sops = [
        _sop(project, state, lang, here, found[state.sop_id]) for state in states if state.sop_id in found
    ]
    data = {"from": start, "sops": sops}
    return {here + DATA: json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"}


def _reached(change: changelog.Change) -> str | None:
    """The day a version reached the site: the later of its date of effect and its commit's day."""
    if not change.date[:4].isdigit():
        return None
    return max(change.date, change.commit.day) if change.commit else change.date


def _sop(
    project: Project, state: SopState, lang: str, here: str, changes: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": state.sop_id,
        "title": state.title(lang),
        "url": relative_url(here, sop_url(state, lang, project.source_language)),
        "team": state.team,
        "audience": list(state.english.meta.get("audience") or []),
        "status": project.label("status", state.lifecycle.value, lang),
        "version": state.version,
        "changes": sorted(changes, key=lambda c: (c["seen"], c["date"]), reverse=True),
    }
