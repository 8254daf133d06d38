"""What an SOP must have before it is published (anything but a draft): its own text, not the placeholders
`sop new` wrote; an effective date that is the date of its newest version; the KPIs and tags that let
agents find it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from soplib.core.model import Finding
from soplib.core.state import Lifecycle, SopState
from soplib.lint.context import LintContext

_MARKER = re.compile(r"^\s*(?:\d{1,9}[.)]|[-*+])\s+")


def placeholders(ui: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """The placeholder texts `sop new` writes (translations/ui.yml's new_* strings), by language."""
    found: dict[str, set[str]] = {}
    for key, texts in ui.items():
        if key.startswith("new_") and key != "new_optional":
            for lang, text in texts.items():
                found.setdefault(lang, set()).add(" ".join(text.split()))
    return found


def check_lifecycle(ctx: LintContext) -> Iterator[Finding]:
    written = placeholders(ctx.project.ui)
    for state in ctx.library.state.sops:
        if state.lifecycle is Lifecycle.DRAFT:
            continue
        yield from _effective_date(ctx, state)
        yield from _findable(ctx, state)
        files = [state.english, *(t.file for t in state.translations.values() if t.file is not None)]
        for sop in files:
            mine = written.get(sop.lang, set())  # `sop new` writes each file's own language
            if not any(text in sop.body for text in mine):
                continue  # lines are looked at only in a body that holds a placeholder somewhere
            for offset, line in enumerate(sop.body.split("\n")):
                if " ".join(_MARKER.sub("", line).split()) in mine:
                    yield ctx.finding(
                        sop,
                        "placeholder-text",
                        (sop.body_line + offset, 1),
                        f"placeholder text from `sop new` in a {state.lifecycle.value} SOP",
                        "write the section's own text, or keep `status: draft` until it is written",
                    )


def _effective_date(ctx: LintContext, state: SopState) -> Iterator[Finding]:
    meta, top = state.english.meta, state.changes[0] if state.changes else None
    effective = meta.get("effective_date")
    if top is None or top.version != state.version or not isinstance(effective, str) or effective == top.date:
        return  # no entry for the version in force (changes-current-version says so), or they agree
    yield ctx.finding(
        state.english,
        "effective-date",
        state.english.position("effective_date"),
        f"effective_date {effective} is not the date of version {top.version}'s `changes` entry ({top.date})",
        f"set effective_date: {top.date}, or correct the entry's date: the version takes effect once",
    )


def _findable(ctx: LintContext, state: SopState) -> Iterator[Finding]:
    if state.lifecycle is not Lifecycle.ACTIVE:
        return
    for field, why in (("kpis", "the KPIs it moves"), ("tags", "words agents search with")):
        if not state.english.meta.get(field):
            yield ctx.finding(
                state.english,
                "metadata-empty",
                state.english.position(field),
                f"an active SOP with no {field}",
                f"list {why}: the site's search and browse pages use them",
            )
