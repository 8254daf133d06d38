"""The digest of this code: what a cache made by other code (another release, an edit, another version of a
library the pages are made with) is told apart by."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import sys
from pathlib import Path

# The libraries that read the SOPs and write the pages (the generator's versions are the build's own
# fingerprint, soplib.site.generator.versions).
LIBRARIES = ("Babel", "cmarkgfm", "fastjsonschema", "Markdown", "PyYAML", "selectolax", "snowballstemmer")


@functools.cache
def code_digest() -> str:
    """A digest of every module of soplib (its place and its text), the libraries it makes pages with and
    the Python that runs it."""
    package = Path(__file__).parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{name}=={importlib.metadata.version(name)}\n".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(f"\n{path.relative_to(package).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]
