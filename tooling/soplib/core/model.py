"""Plain data records shared by every part of the core."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from soplib.core import dialect

Position = tuple[int, int]  # 1-based line and column in the file
KeyPath = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    hint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Sop:
    """One language file of one SOP, as read from disk."""

    path: Path  # relative to the project root, e.g. sops/appeals/seller-appeal.es.md
    key: str  # the SOP across languages: <team folder>/<slug>
    lang: str
    meta: dict[str, Any]
    positions: dict[KeyPath, Position]  # where each front-matter key (and list item) starts
    body: str
    body_line: int  # line of the file on which the body starts
    lines_total: int = 0

    @cached_property
    def document(self) -> dialect.Document:
        """The body as the dialect reads it: parsed once, whoever asks."""
        return dialect.parse(self.body, self.body_line)

    @cached_property
    def digest(self) -> str:
        """What the file says, its front matter and its body, as a digest: what is made of it is kept under
        it between builds (the body is not written into JSON: that took a build 0.1 s at 3,000 files)."""
        meta = json.dumps(self.meta, sort_keys=True, default=str).encode()
        return hashlib.sha256(meta + b"\0" + self.body.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def folder(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def slug(self) -> str:
        return self.key.split("/", 1)[1]

    @property
    def sop_id(self) -> str | None:
        value = self.meta.get("id")
        return value if isinstance(value, str) else None

    def position(self, *key: str | int) -> Position:
        """Where a front-matter key is; falls back to its nearest parent, then to the opening `---`."""
        path: KeyPath = tuple(key)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (1, 1)


@dataclass
class SopGroup:
    """All language files of one SOP."""

    key: str
    files: dict[str, Sop] = field(default_factory=dict)

    @property
    def english(self) -> Sop | None:
        return self.files.get("en")
