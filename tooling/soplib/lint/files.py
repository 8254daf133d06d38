"""What is under sops/ besides SOPs: links (never followed), files the site leaves out, attachments whose
content is not what their name says. The site publishes sops/ as it is, so these are checked before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from soplib.core.model import Finding
from soplib.lint.context import LintContext
from soplib.load.library import ATTACHMENTS, FileKind, read_no_follow

_KINDS = ", ".join(sorted({suffix.lstrip(".") for suffix in ATTACHMENTS}))


def check_files(ctx: LintContext) -> Iterator[Finding]:
    root = ctx.project.root
    for path, kind in ctx.library.files.items():
        shown = path.as_posix()
        if kind is FileKind.LINK:
            yield ctx.finding(
                shown,
                "file-symlink",
                (1, 1),
                "a symbolic link: it could publish a file from outside the library, so it is not read or "
                "published",
                "put the file itself here (git add the real file), or remove the link",
            )
        elif kind is FileKind.OTHER:
            yield ctx.finding(
                shown,
                "file-not-published",
                (1, 1),
                f"this file is not published: the site takes only SOPs (.md) and {_KINDS} files from sops/",
                "remove it, or save it in one of those formats (an SVG image as PNG)",
            )
        elif kind is FileKind.ATTACHMENT and not _content_fits(root / path):
            yield ctx.finding(
                shown,
                "attachment-content",
                (1, 1),
                f"the content is not a {path.suffix.lstrip('.').upper()} file, as its name says",
                "save the file again in the format its name says, or rename it to its real format",
            )


def _content_fits(path: Path) -> bool:
    try:
        head = read_no_follow(path, 16)
    except OSError:
        return False
    return ATTACHMENTS[path.suffix.lower()].match(head) is not None
