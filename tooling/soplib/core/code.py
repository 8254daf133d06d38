"""The digest of this code: what a cache made by other code (another release, an edit) is told apart by."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def code_digest() -> str:
    """A digest of every module of soplib."""
    package = Path(__file__).parents[1]
    files = sorted(package.rglob("*.py"))
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:32]
