"""`sop fmt`: rewrite the source forms that lint rejects and a formatter can safely fix, and nothing else.

- content meant for a step but not indented under it (structure-step-content): its lines are indented to
  line up with the step's text, so the step holds it on GitHub and on the site;
- a section heading without the space after its #s (`##Procedure`).

Every fix comes from soplib.core.procedure, which the lint rules ask too. A file that needs no change is
never written; one that cannot be read (broken front matter) is left for lint to explain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from soplib.core import dialect, procedure
from soplib.core.errors import SopError
from soplib.core.model import Sop
from soplib.core.output import with_body, write_file
from soplib.load.library import load_library, selected_files
from soplib.load.project import Project


class NeedsFormatting(SopError):
    """`sop fmt --check` found files to format: exit 1."""

    exit_code = 1


@dataclass(frozen=True)
class Formatted:
    path: str
    fixes: tuple[str, ...]  # what was done, in words
    text: str  # the whole file, formatted


def format_body(
    body: str, first_line: int, procedure_name: str, section_names: list[str]
) -> tuple[str, list[str]]:
    """The body with every fix applied (each one re-parsed, since a fix moves what follows), and the fixes."""
    fixes: list[str] = []
    for _ in range(body.count("\n") + 2):
        document = dialect.parse(body, first_line)
        fixed = _indent_stray(document, procedure_name) or _space_heading(document, section_names)
        if fixed is None:
            break
        body, what = fixed
        fixes.append(what)
    return body, fixes


def _indent_stray(document: dialect.Document, name: str) -> tuple[str, str] | None:
    heading = next((h for h in document.headings if h.top and h.level == 2 and h.text == name), None)
    stray = next(procedure.strays(document, heading), None) if heading else None
    if stray is None:
        return None
    lines = document.lines
    first, last = stray.first - document.first_line, stray.last - document.first_line
    shift = stray.column - (len(lines[first]) - len(lines[first].lstrip(" ")))
    if shift <= 0:
        return None  # indented enough, yet outside the step: not a form this can fix
    for index in range(first, last + 1):
        if lines[index].strip():
            lines[index] = " " * shift + lines[index]
    what = f"line {stray.first}: indented under step {stray.step.number}"
    return "\n".join(lines), what


def _space_heading(document: dialect.Document, names: list[str]) -> tuple[str, str] | None:
    present = {h.text for h in document.headings if h.top}
    for name in names:
        found = procedure.unspaced_heading(document, name) if name not in present else None
        if found is not None:
            line, hashes = found
            lines = document.lines
            index = line - document.first_line
            lines[index] = lines[index].replace(hashes, hashes + " ", 1)
            return "\n".join(lines), f"line {line}: a space after {hashes}"
    return None


def format_file(project: Project, sop: Sop) -> Formatted | None:
    """The file with its body formatted, or None when it needs no change."""
    sections = {section.key: section.names.get(sop.lang, "") for section in project.sections}
    body, fixes = format_body(sop.body, sop.body_line, sections["procedure"], list(sections.values()))
    if not fixes:
        return None
    text = with_body((project.root / sop.path).read_bytes(), sop.body_line, body)
    return Formatted(sop.path.as_posix(), tuple(fixes), text)


def execute(start: Path, paths: Sequence[Path], check: bool) -> str:
    project = Project.discover(start)
    library = load_library(project)
    only = selected_files(project, library.files_read, paths) if paths else None
    changed = [
        formatted
        for sop in library.sops
        if (only is None or sop.path.as_posix() in only) and (formatted := format_file(project, sop))
    ]
    lines = [f"{'would format' if check else 'formatted'} {f.path}: {'; '.join(f.fixes)}" for f in changed]
    if check and changed:
        raise NeedsFormatting("\n".join([*lines, f"{len(changed)} file(s) need `sop fmt`"]))
    for formatted in changed:
        write_file(project.root / formatted.path, formatted.text)
    checked = len(only) if only is not None else len(library.files_read)
    return "\n".join([*lines, f"{checked} file(s) checked, {len(changed)} formatted"]) + "\n"
