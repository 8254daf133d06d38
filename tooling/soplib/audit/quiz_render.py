"""Knowledge checks as a printable page (questions, then the answer key on a page of its own) and as CSV for
a learning platform (UTF-8 with a byte-order mark, CRLF). Every text is escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from soplib.load.project import Project
from soplib.printed import document, page_css, part_class

if TYPE_CHECKING:
    from soplib.audit.quiz import Question

LETTERS = "ABCDEFGH"
STYLE = """\
.sop-quiz { font: 10.5pt/1.45 system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; color: #1b1b1b;
  max-width: 52rem; margin: 0 auto 2rem; }
.sop-quiz h1 { font-size: 1.6em; margin: 0 0 .3em; break-after: avoid; }
.sop-quiz ol.sop-quiz__questions > li { margin: 0 0 1em; break-inside: avoid; }
.sop-quiz__options { list-style: none; padding-left: .5em; margin: .3em 0 0; }
.sop-quiz__options li::before { content: "☐ "; }
.sop-quiz__key { break-before: page; }
.sop-quiz__key td, .sop-quiz__key th { border: 1px solid #999; padding: .2em .45em; text-align: left;
  vertical-align: top; }
.sop-quiz__key table { border-collapse: collapse; width: 100%; }
.sop-quiz__key tr { break-inside: avoid; }
.sop-quiz__id { font: .78em ui-monospace, "DejaVu Sans Mono", monospace; color: #555; }
"""


def render_html(questions: Sequence[Question], project: Project, lang: str, since: str) -> str:
    t = project.text
    title = f"{t('quiz_title', lang)} · {t('pack_period_open', lang, since=since)}"
    items = "".join(_question(number, q) for number, q in enumerate(questions, 1))
    body = [
        f'<section class="sop-quiz {part_class(0)}" lang="{escape(lang)}">',
        f"<h1>{escape(t('quiz_title', lang))}</h1>",
        f"<p>{escape(t('pack_period_open', lang, since=since))} · {escape(t('quiz_name', lang))}</p>",
        f'<ol class="sop-quiz__questions">{items}</ol>'
        if questions
        else f"<p>{escape(t('quiz_empty', lang))}</p>",
        "</section>",
    ]
    if questions:
        body.append(_key(questions, project, lang))
    headers = [title, f"{t('quiz_key', lang)} · {title}"]
    return document(title, lang, STYLE + page_css(project, lang, title, headers), "\n".join(body))


def _question(number: int, question: Question) -> str:
    options = "".join(f"<li>{LETTERS[i]}. {escape(text)}</li>" for i, text in enumerate(question.options))
    return (
        f'<li id="q{number}"><p>{escape(question.prompt)}</p>'
        f'<ul class="sop-quiz__options">{options}</ul></li>'
    )


def _key(questions: Sequence[Question], project: Project, lang: str) -> str:
    t = project.text
    head = "".join(f"<th>{escape(t(key, lang))}</th>" for key in ("quiz_number", "quiz_answer", "quiz_why"))
    rows = "".join(
        f"<tr><td>{number}</td><td><strong>{LETTERS[q.answer]}</strong> {escape(q.options[q.answer])}</td>"
        f'<td>{escape(q.explanation)}<br><span class="sop-quiz__id">{escape(q.id)}</span></td></tr>'
        for number, q in enumerate(questions, 1)
    )
    return (
        f'<section class="sop-quiz sop-quiz__key {part_class(1)}" lang="{escape(lang)}">'
        f"<h1>{escape(t('quiz_key', lang))}</h1><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
        "</table></section>"
    )


CSV_FIELDS = (
    *("question_id", "sop_id", "version", "kind", "question", "option_a", "option_b", "option_c", "option_d"),
    *("answer", "answer_text", "explanation", "step_link"),
)


def render_csv(questions: Sequence[Question]) -> str:
    """One row per question: up to four options and the letter of the right one, as LMS imports read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for q in questions:
        options = [*q.options, "", "", "", ""][:4]
        row = [q.id, q.sop_id, q.version, q.kind, q.prompt, *options, LETTERS[q.answer], q.options[q.answer]]
        writer.writerow([*row, q.explanation, q.link])
    return "\ufeff" + out.getvalue()
