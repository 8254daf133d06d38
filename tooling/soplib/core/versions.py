"""Semantic versions as written in front matter ("1.3.0")."""

from __future__ import annotations

import functools
import re

Version = tuple[int, int, int]
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse_version(value: object) -> Version | None:
    return _parse(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)  # a library has few distinct versions, compared very many times
def _parse(value: str) -> Version | None:
    match = _SEMVER.match(value)
    if not match:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch
