"""What every check receives: the library, today's date, and the scanned bodies (scanned once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from soplib.invisible import visible
from soplib.library import Library
from soplib.lint.rules import RULES
from soplib.markdown_scan import Body, scan
from soplib.model import Finding, Position, Sop


@dataclass
class LintContext:
    library: Library
    today: date
    _bodies: dict[Path, Body] = field(default_factory=dict)

    @property
    def project(self):  # type: ignore[no-untyped-def]
        return self.library.project

    def body(self, sop: Sop) -> Body:
        if sop.path not in self._bodies:
            self._bodies[sop.path] = scan(sop.body, sop.body_line)
        return self._bodies[sop.path]

    def finding(self, sop: Sop | str, rule: str, at: Position, message: str, hint: str = "") -> Finding:
        path = sop if isinstance(sop, str) else sop.path.as_posix()
        # values quoted from a file may hold a newline or a bidi override: a finding stays one clear line
        return Finding(path, at[0], at[1], RULES[rule].severity, rule, visible(message), visible(hint))
