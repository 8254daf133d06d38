"""`sop lint`: every check over the loaded library; findings are plain data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from soplib.core.model import Finding, Severity
from soplib.lint.context import LintContext
from soplib.lint.files import check_files
from soplib.lint.identity import check_identity
from soplib.lint.lifecycle import check_lifecycle
from soplib.lint.links import check_links
from soplib.lint.review import check_review
from soplib.lint.schema import check_schema
from soplib.lint.scorecard import check_scorecards
from soplib.lint.security import check_security
from soplib.lint.structure import check_structure
from soplib.lint.text import check_invisible
from soplib.lint.translations import check_terminology, check_translations
from soplib.load.library import Library

Check = Callable[[LintContext], Iterator[Finding]]
CHECKS: list[Check] = [
    check_files,
    check_schema,
    check_identity,
    check_structure,
    check_links,
    check_security,
    check_invisible,
    check_translations,
    check_scorecards,
    check_terminology,
    check_review,
    check_lifecycle,
]


@dataclass(frozen=True)
class LintResult:
    findings: list[Finding]
    files: list[str]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def lint(
    library: Library, today: date, only: Iterable[str] | None = None, extra: Iterable[Finding] = ()
) -> LintResult:
    """Run every check; keep the findings of the files in `only` (all files when None)."""
    context = LintContext(library, today)
    findings = [*library.findings, *extra]
    for check in CHECKS:
        findings.extend(check(context))
    files = library.files_read
    if only is not None:
        selected = set(only)
        findings = [f for f in findings if f.path in selected]
        files = [f for f in files if f in selected]
    return LintResult(sorted(set(findings)), files)
