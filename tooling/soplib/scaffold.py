"""`sop new --team … --title …`: a new SOP in every language, ready for its SME to fill in.

The id is the team's next free number, counting the ids in the git history too (ids are never reused,
even those of deleted SOPs). The front matter passes `sop lint` as it is: the SOP starts as a draft at
1.0.0, owned by the owner most of the team's SOPs have, for every region, with comments that list the
allowed values. The body has the required sections in the file's language, with a placeholder to
replace, and marks where each optional section goes. An existing file is never overwritten.
"""

from __future__ import annotations

import calendar
import json
import os
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from soplib.core.errors import SopError
from soplib.core.invisible import first_unseen, name
from soplib.core.output import refuse_links, write_file
from soplib.load.library import Library, load_library, sop_file_name
from soplib.load.project import SOPS_DIR, Project
from soplib.repo.history import optional_history

FIRST_VERSION = "1.0.0"
REVIEW_MONTHS = 6  # the SOP review cycle: at most 6 months when agents follow the SOP
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_title(project: Project, title: str) -> str:
    title = " ".join(title.split())
    unseen = first_unseen(title)
    if unseen is not None:
        raise SopError(
            f"--title: {name(unseen[1])} at character {unseen[0] + 1}: delete this unseen character"
        )
    limits = project.sop_schema["$defs"]["title"]
    low, high = limits.get("minLength", 1), limits.get("maxLength", 200)
    if not low <= len(title) <= high:
        raise SopError(f"--title: {len(title)} characters; a title has {low} to {high}")
    return title


def make_slug(title: str, given: str | None) -> str:
    """The file name: --slug as given, or the title in lower-case ASCII words joined by hyphens."""
    if given is not None:
        if not _SLUG.match(given):
            raise SopError(f"--slug {given!r}: use lower-case letters, digits and hyphens, e.g. damaged-item")
        return given
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_title)
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    if not slug:
        raise SopError(f"cannot make a file name from the title {title!r}: give one with --slug")
    return slug


def team_owner(project: Project, library: Library, team: str, given: str | None) -> str:
    """--owner, or the owner most of the team's SOPs have."""
    pattern = re.compile(project.sop_schema["$defs"]["english"]["properties"]["owner"]["pattern"])
    if given is not None:
        if not pattern.match(given):
            raise SopError(f"--owner {given!r}: give a GitHub user (@name) or team (@org/team)")
        return given
    owners: Counter[str] = Counter(
        str(sop.meta["owner"])
        for sop in library.english()
        if sop.meta.get("team") == team and isinstance(sop.meta.get("owner"), str)
    )
    if not owners:
        raise SopError(f"no SOP of team {team} has an owner yet to copy: give one with --owner @org/team")
    return sorted(owners.items(), key=lambda item: (-item[1], item[0]))[0][0]


def next_id(code: str, used: set[str]) -> str:
    numbers = [int(m[1]) for sop_id in used if (m := re.fullmatch(rf"SOP-{code}-(\d{{3}})", sop_id))]
    number = max(numbers, default=0) + 1
    if number > 999:
        raise SopError(f"team code {code} has used every id up to SOP-{code}-999")
    return f"SOP-{code}-{number:03d}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _scalar(text: str) -> str:
    """`text` as a YAML value: plain where YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(f"key: {text}") if "#" not in text else None
    except yaml.YAMLError:
        plain = None
    return (
        text if isinstance(plain, dict) and plain.get("key") == text else json.dumps(text, ensure_ascii=False)
    )


def english_front_matter(
    project: Project, sop_id: str, team: str, title: str, owner: str, today: date
) -> str:
    allowed = project.allowed_values
    day = today.isoformat()
    return "\n".join(
        [
            "---",
            f"id: {sop_id}",
            f"title: {_scalar(title)}",
            f"version: {FIRST_VERSION}",
            "status: draft  # draft until it is published: then active",
            f"team: {team}",
            f"owner: {json.dumps(owner)}  # the GitHub team that approves every change",
            f"regions: [{', '.join(allowed('region'))}]  # where it applies: {', '.join(allowed('region'))}",
            f"audience: [agent]  # who follows it: {', '.join(allowed('audience'))}",
            f"kpis: []  # the KPIs it moves: {', '.join(allowed('kpi'))}",
            f"effective_date: {day}",
            f"review_by: {_add_months(today, REVIEW_MONTHS)}  # at most 6 months after effective_date when "
            "agents follow it, else 12",
            "tags: []  # lower-case words that help search, e.g. [refunds, evidence]",
            "changes:",
            f"  - version: {FIRST_VERSION}",
            f"    date: {day}",
            "    type: policy",
            "    summary: First version.",
            "---",
        ]
    )


def translation_front_matter(sop_id: str, title: str) -> str:
    return "\n".join(
        [
            "---",
            f"id: {sop_id}",
            "# Translate the title and the text; source_version is the English version this file translates.",
            f"title: {_scalar(title)}",
            f"source_version: {FIRST_VERSION}",
            "---",
        ]
    )


def body(project: Project, lang: str) -> str:
    """The sections in order: each required one with its placeholder, each optional one as a comment."""
    parts = []
    for section in project.sections:
        name = section.names[lang]
        if not section.required:
            parts.append(f"<!-- {project.text('new_optional', lang, name=name)} -->")
        elif section.key == "procedure":
            first, then = project.text("new_procedure_first", lang), project.text("new_procedure_next", lang)
            parts.append(f"## {name}\n\n1. {first}\n2. {then}")
        else:
            key = f"new_{section.key.replace('-', '_')}"
            parts.append(f"## {name}\n\n{project.text(key if key in project.ui else 'new_section', lang)}")
    return "\n\n".join(parts) + "\n"


def scaffold(
    project: Project, sop_id: str, team: str, title: str, slug: str, owner: str, today: date
) -> dict[str, str]:
    """Path (relative to the library) -> text, for every language."""
    files = {}
    for lang in project.languages:
        path = f"{SOPS_DIR}/{team}/{sop_file_name(slug, lang, project.source_language)}"
        top = (
            english_front_matter(project, sop_id, team, title, owner, today)
            if lang == project.source_language
            else translation_front_matter(sop_id, title)
        )
        files[path] = f"{top}\n\n{body(project, lang)}"
    return files


def write_new(root: Path, files: dict[str, str]) -> None:
    """Create every file or none; an existing file (or link) stops everything before anything is written.
    Each file appears whole (the one writer, without replacing), so a failure leaves no half file."""
    for path in files:
        refuse_links(root, root / path)
        if os.path.lexists(root / path):
            raise SopError(
                f"{path} already exists; `sop new` never overwrites a file: choose another title or --slug"
            )
    written: list[Path] = []
    try:
        for path, text in files.items():
            target = root / path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise SopError(f"{target.parent}: cannot create the folder: {error.strerror}") from None
            write_file(target, text, replace=False)
            written.append(target)
    except SopError:
        for target in written:
            target.unlink(missing_ok=True)
        raise


def execute(start: Path, team: str, title: str, slug: str | None, owner: str | None, today: date) -> str:
    project = Project.discover(start)
    library = load_library(project)
    team = project.resolve_team(team)
    title = check_title(project, title)
    owner = team_owner(project, library, team, owner)
    history = optional_history(project)
    used = {sop.sop_id for sop in library.sops if sop.sop_id} | (history.ids() if history else set())
    sop_id = next_id(project.team_codes[team], used)
    files = scaffold(project, sop_id, team, title, make_slug(title, slug), owner, today)
    write_new(project.root, files)
    lines = [f'Created {sop_id} "{title}" ({team}, draft, version {FIRST_VERSION}):']
    lines += [f"  {path}" for path in files]
    lines += [
        "Next:",
        "  1. In the English file, check owner, regions, audience, kpis, tags and review_by.",
        "  2. Replace the placeholder text of every section; have the translations written.",
        f"  3. Run `sop lint {SOPS_DIR}/{team}`, and `sop owners` (the new files need CODEOWNERS lines).",
    ]
    if history is None:
        lines.append(
            f"Note: no full git history here, so ids of SOPs deleted in the past are unknown: check that "
            f"{sop_id} was never used before."
        )
    return "\n".join(lines) + "\n"
