"""Body structure: required H2 sections in order, named in the file's language; a numbered procedure whose
steps hold their own content; no nesting deeper than a reader can follow."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator

from soplib.core.dialect import Document, Heading, Top, content_column
from soplib.lint.context import LintContext
from soplib.model import Finding, Sop

MAX_NESTING = 8  # lists and quotes inside each other; browsers and readers give up long before thousands
_NO_SPACE_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[^#\s])(.*)$")
_KINDS = {"paragraph": "paragraph", "table": "table", "code": "code block", "item": "bullet list"}


def check_structure(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        if sop.lang in ctx.project.languages:
            yield from _sections(ctx, sop)
            yield from _nesting(ctx, sop)


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
    document = sop.document
    unspaced = next(
        (
            (document.first_line + offset, match.group(1))
            for offset, line in enumerate(document.lines)
            if (match := _NO_SPACE_HEADING.match(line))
            and match.group(2).strip() == name
            and document.first_line + offset not in document.code_lines
        ),
        None,
    )
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
    tops = sop.document.tops_in(heading)
    steps = [top for top in tops if top.kind == "step"]
    if not steps:
        yield ctx.finding(
            sop,
            "structure-procedure",
            (heading.line, 1),
            f"'## {heading.text}' has no numbered steps",
            "write the procedure as a numbered list: 1. …, 2. …, 3. …",
        )
        return
    yield from _stray_content(ctx, sop, tops, steps)
    yield from _numbering(ctx, sop, steps)


def _stray_content(ctx: LintContext, sop: Sop, tops: list[Top], steps: list[Top]) -> Iterator[Finding]:
    """Content meant for a step but not indented under it: the numbered list ends there, the steps after it
    are numbered anew, and the content is outside every step (on GitHub as on the site)."""
    last_step, previous = steps[-1], None
    for top in tops:
        if top.kind == "step":
            previous = top
            continue
        indented = sop.document.line_text(top.line)[:1] in (" ", "\t")
        between = top.line < last_step.line
        if previous is None or top.kind == "heading" or not (indented or between):
            continue  # text before the steps, a sub-heading, or text after the last step at the margin
        indent = content_column(sop.document.line_text(previous.line))
        yield ctx.finding(
            sop,
            "structure-step-content",
            (top.line, 1),
            f"this {_KINDS.get(top.kind, 'block')} is not inside step {previous.number}: it is indented less "
            "than the step's text, so the numbered list ends here",
            f"start its lines with {indent} spaces, to line up with the text of step {previous.number} "
            "(`sop fmt` does it)",
        )


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
            f"lists and quotes are nested {document.depth} deep",
            f"keep nesting to {MAX_NESTING} levels or fewer: split the content into steps and sub-steps",
        )
