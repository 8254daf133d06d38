"""Links: relative links to other files and #anchors to headings resolve, as the page will have them."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from soplib.core.dialect import STEP_ANCHOR, Link
from soplib.core.model import Finding, Sop
from soplib.core.procedure import procedure_heading, steps
from soplib.core.state import Lifecycle
from soplib.lint.context import LintContext
from soplib.load.library import split_name

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_external(target: str) -> bool:
    """A link that leaves the library (or an unsafe one: the security rule reports those)."""
    return not target or bool(SCHEME.match(target)) or target.startswith("//")


def check_links(ctx: LintContext) -> Iterator[Finding]:
    by_path = {sop.path.as_posix(): sop for sop in ctx.library.sops}
    for sop in ctx.library.sops:
        for link in sop.document.links:
            if not is_external(link.target):
                yield from _check(ctx, sop, link, by_path)


def _check(ctx: LintContext, sop: Sop, link: Link, by_path: dict[str, Sop]) -> Iterator[Finding]:
    target = unquote(link.target)
    file_part, _, anchor = target.partition("#")
    if file_part.startswith("/"):
        yield ctx.finding(
            sop,
            "link-target",
            sop.document.where(link),
            f"'{target}' is an absolute link",
            "link relative to this file, e.g. ../quality-assurance/fatal-errors.md",
        )
        return
    if not file_part:
        if anchor and anchor not in page_anchors(ctx, sop):
            yield _missing_anchor(ctx, sop, sop, anchor, link)
        return
    resolved = posixpath.normpath(posixpath.join(sop.path.parent.as_posix(), file_part))
    if resolved.startswith("..") or not (ctx.project.root / resolved).exists():
        yield ctx.finding(
            sop,
            "link-target",
            sop.document.where(link),
            f"'{file_part}' does not exist (from {sop.path.parent}/)",
            "check the folder and file name; links to SOPs name the English file (slug.md)",
        )
        return
    target_sop = _in_language(by_path, resolved, sop.lang, ctx.project.source_language)
    if target_sop is not None and _draft(ctx, target_sop) and not _draft(ctx, sop):
        yield ctx.finding(
            sop,
            "link-target",
            sop.document.where(link),
            f"'{file_part}' is a draft: it is not published, so the link would lead nowhere",
            "publish it first (status: active), or link to it later",
        )
        return
    if anchor and target_sop is not None and anchor not in page_anchors(ctx, target_sop):
        yield _missing_anchor(ctx, sop, target_sop, anchor, link)


def page_anchors(ctx: LintContext, sop: Sop) -> set[str]:
    """The anchors the SOP's page has: its headings', and one per step of its procedure (#step-4)."""
    names = next(s.names for s in ctx.project.sections if s.key == "procedure")
    heading = procedure_heading(sop.document, names.get(sop.lang, ""))
    numbers = [top.number for top in steps(sop.document, heading)] if heading else []
    return sop.document.anchors | {STEP_ANCHOR.format(number=n) for n in numbers if n is not None}


def _draft(ctx: LintContext, sop: Sop) -> bool:
    state = ctx.library.state.by_id.get(sop.sop_id or "")
    return state is not None and state.lifecycle is Lifecycle.DRAFT


def _in_language(by_path: dict[str, Sop], resolved: str, lang: str, source: str) -> Sop | None:
    """A link to an SOP lands on the reader's language version where there is one (as on the site)."""
    if not resolved.endswith(".md"):
        return None
    folder, name = posixpath.split(resolved)
    slug, _ = split_name(name, source)
    translated = posixpath.join(folder, f"{slug}.{lang}.md") if lang != source else resolved
    return by_path.get(translated) or by_path.get(resolved)


def _missing_anchor(ctx: LintContext, sop: Sop, target: Sop, anchor: str, link: Link) -> Finding:
    anchors = sorted(target.document.anchors)
    return ctx.finding(
        sop,
        "link-anchor",
        sop.document.where(link),
        f"'#{anchor}' is not a heading or step of {target.path.as_posix()}",
        f"headings there: {', '.join('#' + a for a in anchors[:12])}" if anchors else "",
    )
