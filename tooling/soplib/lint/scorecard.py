"""The audit scorecard (soplib.core.criteria): every check scores steps the procedure has, says whether it is
fatal, has a name of its own; a translation scores the same steps as English and is never stricter or laxer
about what is fatal, so that an auditor in Brazil fails the contacts an auditor in Mexico fails."""

from __future__ import annotations

from collections.abc import Iterator

from soplib.core import criteria, procedure
from soplib.core.criteria import Criterion, Scorecard
from soplib.core.model import Finding, Sop
from soplib.core.state import TranslationState
from soplib.lint.context import LintContext

_PAIRED = (TranslationState.CURRENT, TranslationState.WORDING)  # their steps are English's


def scorecard_of(ctx: LintContext, sop: Sop) -> Scorecard:
    name = ctx.project.section_name("quality-checks", sop.lang)
    return criteria.read(sop.document, sop.lang, name, ctx.project.scorecard_terms)


def check_scorecards(ctx: LintContext) -> Iterator[Finding]:
    read: dict[str, Scorecard] = {}
    for sop in ctx.library.sops:
        if sop.lang in ctx.project.languages:
            read[sop.path.as_posix()] = found = scorecard_of(ctx, sop)
            yield from _own(ctx, sop, found)
    for state in ctx.library.state.sops:
        english = read.get(state.english.path.as_posix())
        for translation in state.translations.values():
            file = translation.file
            if english is None or file is None or translation.state not in _PAIRED:
                continue
            theirs = read.get(file.path.as_posix())
            if theirs is not None and (english.found or theirs.found):
                yield from _against_english(ctx, file, theirs, english, translation.state)


def _own(ctx: LintContext, sop: Sop, found: Scorecard) -> Iterator[Finding]:
    for problem in found.problems:
        yield ctx.finding(sop, problem.rule, (problem.line, problem.column), problem.message, problem.hint)
    steps = _steps(ctx, sop)
    seen: dict[str, Criterion] = {}
    for criterion in found.criteria:
        first = seen.setdefault(criterion.key, criterion)
        if first is not criterion:
            yield ctx.finding(
                sop,
                "scorecard-check",
                (criterion.line, 1),
                f"two checks named '{criterion.name}' (lines {first.line} and {criterion.line}): a check's "
                "name is its criterion id in audits",
                "give each check a name of its own, or merge the two rows",
            )
        unknown = [step for step in criterion.steps if steps and step not in steps]
        if unknown:
            cell = criterion.step_cell
            yield ctx.finding(
                sop,
                "scorecard-step-unknown",
                (cell.line, cell.column),
                f"check '{criterion.name}' scores step {', '.join(map(str, unknown))}, which the procedure "
                f"does not have (steps 1 to {max(steps)})",
                "write the number of the step it scores, as the procedure numbers it",
            )


def _steps(ctx: LintContext, sop: Sop) -> set[int]:
    name = ctx.project.section_name("procedure", sop.lang)
    heading = procedure.procedure_heading(sop.document, name)
    return {s.number for s in procedure.steps(sop.document, heading) if s.number} if heading else set()


def _against_english(
    ctx: LintContext, sop: Sop, found: Scorecard, english: Scorecard, state: TranslationState
) -> Iterator[Finding]:
    ours, theirs = found.criteria, english.criteria
    if len(ours) != len(theirs):
        if state is TranslationState.CURRENT:  # behind in wording, English may have added a row
            line = ours[0].line if ours else sop.body_line
            yield ctx.finding(
                sop,
                "scorecard-translation",
                (line, 1),
                f"the scorecard has {len(ours)} checks; English has {len(theirs)}",
                "translate the English scorecard row by row, in its order",
            )
        return
    for mine, source in zip(ours, theirs, strict=True):
        if state is TranslationState.CURRENT and mine.steps != source.steps:
            yield ctx.finding(
                sop,
                "scorecard-translation",
                (mine.step_cell.line, mine.step_cell.column),
                f"check '{mine.name}' scores step {_list(mine.steps)}; English '{source.name}' scores step "
                f"{_list(source.steps)}",
                "translate the English scorecard row by row, in its order, with its step numbers",
            )
        if mine.fatal != source.fatal:
            yield _fatal(ctx, sop, mine, source)


def _fatal(ctx: LintContext, sop: Sop, mine: Criterion, source: Criterion) -> Finding:
    terms, lang = ctx.project.scorecard_terms, sop.lang
    fatal, standard = terms.word("fatal", lang), terms.word("standard", lang)
    if mine.fatal:
        message = f"check '{mine.name}' is fatal here, but English does not mark '{source.name}' fatal"
        hint = f"score it '{standard}' as English does, or have English marked fatal first"
    else:
        message = f"English marks '{source.name}' fatal; this translation scores '{mine.name}' '{standard}'"
        hint = f"start its scoring with '{fatal}', as English does"
    return ctx.finding(sop, "scorecard-fatal", (mine.line, 1), message, hint)


def _list(steps: tuple[int, ...]) -> str:
    return ", ".join(map(str, steps)) or "none"
