"""What every check receives: the library and today's date; each SOP's body is parsed once (Sop.document)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from soplib.core.invisible import visible
from soplib.core.model import Finding, Position, Sop
from soplib.lint.rules import RULES
from soplib.load.library import Library


@dataclass
class LintContext:
    library: Library
    today: date

    @property
    def project(self):  # type: ignore[no-untyped-def]
        return self.library.project

    def finding(self, sop: Sop | str, rule: str, at: Position, message: str, hint: str = "") -> Finding:
        path = sop if isinstance(sop, str) else sop.path.as_posix()
        # values quoted from a file may hold a newline or a bidi override: a finding stays one clear line
        return Finding(path, at[0], at[1], RULES[rule].severity, rule, visible(message), visible(hint))
