"""Releases of the tooling itself (not of the SOPs): the tag, pyproject.toml's version and CHANGELOG.md agree.

`make release TAG=vX.Y.Z` (the release workflow, on a pushed tag) runs `python -m soplib.release TAG`,
which prints the notes of that version from CHANGELOG.md, then gives them to `gh release create`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from soplib.core.errors import SopError

# Keep a Changelog: "## [0.2.0] - 2026-11-29"; "## [Unreleased]" has no version
_HEADING = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\]", re.MULTILINE)


def versions(changelog: str) -> list[str]:
    """The released versions in CHANGELOG.md, newest first."""
    return _HEADING.findall(changelog)


def notes(changelog: str, version: str) -> str:
    """The text under the heading of `version`, up to the next heading of the same level."""
    found = next((m for m in _HEADING.finditer(changelog) if m["version"] == version), None)
    if found is None:
        raise SopError(f"CHANGELOG.md has no section for {version}: add '## [{version}] - YYYY-MM-DD'")
    start = changelog.find("\n", found.end()) + 1 or len(changelog)  # after the heading's line
    end = changelog.find("\n## ", start)
    return changelog[start : end if end >= 0 else len(changelog)].strip() + "\n"


def project_version(root: Path) -> str:
    version: str = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    return version


def release_notes(root: Path, tag: str) -> str:
    """The notes of the release `tag`, once the tag is checked against pyproject.toml's version."""
    version = project_version(root)
    if tag != f"v{version}":
        raise SopError(
            f"the tag {tag} is not the version in pyproject.toml ({version}): release it as v{version}, "
            "or change the version there and in CHANGELOG.md"
        )
    return notes((root / "CHANGELOG.md").read_text(encoding="utf-8"), version)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m soplib.release vX.Y.Z", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(release_notes(Path.cwd(), argv[0]))
    except SopError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
