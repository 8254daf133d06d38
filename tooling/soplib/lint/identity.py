"""Identity: one id per SOP, the same across its languages, its team code and folder matching `team`."""

from __future__ import annotations

from collections.abc import Iterator

from soplib.core.model import Finding, Sop
from soplib.lint.context import LintContext


def check_identity(ctx: LintContext) -> Iterator[Finding]:
    project, library = ctx.project, ctx.library
    owners: dict[str, str] = {}  # id -> key of the first SOP (in path order) that uses it
    all_ids = {sop.sop_id for sop in library.english() if sop.sop_id}
    for sop in library.sops:
        if sop.lang not in project.languages:
            suffixes = ", ".join(f".{code}.md" for code in project.translation_languages)
            yield ctx.finding(
                sop,
                "id-language-suffix",
                (1, 1),
                f"'.{sop.lang}.md' is not a language of the library",
                f"English files end in .md; translations in {suffixes}",
            )
            continue
        if sop.sop_id is None:
            continue  # the schema reports it
        first = owners.setdefault(sop.sop_id, sop.key)
        if first != sop.key:
            yield ctx.finding(
                sop,
                "id-unique",
                sop.position("id"),
                f"{sop.sop_id} is already the id of sops/{first}.md",
                "ids are never reused: take the next free number of the team",
            )
    for group in library.groups().values():
        english = group.english
        if english is None or english.sop_id is None:
            continue
        for lang, sop in sorted(group.files.items()):
            if lang != project.source_language and sop.sop_id and sop.sop_id != english.sop_id:
                yield ctx.finding(
                    sop,
                    "id-consistent",
                    sop.position("id"),
                    f"id is {sop.sop_id} but the English file has {english.sop_id}",
                    f"set id: {english.sop_id}",
                )
        yield from _team(ctx, english)
        superseded = english.meta.get("superseded_by")
        if isinstance(superseded, str) and superseded not in all_ids:
            yield ctx.finding(
                english,
                "superseded-by-unknown",
                english.position("superseded_by"),
                f"superseded_by: no SOP has the id {superseded}",
                "name the id of the replacing SOP",
            )


def _team(ctx: LintContext, english: Sop) -> Iterator[Finding]:
    team, sop_id = english.meta.get("team"), english.sop_id or ""
    codes = ctx.project.team_codes
    if not isinstance(team, str) or team not in codes:
        return
    code = sop_id.split("-")[1] if sop_id.count("-") == 2 else ""
    if code != codes[team]:
        yield ctx.finding(
            english,
            "id-team-code",
            english.position("id"),
            f"{sop_id}: the team code {code or '?'} is not the code of team '{team}' ({codes[team]})",
            f"ids of {team} SOPs start with SOP-{codes[team]}-",
        )
    if english.folder != team:
        yield ctx.finding(
            english,
            "id-team-folder",
            english.position("team"),
            f"team is '{team}' but the file is in sops/{english.folder}/",
            f"move the SOP (all its languages) to sops/{team}/ or correct `team`",
        )
