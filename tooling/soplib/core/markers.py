"""The hidden marker that ties a text posted on GitHub (a pull-request comment, a reminder issue) to what
made it, so that the next run updates it instead of posting it again."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IssueText:
    key: str  # what the issue is about, e.g. an owner team
    title: str
    body: str  # starts with the marker made by `marker(prefix, key)`


def marker(prefix: str, key: str) -> str:
    return f"<!-- {prefix} {one_word(key)} -->"


def one_word(key: str) -> str:
    """A key as it stands in a marker: one word, so that the marker is found again."""
    return "-".join(key.split())
