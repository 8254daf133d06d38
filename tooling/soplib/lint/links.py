"""Links: relative links to other files and #anchors to headings resolve."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from soplib.library import split_name
from soplib.lint.context import LintContext
from soplib.model import Finding, Sop

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_links(ctx: LintContext) -> Iterator[Finding]:
    by_path = {sop.path.as_posix(): sop for sop in ctx.library.sops}
    root = ctx.project.root
    for sop in ctx.library.sops:
        for link in ctx.body(sop).links:
            target = link.target
            if not target or SCHEME.match(target) or target.startswith("//"):
                continue  # external (or unsafe: the security rule reports those)
            file_part, _, anchor = target.partition("#")
            at = (link.line, link.column)
            if file_part.startswith("/"):
                yield ctx.finding(
                    sop,
                    "link-target",
                    at,
                    f"'{target}' is an absolute link",
                    "link relative to this file, e.g. ../quality-assurance/fatal-errors.md",
                )
                continue
            if not file_part:
                if anchor and anchor not in ctx.body(sop).anchors:
                    yield _missing_anchor(ctx, sop, sop, anchor, at)
                continue
            resolved = posixpath.normpath(posixpath.join(sop.path.parent.as_posix(), unquote(file_part)))
            if resolved.startswith("..") or not (root / resolved).exists():
                yield ctx.finding(
                    sop,
                    "link-target",
                    at,
                    f"'{file_part}' does not exist (from {sop.path.parent}/)",
                    "check the folder and file name; links to SOPs name the English file (slug.md)",
                )
                continue
            target_sop = _in_language(by_path, resolved, sop.lang, ctx.project.source_language)
            if anchor and target_sop is not None and anchor not in ctx.body(target_sop).anchors:
                yield _missing_anchor(ctx, sop, target_sop, anchor, at)


def _in_language(by_path: dict[str, Sop], resolved: str, lang: str, source: str) -> Sop | None:
    """A link to an SOP lands on the reader's language version where there is one (as on the site)."""
    if not resolved.endswith(".md"):
        return None
    folder, name = posixpath.split(resolved)
    slug, _ = split_name(name, source)
    translated = posixpath.join(folder, f"{slug}.{lang}.md") if lang != source else resolved
    return by_path.get(translated) or by_path.get(resolved)


def _missing_anchor(ctx: LintContext, sop: Sop, target: Sop, anchor: str, at: tuple[int, int]) -> Finding:
    anchors = sorted(ctx.body(target).anchors)
    return ctx.finding(
        sop,
        "link-anchor",
        at,
        f"'#{anchor}' is not a heading of {target.path.as_posix()}",
        f"headings there: {', '.join('#' + a for a in anchors[:12])}" if anchors else "",
    )
