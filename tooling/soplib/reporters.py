"""Reporters turn lint results into text for people, JSON for programs, or GitHub workflow annotations."""

from __future__ import annotations

import json
from typing import ClassVar

from soplib.core.model import Finding
from soplib.lint import LintResult
from soplib.lint.rules import RULES


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextReporter:
    name: ClassVar[str] = "text"

    def render(self, result: LintResult) -> str:
        lines = []
        for f in result.findings:
            lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}")
            if f.hint:
                lines.append(f"    hint: {f.hint}")
        lines.append(
            f"{_plural(len(result.files), 'file')} checked: {_plural(result.errors, 'error')}, "
            f"{_plural(result.warnings, 'warning')}"
        )
        return "\n".join(lines)


class JsonReporter:
    name: ClassVar[str] = "json"

    def render(self, result: LintResult) -> str:
        return json.dumps([f.as_dict() for f in result.findings], ensure_ascii=False, indent=2)


class GithubReporter:
    """Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions"""

    name: ClassVar[str] = "github"

    @staticmethod
    def _data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    @classmethod
    def _property(cls, text: str) -> str:
        return cls._data(text).replace(":", "%3A").replace(",", "%2C")

    def _line(self, f: Finding) -> str:
        message = f"{f.message}\n{f.hint}" if f.hint else f.message
        rule = RULES.get(f.rule)
        title = rule.summary if rule else f.rule  # words on the pull request; the id is in `sop rules`
        return (
            f"::{f.severity.value} file={self._property(f.path)},line={f.line},col={f.column},"
            f"title={self._property(title)}::{self._data(message)}"
        )

    def render(self, result: LintResult) -> str:
        summary = (
            f"{_plural(len(result.files), 'file')} checked: {_plural(result.errors, 'error')}, "
            f"{_plural(result.warnings, 'warning')}"
        )
        return "\n".join([*(self._line(f) for f in result.findings), summary])


RENDERERS = {reporter.name: reporter for reporter in (TextReporter, JsonReporter, GithubReporter)}
