"""An SOP's `changes` entries as typed records, read once per file: what every door says about a version.

The English file lists every version, newest first, with the date it takes effect, its type and a summary;
a translation may carry `change_summaries` (version -> summary in its language). Entries that cannot be read
(no valid version) are left out here: the schema reports them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from soplib.core.versions import Version, parse_version


class ChangeType(StrEnum):
    POLICY = "policy"
    PROCEDURE = "procedure"
    CLARIFICATION = "clarification"
    EDITORIAL = "editorial"

    @property
    def of_meaning(self) -> bool:
        """Agents do something differently after it: a translation without it must not be followed."""
        return self in (ChangeType.POLICY, ChangeType.PROCEDURE)


@dataclass(frozen=True)
class Change:
    version: str
    number: Version
    date: str | None  # YYYY-MM-DD: when it takes effect
    type: ChangeType | None  # None: not one of the four (the schema says so)
    summary: str

    @property
    def of_meaning(self) -> bool:
        return self.type is None or self.type.of_meaning  # unknown: assume the worst

    @property
    def day(self) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None


def read_changes(meta: dict[str, Any]) -> tuple[Change, ...]:
    """The entries of `changes` as written (newest first by the contract), each version once."""
    found: dict[str, Change] = {}
    entries = meta.get("changes")
    for entry in entries if isinstance(entries, list) else []:
        number = parse_version(entry.get("version")) if isinstance(entry, dict) else None
        if number is None or entry["version"] in found:
            continue
        found[entry["version"]] = Change(
            entry["version"],
            number,
            _text(entry.get("date")),
            _type(entry.get("type")),
            " ".join((_text(entry.get("summary")) or "").split()),
        )
    return tuple(found.values())


def summaries(meta: dict[str, Any]) -> dict[str, str]:
    """A translation's `change_summaries`: version -> the summary in its language."""
    given = meta.get("change_summaries")
    if not isinstance(given, dict):
        return {}
    return {str(version): " ".join(text.split()) for version, text in given.items() if isinstance(text, str)}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _type(value: object) -> ChangeType | None:
    try:
        return ChangeType(value) if isinstance(value, str) else None
    except ValueError:
        return None
