"""Review dates and change entries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from soplib.core.model import Finding, Sop
from soplib.core.versions import parse_version
from soplib.lint.context import LintContext


def check_review(ctx: LintContext) -> Iterator[Finding]:
    for sop in ctx.library.english():
        review_by = sop.meta.get("review_by")
        try:
            due = date.fromisoformat(review_by) if isinstance(review_by, str) else None
        except ValueError:
            due = None  # the schema reports a malformed date
        if due is not None and due < ctx.today and sop.meta.get("status") not in ("retired", "deprecated"):
            yield ctx.finding(
                sop,
                "review-overdue",
                sop.position("review_by"),
                f"review_by {review_by} is past (today is {ctx.today.isoformat()})",
                "review the SOP with its owner, then set the next review_by",
            )
        changes = sop.meta.get("changes")
        if not isinstance(changes, list) or not changes or not all(isinstance(c, dict) for c in changes):
            continue  # the schema reports it
        version = sop.meta.get("version")
        if changes[0].get("version") != version:
            yield ctx.finding(
                sop,
                "changes-current-version",
                sop.position("changes", 0),
                f"the first `changes` entry is {changes[0].get('version')}, but version is {version}",
                f"add an entry for {version} at the top of `changes` (newest first)",
            )
        yield from _order(ctx, sop, changes)


def _order(ctx: LintContext, sop: Sop, changes: list[dict[str, Any]]) -> Iterator[Finding]:
    for index in range(1, len(changes)):
        newer, older = changes[index - 1], changes[index]
        newer_v, older_v = parse_version(newer.get("version")), parse_version(older.get("version"))
        if newer_v and older_v and newer_v <= older_v:
            yield ctx.finding(
                sop,
                "changes-order",
                sop.position("changes", index, "version"),
                f"changes: {older.get('version')} is listed after {newer.get('version')}",
                "list the entries newest first, each version once",
            )
        elif (
            isinstance(newer.get("date"), str)
            and isinstance(older.get("date"), str)
            and newer["date"] < older["date"]
        ):
            yield ctx.finding(
                sop,
                "changes-order",
                sop.position("changes", index, "date"),
                f"changes: {older.get('version')} is dated {older['date']}, after the newer "
                f"{newer.get('version')} ({newer['date']})",
                "check the dates: newest entry first",
            )
