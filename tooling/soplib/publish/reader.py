"""What an SOP page gives the reader's browser, with no login and no server: the SOP's id and version, which
the browser remembers (assets/reader.js, in localStorage), and a notice hidden until then, shown when a
version with a policy or procedure change came out since the version it last showed (editorial and
clarification versions never show it: agents do nothing differently after them). Also the page's links to
its audit scorecard, its Markdown copy and the reader's "What's new for me" page."""

from __future__ import annotations

import html

from soplib import changelog
from soplib.core.state import SopState
from soplib.load.project import Project
from soplib.publish.catalog import COPY
from soplib.publish.changes import DiffUrl
from soplib.publish.scorecards import FOLDER, has_scorecard
from soplib.publish.urls import relative_url, sop_url
from soplib.publish.whatsnew import whatsnew_url

READ_MARK = "\x00"  # where the version the reader last read goes (the script fills it in)


def reader_marker(
    project: Project, state: SopState, lang: str, changes: list[changelog.Change], diff_url: DiffUrl
) -> str:
    """One element: the data the script reads, the hidden notice, and the page's links."""
    e = html.escape
    return (
        f'<div class="sop-reader" data-pagefind-ignore data-sop-id="{e(state.sop_id)}"'
        f' data-sop-version="{e(state.version)}">\n'
        f"{tools(project, state, lang)}\n{notice(project, state, lang, changes, diff_url)}\n</div>"
    )


def notice(
    project: Project, state: SopState, lang: str, changes: list[changelog.Change], diff_url: DiffUrl
) -> str:
    """The versions of meaning, each with its summary and its diff page; the script shows those newer than
    the version the reader last read."""
    t, e = project.text, html.escape
    here = sop_url(state, lang, project.source_language)
    items = []
    for change in changes:
        typed = state.change(change.version)
        if typed is None or not typed.of_meaning:
            continue
        summary = e(change.summary)
        if not change.translated:
            summary = (
                f'<span lang="{state.english.lang}">{summary}</span>{e(t("changes_untranslated", lang))}'
            )
        url = diff_url(state.sop_id, change.version)
        link = f' <a href="{e(relative_url(here, url))}">{e(t("changed_diff", lang))}</a>' if url else ""
        kind = e(project.label("change_type", change.type, lang))
        items.append(
            f'<li data-version="{e(change.version)}" hidden><strong>{e(change.version)}</strong>'
            f" · {e(change.date)} · {kind}: {summary}{link}</li>"
        )
    if not items:
        return ""
    body = e(t("changed_body", lang, read=READ_MARK, version=state.version, date=state.effective or "—"))
    body = body.replace(READ_MARK, '<strong class="sop-changed__read"></strong>')
    return (
        '<div class="sop-changed" role="status" hidden>'  # an admonition once shown (reader.js)
        f'<p class="admonition-title">{e(t("changed_title", lang))}</p>'
        f"<p>{body}</p><ul>{''.join(items)}</ul>"
        f'<p><button type="button" class="sop-changed__done">{e(t("changed_done", lang))}</button></p></div>'
    )


def tools(project: Project, state: SopState, lang: str) -> str:
    """Links from the page (relative: the scorecard and the copy sit in the page's folder)."""
    t, e = project.text, html.escape
    here = sop_url(state, lang, project.source_language)
    links = []
    if has_scorecard(project, state):
        links.append(f'<a class="sop-tools__scorecard" href="{FOLDER}">{e(t("scorecard_title", lang))}</a>')
    markdown = e(t("tools_markdown", lang))
    links.append(f'<a class="sop-tools__markdown" href="{COPY}" type="text/markdown">{markdown}</a>')
    whatsnew = relative_url(here, whatsnew_url(project, lang))
    links.append(f'<a class="sop-tools__whatsnew" href="{e(whatsnew)}">{e(t("whatsnew_title", lang))}</a>')
    return f'<p class="sop-tools">{" · ".join(links)}</p>'
