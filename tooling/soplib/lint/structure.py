"""Body structure: required H2 sections in order, named in the file's language; a numbered procedure."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from soplib.lint.context import LintContext
from soplib.model import Finding, Sop


def check_structure(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        if sop.lang in ctx.project.languages:
            yield from _sections(ctx, sop)


def _sections(ctx: LintContext, sop: Sop) -> Iterator[Finding]:
    sections = ctx.project.sections
    names = [section.names[sop.lang] for section in sections]
    body = ctx.body(sop)
    h2 = [heading for heading in body.headings if heading.level == 2]
    found: dict[str, int] = {}
    last_index = -1
    for heading in h2:
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
        found.setdefault(heading.text, heading.line)
        last_index = max(last_index, index)
    for index, section in enumerate(sections):
        name = section.names[sop.lang]
        if section.required and name not in found:
            later = [found[s.names[sop.lang]] for s in sections[index + 1 :] if s.names[sop.lang] in found]
            where = (min(later), 1) if later else (sop.body_line + sop.body.count("\n"), 1)
            yield ctx.finding(
                sop,
                "structure-sections",
                where,
                f"required section '## {name}' is missing",
                f"the required sections are, in order: "
                f"{', '.join(s.names[sop.lang] for s in sections if s.required)}",
            )
    procedure = next(s for s in sections if s.key == "procedure").names[sop.lang]
    if procedure in found:
        yield from _procedure(ctx, sop, procedure, found[procedure])


def _procedure(ctx: LintContext, sop: Sop, name: str, line: int) -> Iterator[Finding]:
    body = ctx.body(sop)
    following = [h.line for h in body.headings if h.level <= 2 and h.line > line]
    end = following[0] if following else 10**9
    if not any(line < step.line < end for step in body.steps):
        yield ctx.finding(
            sop,
            "structure-procedure",
            (line, 1),
            f"'## {name}' has no numbered steps",
            "write the procedure as a numbered list: 1. …, 2. …, 3. …",
        )
