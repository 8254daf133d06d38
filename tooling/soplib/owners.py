"""`sop owners`: .github/CODEOWNERS from the `owner` field of every SOP, for its file and its translations.

GitHub then asks the owner team to review every pull request that touches one of its SOPs. The generated
lines sit between two marker comments; anything written by hand above or below them is kept (a fallback
owner for the tooling, say), so regenerating never loses a line someone wrote.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from soplib.core.errors import SopError
from soplib.core.output import refuse_links, write_file
from soplib.load.library import Library, load_library, sop_file_name
from soplib.load.project import SOPS_DIR, Project

CODEOWNERS = ".github/CODEOWNERS"
BEGIN = "# BEGIN sop owners: generated from the `owner` field of each SOP; regenerate with `sop owners`"
END = "# END sop owners"
PREAMBLE = (  # written once, when the file is created
    "# GitHub asks these owners to review every pull request that changes their files.\n"
    "# The block below is written by `sop owners`; lines outside it are kept as they are written.\n\n"
)
_SPECIAL = re.compile(r"([\\ #*?\[\]!])")  # characters that CODEOWNERS (gitignore) patterns would read


class OutOfDate(SopError):
    """`sop owners --check` found the committed file different from what the SOPs say: exit 1."""

    exit_code = 1


def owner_lines(library: Library) -> list[str]:
    """One `/path owner` line per SOP file and per translation it has or should have, in path order."""
    project = library.project
    pattern = re.compile(project.sop_schema["$defs"]["english"]["properties"]["owner"]["pattern"])
    lines, problems = [], []
    for _, group in sorted(library.groups().items()):
        english = group.english
        if english is None:
            continue  # a translation without its English SOP: `sop lint` reports it
        owner = english.meta.get("owner")
        if not isinstance(owner, str) or not pattern.match(owner):
            problems.append(f"{english.path.as_posix()}: `owner` is {owner!r}")
            continue
        wanted = english.meta.get("languages")
        wanted = wanted if isinstance(wanted, list) else project.languages
        for lang in project.languages:
            if lang in wanted or lang in group.files:
                name = sop_file_name(english.slug, lang, project.source_language)
                escaped = _SPECIAL.sub(r"\\\1", f"{SOPS_DIR}/{english.folder}/{name}")
                lines.append(f"/{escaped} {owner}")
    if problems:
        raise SopError(
            "cannot write CODEOWNERS: these SOPs have no valid owner (a GitHub user @name or team "
            "@org/team):\n  " + "\n  ".join(problems) + "\nFix them (`sop lint` shows where), then run "
            "`sop owners` again"
        )
    return lines


def render(lines: list[str], existing: str | None) -> str:
    """The whole file: the hand-written text around the markers as it was, the generated block between."""
    block = "\n".join([BEGIN, *lines, END])
    start, end = (existing.find(BEGIN), existing.find(END)) if existing else (-1, -1)
    if existing is None or not existing.strip():
        return PREAMBLE + block + "\n"
    if start == -1 or end < start:
        return existing.rstrip("\n") + "\n\n" + block + "\n"
    return existing[:start] + block + existing[end + len(END) :]


def _read(path: Path) -> str | None:
    if path.is_dir():
        raise SopError(f"{CODEOWNERS} is a folder; it must be a file")
    try:
        return path.read_text(encoding="utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as error:
        raise SopError(f"{CODEOWNERS}: cannot read: {error}") from None


def _summary(lines: list[str]) -> str:
    owners = {line.rsplit(" ", 1)[1] for line in lines}
    return f"{len(lines)} files, {len(owners)} owners"


def execute(start: Path, check: bool) -> str:
    """Write .github/CODEOWNERS, or with `check` say whether the file on disk is up to date."""
    project = Project.discover(start)
    lines = owner_lines(load_library(project))
    target = project.root / CODEOWNERS
    refuse_links(project.root, target)  # a linked CODEOWNERS would be read into the file, then written
    existing = _read(target)
    wanted = render(lines, existing)
    if existing == wanted:
        return f"{CODEOWNERS} is up to date ({_summary(lines)})"
    if check:
        raise OutOfDate(_stale_message(existing, wanted))
    _write(target, wanted)
    return f"Wrote {CODEOWNERS} ({_summary(lines)})"


def _stale_message(existing: str | None, wanted: str) -> str:
    if existing is None:
        return f"{CODEOWNERS} does not exist. Create it with `sop owners` and commit it."
    diff = list(
        difflib.unified_diff(
            existing.splitlines(), wanted.splitlines(), "committed", "from the SOPs", n=0, lineterm=""
        )
    )
    shown = diff[:30] + ([f"... and {len(diff) - 30} more lines"] if len(diff) > 30 else [])
    return (
        f"{CODEOWNERS} is out of date with the `owner` fields of the SOPs:\n"
        + "\n".join(shown)
        + f"\nRegenerate it with `sop owners` and commit {CODEOWNERS}."
    )


def _write(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(exist_ok=True)
    except OSError as error:
        raise SopError(f"{target.parent}: cannot create the folder: {error.strerror}") from None
    write_file(target, text)
