"""Text in a body that readers cannot see: bidi controls and zero-width characters."""

from __future__ import annotations

from collections.abc import Iterator

from soplib.core.invisible import INVISIBLE, name
from soplib.core.model import Finding
from soplib.lint.context import LintContext


def check_invisible(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.sops:
        if not INVISIBLE.search(sop.body):
            continue  # one search of the whole body: lines are split only where there is something to tell
        for number, line in enumerate(sop.body.split("\n"), sop.body_line):
            found = list(INVISIBLE.finditer(line))
            if not found:
                continue
            more = f" (and {len(found) - 1} more on this line)" if len(found) > 1 else ""
            yield ctx.finding(
                sop,
                "invisible-character",
                (number, found[0].start() + 1),
                f"{name(found[0][0])}{more}: a character nobody sees, which can reorder the text around it "
                "or hide inside a word",
                "delete it (an editor's 'show invisibles' or 'show control characters' shows where); "
                "text in Arabic or Hebrew needs no such characters",
            )
