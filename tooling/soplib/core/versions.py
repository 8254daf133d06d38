"""Semantic versions as written in front matter ("1.3.0")."""

from __future__ import annotations

import re

Version = tuple[int, int, int]
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse_version(value: object) -> Version | None:
    match = _SEMVER.match(value) if isinstance(value, str) else None
    if not match:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch
