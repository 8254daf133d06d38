"""`sop lint --base REF`: what changed since REF (a pull request's target) must raise the version properly.

Each SOP file is compared with the file of the same id and language at REF, so a renamed or moved SOP is
compared with its own past. Files identical to REF are not parsed again. A version bumped without a
`changes` entry is reported by `changes-current-version`, which runs on every lint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soplib.frontmatter import parse_file
from soplib.history import Git
from soplib.library import Library, is_sop_path, split_name
from soplib.lint.rules import RULES
from soplib.model import Finding, Position, Sop
from soplib.project import SOPS_DIR
from soplib.versions import Version, parse_version

# Fields that are not the SOP's content: the version and its entries themselves, and the administrative
# review_by and owner, whose update changes nothing an agent does (a new version for it would make every
# translation stale for nothing).
NOT_CONTENT = frozenset({"version", "changes", "review_by", "owner"})
FITTING_BUMPS = {
    "policy": ("minor", "major"),
    "procedure": ("minor", "major"),
    "clarification": ("patch", "minor"),
    "editorial": ("patch",),
}


@dataclass(frozen=True)
class BaseFile:
    path: str
    meta: dict[str, Any]
    body: str


def check_base(library: Library, git: Git, ref: str) -> list[Finding]:
    commit = git.resolve(ref)
    base, unchanged = _base_files(library, git, commit)
    findings: list[Finding] = []
    for sop in library.sops:
        before = None if sop.path.as_posix() in unchanged else _counterpart(base, sop)
        if before is None:
            continue  # unchanged since REF, or new
        if sop.lang == library.project.source_language:
            findings.extend(_english(sop, before, ref))
        else:
            findings.extend(_translation(sop, before, ref))
    return findings


def _base_files(
    library: Library, git: Git, commit: str
) -> tuple[dict[tuple[str, str], list[BaseFile]], set[str]]:
    """The SOP files at `commit` that differ from the working tree, by (id, language); the paths of those
    that do not."""
    source = library.project.source_language
    tree = {path: blob for path, blob in git.tree(commit).items() if is_sop_path(_relative(path))}
    blobs = git.read_blobs(tree.values())
    changed: dict[tuple[str, str], list[BaseFile]] = {}
    unchanged: set[str] = set()
    for path, blob in tree.items():
        if library.working_bytes(path) == blobs[blob]:
            unchanged.add(path)
            continue
        parsed = parse_file(blobs[blob], path)
        sop_id = parsed.meta.get("id") if parsed.meta else None
        if parsed.meta is None or not isinstance(sop_id, str):
            continue  # nothing to compare with
        lang = split_name(_relative(path).name, source)[1]
        changed.setdefault((sop_id, lang), []).append(BaseFile(path, parsed.meta, parsed.body))
    return changed, unchanged


def _relative(path: str) -> Path:
    return Path(path).relative_to(SOPS_DIR)


def _counterpart(base: dict[tuple[str, str], list[BaseFile]], sop: Sop) -> BaseFile | None:
    candidates = base.get((sop.sop_id or "", sop.lang), [])
    same_path = [c for c in candidates if c.path == sop.path.as_posix()]
    return next(iter(same_path or candidates), None)


def _finding(sop: Sop, rule: str, at: Position, message: str, hint: str) -> Finding:
    return Finding(sop.path.as_posix(), at[0], at[1], RULES[rule].severity, rule, message, hint)


def _english(sop: Sop, before: BaseFile, ref: str) -> Iterator[Finding]:
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


def _what_changed(before: BaseFile, sop: Sop) -> list[str]:
    what = ["the body"] if before.body.strip() != sop.body.strip() else []
    keys = (set(before.meta) | set(sop.meta)) - NOT_CONTENT
    return what + sorted(k for k in keys if before.meta.get(k) != sop.meta.get(k))


def _entries(meta: dict[str, Any]) -> list[dict[str, Any]]:
    changes = meta.get("changes")
    return [c for c in changes if isinstance(c, dict)] if isinstance(changes, list) else []


def _removed_entries(sop: Sop, before: BaseFile, ref: str) -> Iterator[Finding]:
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


def _translation(sop: Sop, before: BaseFile, ref: str) -> Iterator[Finding]:
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
