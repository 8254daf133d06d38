"""The procedure of an SOP as the dialect reads it: its steps, and the source forms that break them.

Lint reports these forms and `sop fmt` rewrites them; both ask here, so they always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from soplib.core.dialect import Document, Heading, Top
from soplib.core.inline import inline_text

_NO_SPACE_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=[^#\s])(.*)$")


@dataclass(frozen=True)
class Stray:
    """A block meant for a step but not indented under it: the numbered list ends there, and the block
    stands outside every step (on GitHub as on the site)."""

    block: Top
    step: Top  # the step it follows
    first: int  # its lines in the file: a list counts whole
    last: int
    column: int  # where the step's text starts (0-based): the block's lines must start there


def steps(document: Document, heading: Heading) -> list[Top]:
    return [top for top in document.tops_in(heading) if top.kind == "step"]


def procedure_heading(document: Document, name: str) -> Heading | None:
    """The section named `name` (the procedure's name in the file's language), if the file has it."""
    return next((h for h in document.headings if h.top and h.level == 2 and h.text == name), None)


_BOLD_LEAD = re.compile(r"^(?:\*\*(.+?)\*\*|__(.+?)__)")
_LEAD_WORDS = 8


def leads(document: Document, heading: Heading) -> dict[int, str]:
    """Each step's number and its bold lead as plain text ("Check the payment method"), else its first words:
    how a scorecard or a quiz names a step."""
    found = {}
    for step in steps(document, heading):
        text = " ".join(document.line_text(line) for line in range(step.line, step.end + 1))
        text = _MARKER.sub("", text.strip(), count=1)
        bold = _BOLD_LEAD.match(text)
        if bold:
            lead = inline_text(bold.group(1) or bold.group(2)).rstrip(".:")
        else:
            words = inline_text(text).split()
            lead = " ".join(words[:_LEAD_WORDS]) + (" …" if len(words) > _LEAD_WORDS else "")
        found[step.number or 0] = lead
    return found


def strays(document: Document, heading: Heading) -> Iterator[Stray]:
    tops = document.tops_in(heading)
    numbered = [top for top in tops if top.kind == "step"]
    if not numbered:
        return
    last_step, previous, seen = numbered[-1], None, set()
    for top in tops:
        if top.kind == "step":
            previous = top
            continue
        if previous is None or top.kind == "heading" or top.list_id in seen:
            continue  # text before the steps, a sub-heading, or a list told already
        indented = document.line_text(top.line)[:1] in (" ", "\t")
        if not indented and top.line > last_step.line:
            continue  # text after the last step, at the margin: the section's own
        seen.add(top.list_id)
        last = max(t.end for t in tops if t.list_id == top.list_id)  # a list counts whole
        yield Stray(top, previous, top.line, last, content_column(document.line_text(previous.line)))


def unspaced_heading(document: Document, text: str) -> tuple[int, str] | None:
    """The line (and its #s) that meant to be the heading `text` but has no space after its #s."""
    for offset, line in enumerate(document.lines):
        match = _NO_SPACE_HEADING.match(line)
        number = document.first_line + offset
        if match and match.group(3).strip() == text and number not in document.code_lines:
            return number, match.group(2)
    return None


_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def content_column(line: str) -> int:
    """Where the text of a list item written on `line` starts (0-based): nested content lines up there."""
    marker = _MARKER.match(line)
    if not marker:
        return 0
    written = marker.group(0)
    spaces = len(written) - len(written.rstrip(" \t"))
    # CommonMark: five or more spaces after the marker start an indented code block; content sits one after
    return len(written) - spaces + 1 if spaces > 4 or spaces == 0 else len(written)
