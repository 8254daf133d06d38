"""`sop quiz`: knowledge checks from what changed in a period, as `sop diff` finds it (soplib.diff).

One question per changed number or time limit (the new value is the answer, the old one among the options),
per added step, per moved step, and per check that became fatal. The same SOPs give the same questions:
options are ordered by a shuffle seeded with the question's own words, never by chance.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from soplib.audit.forms import Readings, read_form
from soplib.audit.quiz_render import render_csv, render_html
from soplib.core.dialect import STEP_ANCHOR
from soplib.core.inline import inline_text
from soplib.diff.blocks import STEP
from soplib.diff.execute import compute_pack
from soplib.diff.model import BlockDiff, Status
from soplib.diff.pack import Pack, PackItem
from soplib.diff.present import figure_where, lead
from soplib.diff.sources import Texts
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.publish.urls import page_url
from soplib.repo.git import Git
from soplib.repo.history import read_history

_OPTIONS = 4
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=\S)")
_FACTORS = (2, 0.5, 1.5, 3, 0.25)  # distractors: the new value scaled


@dataclass(frozen=True)
class Question:
    id: str  # <SOP id>-<version>-<kind>-<8 hex digits of its words>: stable across runs
    sop_id: str
    version: str
    kind: str  # figure | added-step | moved-step | fatal-check
    prompt: str
    options: tuple[str, ...]
    answer: int  # index of the right option
    explanation: str
    link: str  # the step on the site (relative to its root), or ""


@dataclass(frozen=True)
class Quiz:
    project: Project
    lang: str
    since: str
    team: str | None
    questions: tuple[Question, ...]


RENDERERS: dict[str, Callable[[Quiz], str]] = {
    "html": lambda q: render_html(q.questions, q.project, q.lang, q.since),
    "csv": lambda q: render_csv(q.questions),
}
FORMATS = {".html": "html", ".htm": "html", ".csv": "csv"}


def compute(library: Library, git: Git, since: str, lang: str | None, team: str | None, today: date) -> Quiz:
    pack = compute_pack(library, git, since, None, lang, team, today)
    readings = Readings(Texts(library, read_history(git, library.project)))
    questions = [q for item in pack.items for q in _questions(item, pack, readings)]
    return Quiz(library.project, pack.lang, pack.since, pack.team, tuple(questions))


def _questions(item: PackItem, pack: Pack, readings: Readings) -> Iterator[Question]:
    project, lang, diff = readings.project, pack.lang, item.diff
    if diff is None or item.old is None:
        return  # a new SOP is trained whole, not asked about change by change
    name = f"{item.sop_id} · {item.title}"
    page = _page(readings, item, diff.lang)
    asked: set[tuple[str, str]] = set()
    for figure in sorted(diff.figures, key=lambda f: f.step is None):  # in a step first: it has a link
        if (
            _NUMBER.search(figure.old)
            and _NUMBER.search(figure.new)
            and (figure.old, figure.new) not in asked
        ):
            asked.add((figure.old, figure.new))
            where = figure_where(project, figure, lang)
            text = _blank(figure.text, figure.new)
            prompt = project.text("quiz_figure", lang, sop=name, where=where, text=text)
            wrong = [figure.old, *_scaled(figure.new, figure.old)]
            explanation = project.text("quiz_figure_why", lang, old=figure.old, new=figure.new)
            link = _link(page, figure.step)
            yield _question(item, "figure", prompt, figure.new, wrong, explanation, link)
    steps = [b for s in diff.sections if s.key == "procedure" for b in s.blocks if b.kind == STEP]
    kept = [b for b in steps if b.status is not Status.REMOVED]
    for block in kept:
        title = _lead(block)
        if block.status is Status.ADDED:
            others = [_lead(b) for b in kept if b is not block and b.status is not Status.ADDED]
            prompt = project.text("quiz_added_step", lang, sop=name, version=item.new)
            why = project.text("quiz_step_why", lang, number=block.new_number, title=title)
            yield _question(item, "added-step", prompt, title, others, why, _link(page, block.new_number))
        elif block.moved and block.old_number and block.new_number:
            prompt = project.text("quiz_moved_step", lang, sop=name, title=title)
            numbers = [str(n) for n in (block.old_number, *range(1, len(kept) + 1)) if n != block.new_number]
            why = project.text("quiz_moved_why", lang, old=block.old_number, new=block.new_number)
            answer = str(block.new_number)
            yield _question(item, "moved-step", prompt, answer, numbers, why, _link(page, block.new_number))
    yield from _fatal(item, pack, readings, name)


def _fatal(item: PackItem, pack: Pack, readings: Readings, name: str) -> Iterator[Question]:
    project, lang = readings.project, pack.lang
    state = readings.texts.library.state.by_id.get(item.sop_id)
    before = read_form(readings, state, lang, item.old) if state and item.old else None
    if before is None or not before.items:
        return  # the scorecard itself is new: trained as a whole, not check by check
    form = read_form(readings, state, lang, item.new) if state else None
    standard = [i.name for i in form.items if not i.fatal] if form else []
    for change in item.criteria:
        if not change.newly_fatal:
            continue
        steps = ", ".join(map(str, change.steps))
        why = project.text("quiz_fatal_why", lang, check=change.name, steps=steps)
        if standard:
            prompt = project.text("quiz_fatal", lang, sop=name)
            yield _question(item, "fatal-check", prompt, change.name, standard, why, "")
        else:  # every other check is fatal too: ask about this one
            prompt = project.text("quiz_fatal_yes_no", lang, sop=name, check=change.name)
            yes, no = project.text("quiz_yes", lang), project.text("quiz_no", lang)
            yield _question(item, "fatal-check", prompt, yes, [no], why, "")


def _question(
    item: PackItem, kind: str, prompt: str, answer: str, wrong: list[str], why: str, link: str
) -> Question:
    words = "\x00".join((item.sop_id, item.new, kind, prompt, answer))
    seed = hashlib.sha256(words.encode("utf-8")).hexdigest()
    wrong = [w for w in dict.fromkeys(wrong) if w and w != answer]
    rng = random.Random(int(seed[:16], 16))  # seeded by the question's words: the same quiz every time
    options = [answer, *wrong[: _OPTIONS - 1]]
    rng.shuffle(options)
    return Question(
        f"{item.sop_id}-{item.new}-{kind}-{seed[:8]}",
        item.sop_id,
        item.new,
        kind,
        prompt,
        tuple(options),
        options.index(answer),
        why,
        link,
    )


def _lead(block: BlockDiff) -> str:
    return inline_text(lead(block).removesuffix(" …")).rstrip(".:")


def _blank(text: str, value: str) -> str:
    """The sentence that holds the new value, with the value left out."""
    if value not in text:
        return f"{text} (____)"
    sentences = _SENTENCE.split(text.replace(value, "____", 1))
    return next(sentence for sentence in sentences if "____" in sentence)


def _scaled(new: str, old: str) -> list[str]:
    """Wrong answers that look like the right one: its numbers scaled, written the same way."""
    found = []
    for factor in _FACTORS:
        scaled = _NUMBER.sub(functools.partial(_scale, factor=factor), new)
        if scaled not in (new, old) and scaled not in found:
            found.append(scaled)
    return found


def _scale(match: re.Match[str], factor: float) -> str:
    number = match.group()
    separator = next((char for char in number if char in ".,"), "")
    value = int(number.replace(",", "").replace(".", "")) * factor
    if value != int(value) or value < 1:
        return number
    text = f"{int(value):,}"
    return text.replace(",", separator) if separator else text.replace(",", "")


def _page(readings: Readings, item: PackItem, lang: str) -> str | None:
    """The SOP's page in the language of the text compared, when the site shows the version asked about."""
    state = readings.texts.library.state.by_id.get(item.sop_id)
    if state is None or state.version != item.new:
        return None
    docs_path = state.english.path.relative_to(readings.project.sops_dir.name).as_posix()
    return page_url(docs_path, lang, readings.project.source_language)


def _link(page: str | None, step: int | None) -> str:
    return f"{page}#{STEP_ANCHOR.format(number=step)}" if page and step else ""
