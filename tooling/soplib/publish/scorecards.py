"""Each SOP's audit scorecard on the site: a printable page of its own beside the SOP's page
(`<team>/<slug>/scorecard/`, in every language), the form `sop scorecard` prints for the version in force,
each step linked to its `#step-N` on the SOP page. Made here, not by the site generator (as the diff pages):
a form to print needs no navigation, and a thousand more pages would double the generator's work."""

from __future__ import annotations

import functools
import html

from soplib.audit.forms import Form, Readings, read_form
from soplib.audit.render import STYLE, render_form
from soplib.core import criteria
from soplib.core.state import SopState
from soplib.diff.sources import Texts
from soplib.load.project import Project
from soplib.printed import document, page_css, part_class
from soplib.publish import csp
from soplib.publish.urls import relative_url, sop_url

FOLDER = "scorecard/"

NAV_STYLE = """\
body { margin: 0; }
.sop-scorecard-page__nav { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: baseline;
  padding: .7rem 1rem; margin-bottom: 1rem; background: #303fa1; color: #fff;
  font: 0.95rem/1.4 system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
.sop-scorecard-page__nav a { color: #fff; }
.sop-scorecard-page__languages { margin-left: auto; display: flex; gap: .8rem; }
main { padding: 0 1rem; }
.sop-scorecard-page__title { max-width: 58rem; margin: 0 auto .3rem; color: #555; text-transform: uppercase;
  font: 600 .8rem/1.4 system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  letter-spacing: .05em; }
@media screen and (max-width: 40rem) { .sop-scorecard__result { white-space: normal; } }
@media print { .sop-scorecard-page__nav, .sop-scorecard-page__title { display: none; } main { padding: 0; } }
"""


def has_scorecard(project: Project, state: SopState) -> bool:
    """The English text in force has audit criteria (the source of every language's form)."""
    name = project.section_name("quality-checks", project.source_language)
    terms = project.scorecard_terms
    return bool(criteria.read(state.english.document, project.source_language, name, terms).criteria)


def scorecard_url(project: Project, state: SopState, lang: str) -> str:
    """The scorecard page of `state` in `lang`, from the site root."""
    return sop_url(state, lang, project.source_language) + FOLDER


def scorecard_pages(texts: Texts, states: list[SopState], lang: str) -> dict[str, str]:
    """Site path -> HTML: the scorecard page of every SOP of `states` that has audit criteria."""
    project, readings = texts.project, Readings(texts)
    pages = {}
    for state in filter(functools.partial(has_scorecard, project), states):
        form = read_form(readings, state, lang, state.version)
        if form is not None and form.items:
            pages[scorecard_url(project, state, lang) + "index.html"] = scorecard_page(
                project, state, form, lang
            )
    return pages


def scorecard_page(project: Project, state: SopState, form: Form, lang: str) -> str:
    """One SOP's form, with a bar back to its page and to the form in the other languages (not printed)."""
    here = scorecard_url(project, state, lang)
    title = f"{project.text('scorecard_title', lang)} · {form.sop_id} · {form.title}"
    back = relative_url(here, sop_url(state, lang, project.source_language))
    home = relative_url(here, "" if lang == project.source_language else f"{lang}/") or "./"
    others = " ".join(
        f'<a href="{html.escape(relative_url(here, scorecard_url(project, state, other)))}"'
        f' hreflang="{other}" lang="{other}">{html.escape(project.language_names.get(other, other))}</a>'
        for other in project.languages
        if other != lang
    )
    nav = (
        f'<nav class="sop-scorecard-page__nav"><a href="{html.escape(home)}">'
        f"{html.escape(project.text('site_name', lang))}</a> · "
        f'<a href="{html.escape(back)}">← {html.escape(form.sop_id)} · {html.escape(state.title(lang))}</a>'
        f'<span class="sop-scorecard-page__languages">{others}</span></nav>'
    )
    section = render_form(form, project, lang, link=lambda url: _link(here, url), part=part_class(0))
    header = f"{project.text('scorecard_title', lang)} · {form.sop_id} · {form.title} · {form.version}"
    style = STYLE + NAV_STYLE + page_css(project, lang, title, [header])
    heading = (
        f'<h1 class="sop-scorecard-page__title">{html.escape(project.text("scorecard_title", lang))}</h1>'
    )
    body = f"{nav}\n<main>\n{heading}\n{section}\n</main>"
    return document(title, lang, style, body, csp.PRINTED_PAGE_POLICY)


def _link(here: str, url: str) -> str:
    """A step's URL (from the site root, with its #step-N) as a link from the scorecard page."""
    page, _, anchor = url.partition("#")
    return relative_url(here, page) + (f"#{anchor}" if anchor else "")
