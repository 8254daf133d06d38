"""`sop lint --base REF`: what changed since REF (a pull request's target) must raise the version properly.

Each SOP file is compared with the file of the same id and language at REF, so a renamed or moved SOP is
compared with its own past. Files identical to REF are not parsed again. A version bumped without a
`changes` entry is reported by `changes-current-version`, which runs on every lint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from soplib.core.changes import read_changes
from soplib.core.model import Finding, Position, Sop
from soplib.core.versions import Version, parse_version
from soplib.diff.blocks import parse_body, section_names
from soplib.diff.compare import changed_figures, compare_sections
from soplib.lint.rules import RULES
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.repo.baseline import Baseline

# Fields that are not the SOP's content: the version and its entries themselves, the administrative
# review_by and owner, and the words search finds it by (aliases), whose update changes nothing an agent does
# (a new version for it would make every translation stale for nothing).
NOT_CONTENT = frozenset({"version", "changes", "review_by", "owner", "aliases"})
FITTING_BUMPS = {
    "policy": ("minor", "major"),
    "procedure": ("minor", "major"),
    "clarification": ("patch", "minor"),
    "editorial": ("patch",),
}


def check_base(library: Library, base: Baseline) -> list[Finding]:
    """What changed since the base must raise the version properly; each file against its own past."""
    findings: list[Finding] = []
    for sop in library.sops:
        before = None if sop.path.as_posix() in base.unchanged else base.counterpart(sop)
        if before is None:
            continue  # unchanged since the base, or new
        if sop.lang == library.project.source_language:
            findings.extend(_english(sop, before, base.ref, library.project))
        else:
            findings.extend(_translation(sop, before, base.ref))
    return findings


def _finding(sop: Sop, rule: str, at: Position, message: str, hint: str) -> Finding:
    return Finding(sop.path.as_posix(), at[0], at[1], RULES[rule].severity, rule, message, hint)


def _english(sop: Sop, before: Sop, ref: str, project: Project) -> Iterator[Finding]:
    old, new = parse_version(before.meta.get("version")), parse_version(sop.meta.get("version"))
    if old is None or new is None:
        return  # the schema reports a malformed version
    at = sop.position("version")
    if new < old:
        yield _finding(
            sop,
            "version-decreased",
            at,
            f"version went down since {ref}: from {before.meta['version']} to {sop.meta['version']}",
            f"versions only go up: set a version above {before.meta['version']}",
        )
    elif new == old:
        what = _what_changed(before, sop)
        if what:
            yield _finding(
                sop,
                "version-not-bumped",
                at,
                f"changed since {ref} ({', '.join(what)}), but version is still {sop.meta['version']}",
                f"raise version ({_bump(new, 'patch')} for an editorial fix or clarification, "
                f"{_bump(new, 'minor')} for a procedure or policy change) and add its `changes` entry on top",
            )
    else:
        yield from _removed_entries(sop, before, ref)
        yield from _bump_types(sop, old)
        yield from _figures_in_wording(sop, before, project)


def _what_changed(before: Sop, sop: Sop) -> list[str]:
    what = ["the body"] if before.body.strip() != sop.body.strip() else []
    keys = (set(before.meta) | set(sop.meta)) - NOT_CONTENT
    return what + sorted(k for k in keys if before.meta.get(k) != sop.meta.get(k))


def _entries(meta: dict[str, Any]) -> list[dict[str, Any]]:
    changes = meta.get("changes")
    return [c for c in changes if isinstance(c, dict)] if isinstance(changes, list) else []


def _removed_entries(sop: Sop, before: Sop, ref: str) -> Iterator[Finding]:
    now = {c.get("version") for c in _entries(sop.meta)}
    for entry in _entries(before.meta):
        if entry.get("version") not in now:
            yield _finding(
                sop,
                "changes-entry-removed",
                sop.position("changes"),
                f"the `changes` entry for {entry.get('version')} (there at {ref}) is gone",
                f"keep every earlier entry as it was; add a new entry for {sop.meta['version']} on top",
            )


def _bump_types(sop: Sop, old: Version) -> Iterator[Finding]:
    """Each entry added since REF, oldest first, against the version before it."""
    added = [
        (index, entry, version)
        for index, entry in enumerate(_entries(sop.meta))
        if (version := parse_version(entry.get("version"))) and version > old
    ]
    previous = old
    for index, entry, version in sorted(added, key=lambda item: item[2]):
        kind, fitting = _kind(previous, version), FITTING_BUMPS.get(str(entry.get("type")))
        if fitting and kind not in fitting:
            shown = ".".join(map(str, previous))
            yield _finding(
                sop,
                "change-type-bump",
                sop.position("changes", index, "type"),
                f"{entry['type']} change {entry.get('version')} is a {kind} bump from {shown}",
                _bump_hint(str(entry["type"]), previous),
            )
        previous = version


def _kind(old: Version, new: Version) -> str:
    return "major" if new[0] != old[0] else "minor" if new[1] != old[1] else "patch"


def _bump(version: Version, kind: str) -> str:
    major, minor, patch = version
    bumped = {"major": (major + 1, 0, 0), "minor": (major, minor + 1, 0), "patch": (major, minor, patch + 1)}
    return ".".join(map(str, bumped[kind]))


def _bump_hint(kind: str, previous: Version) -> str:
    if kind == "editorial":
        return (
            f"an editorial fix raises the patch version ({_bump(previous, 'patch')}); if agents must do "
            "something differently, the type is procedure or policy"
        )
    if kind == "clarification":
        return (
            f"a clarification raises the patch or minor version ({_bump(previous, 'patch')} or "
            f"{_bump(previous, 'minor')})"
        )
    return (
        f"a {kind} change raises the minor or major version ({_bump(previous, 'minor')} or "
        f"{_bump(previous, 'major')}); if nothing changes for agents, the type is editorial or clarification"
    )


def _figures_in_wording(sop: Sop, before: Sop, project: Project) -> Iterator[Finding]:
    """Numbers or time limits that changed since the base while every version added since only rewords
    (editorial, clarification): agents, trainers and translators would not be told."""
    old = parse_version(before.meta.get("version"))
    added = [change for change in read_changes(sop.meta) if old is not None and change.number > old]
    if not added or any(change.of_meaning for change in added):
        return
    names = section_names({section.key: section.names for section in project.sections})
    figures = changed_figures(compare_sections(parse_body(before.body, names), parse_body(sop.body, names)))
    if not figures:
        return
    changed = "; ".join(
        f"{figure.old} -> {figure.new}" + (f" (step {figure.step})" if figure.step else "")
        for figure in figures
    )
    top = added[0]
    index = next(i for i, entry in enumerate(sop.meta["changes"]) if entry.get("version") == top.version)
    yield _finding(
        sop,
        "change-type-figures",
        sop.position("changes", index, "type"),
        f"{changed}: an {top.type} change does not change numbers or time limits",
        "use procedure or policy, so that translators, trainers and agents are told",
    )


def _translation(sop: Sop, before: Sop, ref: str) -> Iterator[Finding]:
    # Whether source_version names an English version that exists is `translation-source-version`,
    # checked for every translation on every lint.
    old, new = parse_version(before.meta.get("source_version")), parse_version(sop.meta.get("source_version"))
    if old and new and new < old:
        yield _finding(
            sop,
            "translation-source-decreased",
            sop.position("source_version"),
            f"source_version went down since {ref}: from {before.meta['source_version']} to "
            f"{sop.meta['source_version']}",
            "set source_version to the English version this text now translates",
        )
