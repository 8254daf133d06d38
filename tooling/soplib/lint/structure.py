"""Body structure: required H2 sections in order, named in the file's language; a numbered procedure whose
steps hold their own content; no nesting deeper than a reader can follow."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator

from soplib.core import procedure
from soplib.core.dialect import UNREADABLE, Document, Heading, Top
from soplib.core.model import Finding, Sop
from soplib.lint.context import LintContext

MAX_NESTING = 8  # lists and quotes inside each other; browsers and readers give up long before thousands
_KINDS = {"paragraph": "paragraph", "table": "table", "code": "code block", "item": "bullet list"}


def check_structure(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        if sop.lang not in ctx.project.languages:
            continue
        yield from _nesting(ctx, sop)
        if sop.document.depth <= UNREADABLE:  # else nothing was read: the nesting finding says why
            yield from _sections(ctx, sop)


def _sections(ctx: LintContext, sop: Sop) -> Iterator[Finding]:
    sections = ctx.project.sections
    names = [section.names[sop.lang] for section in sections]
    document = sop.document
    found: dict[str, Heading] = {}
    last_index = -1
    for heading in (h for h in document.headings if h.level == 2 and h.top):
        if heading.text not in names:
            close = difflib.get_close_matches(heading.text, names, n=1, cutoff=0.6)
            yield ctx.finding(
                sop,
                "structure-sections",
                (heading.line, heading.column),
                f"unknown section '{heading.text}'",
                f"did you mean '{close[0]}'?"
                if close
                else f"the sections are, in order: {', '.join(names)}; use ### for a sub-heading",
            )
            continue
        index = names.index(heading.text)
        if index <= last_index:
            yield ctx.finding(
                sop,
                "structure-sections",
                (heading.line, heading.column),
                f"section '{heading.text}' is out of order or repeated",
                f"the sections are, in order: {', '.join(names)}",
            )
        found.setdefault(heading.text, heading)
        last_index = max(last_index, index)
    for index, section in enumerate(sections):
        name = section.names[sop.lang]
        if section.required and name not in found:
            yield _missing(ctx, sop, name, [found[n].line for n in names[index + 1 :] if n in found])
    procedure = next(s for s in sections if s.key == "procedure").names[sop.lang]
    if procedure in found:
        yield from _procedure(ctx, sop, found[procedure])


def _missing(ctx: LintContext, sop: Sop, name: str, later: list[int]) -> Finding:
    unspaced = procedure.unspaced_heading(sop.document, name)
    if unspaced is not None:
        line, hashes = unspaced
        return ctx.finding(
            sop,
            "structure-sections",
            (line, 1),
            f"'{hashes}{name}' is not a heading: Markdown needs a space after {hashes}",
            f"write '{hashes} {name}' (`sop fmt` does it)",
        )
    where = (min(later), 1) if later else (sop.body_line + sop.body.count("\n"), 1)
    required = [s.names[sop.lang] for s in ctx.project.sections if s.required]
    return ctx.finding(
        sop,
        "structure-sections",
        where,
        f"required section '## {name}' is missing",
        f"the required sections are, in order: {', '.join(required)}",
    )


def _procedure(ctx: LintContext, sop: Sop, heading: Heading) -> Iterator[Finding]:
    steps = procedure.steps(sop.document, heading)
    if not steps:
        yield ctx.finding(
            sop,
            "structure-procedure",
            (heading.line, 1),
            f"'## {heading.text}' has no numbered steps",
            "write the procedure as a numbered list: 1. …, 2. …, 3. …",
        )
        return
    for stray in procedure.strays(sop.document, heading):
        yield ctx.finding(
            sop,
            "structure-step-content",
            (stray.block.line, 1),
            f"this {_KINDS.get(stray.block.kind, 'block')} is not inside step {stray.step.number}: it is "
            "indented less than the step's text, so the numbered list ends here",
            f"start its lines with {stray.column} spaces, to line up with the text of step "
            f"{stray.step.number} (`sop fmt` does it)",
        )
    yield from _numbering(ctx, sop, steps)


def _numbering(ctx: LintContext, sop: Sop, steps: list[Top]) -> Iterator[Finding]:
    """Steps are numbered 1, 2, 3 … through the whole procedure, as agents and trainers cite them."""
    if steps[0].number != 1:
        yield ctx.finding(
            sop,
            "structure-procedure",
            (steps[0].line, 1),
            f"the procedure starts at step {steps[0].number}",
            "number the steps 1, 2, 3 … from the first: write 1.",
        )
        return
    for before, step in itertools.pairwise(steps):
        if step.number != (before.number or 0) + 1:
            yield ctx.finding(
                sop,
                "structure-procedure",
                (step.line, 1),
                f"the step after step {before.number} is numbered {step.number}",
                f"number the steps 1, 2, 3 … through the whole procedure: write {(before.number or 0) + 1}.",
            )
            return


def _nesting(ctx: LintContext, sop: Sop) -> Iterator[Finding]:
    document: Document = sop.document
    if document.depth > MAX_NESTING:
        yield ctx.finding(
            sop,
            "markdown-nesting",
            (document.depth_line or sop.body_line, 1),
            f"lists, quotes or HTML blocks are nested {document.depth} deep",
            f"keep nesting to {MAX_NESTING} levels or fewer: split the content into steps and sub-steps",
        )
