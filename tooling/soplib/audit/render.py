"""Audit forms as a printable HTML page (one SOP per part, its id on every printed page), a fragment for the
site, CSV that opens in Excel (UTF-8 with a byte-order mark, CRLF), and JSON. Every text is escaped."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from html import escape

from soplib.audit.forms import Form, Item
from soplib.load.project import Project
from soplib.printed import document, page_css, part_class

STYLE = """\
.sop-scorecard { font: 10pt/1.4 system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: #1b1b1b; max-width: 58rem; margin: 0 auto 2rem; }
.sop-scorecard h2 { font-size: 1.4em; margin: 0 0 .2em; break-after: avoid; }
.sop-scorecard__meta { margin: 0 0 .6em; color: #333; }
.sop-scorecard__note { border: 2px solid #b26a00; background: #fff4e0; padding: .4em .7em; font-weight: 600; }
.sop-scorecard table { border-collapse: collapse; width: 100%; margin: .5em 0; }
.sop-scorecard th, .sop-scorecard td { border: 1px solid #999; padding: .25em .45em; text-align: left;
  vertical-align: top; }
.sop-scorecard th { background: #eee; }
.sop-scorecard tr { break-inside: avoid; }
.sop-scorecard__fields td { width: 30%; height: 1.6em; }
.sop-scorecard__row--fatal td:first-child { border-left: .35em solid #b3261e; }
.sop-scorecard__fatal { font-weight: 700; color: #9c1219; }
.sop-scorecard__id { display: block; font: .78em ui-monospace, "DejaVu Sans Mono", monospace; color: #555; }
.sop-scorecard__looks { display: block; color: #333; }
.sop-scorecard__result { white-space: nowrap; }
.sop-scorecard + .sop-scorecard { break-before: page; }
"""


def render_form(
    form: Form, project: Project, lang: str, link: Callable[[str], str] | None = None, part: str = ""
) -> str:
    """One SOP's form as a <section> (style it with STYLE); `link` turns a step's URL (relative to the site
    root) into an href, for the site: without it, steps are not links."""
    t = project.text
    meta = t("scorecard_version", lang, version=form.version, date=form.effective or "—")
    meta += " · " + project.label("team", form.team, lang)
    words = f' lang="{escape(form.lang)}"' if form.lang != lang else ""
    parts = [
        f'<section class="sop-scorecard {part}" lang="{escape(lang)}" id="scorecard-{escape(form.sop_id)}">',
        f"<h2>{escape(form.sop_id)} · {escape(form.title)}</h2>",
        f'<p class="sop-scorecard__meta">{escape(meta)}</p>',
    ]
    if form.english_shown:
        language = project.language_names.get(lang, lang)
        note = t("scorecard_english_shown", lang, language=language, version=form.version)
        parts.append(f'<p class="sop-scorecard__note" role="note">{escape(note)}</p>')
    if not form.items:
        parts += [f"<p>{escape(t('scorecard_none', lang))}</p>", "</section>"]
        return "\n".join(parts)
    fields = [
        t(key, lang) for key in ("scorecard_case", "scorecard_agent", "scorecard_auditor", "scorecard_date")
    ]
    parts.append(
        '<table class="sop-scorecard__fields"><tbody>'
        f"<tr><th>{escape(fields[0])}</th><td></td><th>{escape(fields[1])}</th><td></td></tr>"
        f"<tr><th>{escape(fields[2])}</th><td></td><th>{escape(fields[3])}</th><td></td></tr></tbody></table>"
    )
    heads = ("#", *(t(key, lang) for key in ("scorecard_check", "scorecard_step", "scorecard_scoring")))
    head = "".join(f"<th>{escape(text)}</th>" for text in (*heads, t("scorecard_result", lang)))
    rows = "".join(_row(number, item, project, lang, link) for number, item in enumerate(form.items, 1))
    parts += [
        f'<table class="sop-scorecard__criteria"{words}><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>",
        f"<p>{escape(t('scorecard_fatal_note', lang))}</p>",
        "</section>",
    ]
    return "\n".join(parts)


def _row(number: int, item: Item, project: Project, lang: str, link: Callable[[str], str] | None) -> str:
    steps = []
    for index, step in enumerate(item.steps):
        label = escape(
            f"{step}. {item.step_names[index]}".rstrip(". ") if item.step_names[index] else str(step)
        )
        url = item.links[index] if index < len(item.links) else None
        steps.append(f'<a href="{escape(link(url))}">{label}</a>' if link and url else label)
    scoring = escape(item.scoring)
    if item.fatal:
        word, _, rest = item.scoring.partition(" ")
        scoring = f'<span class="sop-scorecard__fatal">⚠ {escape(word.upper())}</span> {escape(rest)}'
    cells = [
        str(number),
        f"<strong>{escape(item.name)}</strong>"
        f'<span class="sop-scorecard__looks">{escape(item.looks_for)}</span>'
        f'<span class="sop-scorecard__id">{escape(item.id)}</span>',
        "<br>".join(steps),
        scoring,
        f'<span class="sop-scorecard__result">{escape(project.text("scorecard_result_options", lang))}'
        "</span>",
    ]
    fatal = ' class="sop-scorecard__row--fatal"' if item.fatal else ""
    return f"<tr{fatal}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def render_html(forms: Sequence[Form], project: Project, lang: str) -> str:
    """One printable page: each SOP's form on pages of its own, its id and title on top of every page."""
    title = project.text("scorecard_title", lang)
    headers = [f"{title} · {form.sop_id} · {form.title} · {form.version}" for form in forms]
    sections = [render_form(f, project, lang, part=part_class(i)) for i, f in enumerate(forms)]
    body = "\n".join(sections) or f"<p>{escape(project.text('scorecard_empty', lang))}</p>"
    return document(title, lang, STYLE + page_css(project, lang, title, headers), body)


CSV_FIELDS = (
    "criterion_id",
    "sop_id",
    "sop_title",
    "version",
    "in_force_since",
    "lang",
    "check",
    "looks_for",
    "steps",
    "step_names",
    "step_links",
    "fatal",
    "scoring",
    "result",
    "notes",
)


def render_csv(forms: Sequence[Form], project: Project) -> str:
    """One row per criterion, with empty result and notes columns to fill in; a byte-order mark and CRLF, as
    Excel expects."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for form in forms:
        for item in form.items:
            writer.writerow(
                [
                    item.id,
                    form.sop_id,
                    form.title,
                    form.version,
                    form.effective or "",
                    form.lang,
                    item.name,
                    item.looks_for,
                    ", ".join(map(str, item.steps)),
                    " | ".join(item.step_names),
                    " ".join(item.links),
                    "yes" if item.fatal else "no",
                    item.scoring,
                    "",
                    "",
                ]
            )
    return "\ufeff" + out.getvalue()


def render_json(forms: Sequence[Form], lang: str, on: str, at: str | None) -> str:
    data = {"lang": lang, "on": None if at else on, "at": at, "scorecards": [asdict(form) for form in forms]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
