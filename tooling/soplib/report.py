"""`sop report --base REF`: what a change does to each SOP, for the reviewers of a pull request.

SOPs touched (added, changed, moved, removed), version bumps, the change entries added, front-matter
fields changed, and the translations that the change leaves behind English. Files are matched by the id
in their front matter, so a moved SOP is compared with its own past, as `sop lint --base` does. The
working tree is compared with REF, so the report also works locally before a commit.

The word-level diff of each SOP is not made here: `ShortDiff` is the seam where it plugs in (see
`no_diff`); the Markdown puts it under each SOP, the JSON in its `diff` field.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from soplib.frontmatter import parse_file
from soplib.github import GitHub, fit, upsert_comment
from soplib.history import Git
from soplib.library import Library, is_sop_path, load_library, split_name
from soplib.lint.base import NOT_CONTENT
from soplib.project import SOPS_DIR, Project
from soplib.versions import parse_version

MARKER = "<!-- sop-report -->"  # first line of the pull-request comment: how the workflow finds it again

# The seam for the short word-level diff of one SOP (`sop diff`, built separately): given the SOP id and
# its English file's text at the base and now (None where the file did not or does not exist), the diff
# as Markdown, or None for no diff. `execute` passes soplib.diff's short_diff_markdown.
ShortDiff = Callable[[str, str | None, str | None], str | None]


def no_diff(sop_id: str, before: str | None, after: str | None) -> str | None:
    return None


@dataclass(frozen=True)
class Side:
    """One language file of one SOP, at the base or now."""

    path: str
    meta: dict[str, Any]
    body: str
    text: str


@dataclass(frozen=True)
class FileChange:
    lang: str
    change: str  # added | changed | moved | removed | unreadable
    path: str  # now, or at the base when removed
    old_path: str | None = None  # at the base, when moved

    def as_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "change": self.change, "path": self.path, "old_path": self.old_path}


@dataclass(frozen=True)
class TranslationChange:
    lang: str
    path: str
    # current | added or updated (now current) | behind (added or updated, still behind) | made-stale (was
    # current, English moved on) | still-stale | missing | removed | unreadable | invalid
    state: str
    before: str | None  # source_version at the base
    after: str | None  # source_version now

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "path": self.path,
            "state": self.state,
            "source_version_before": self.before,
            "source_version_after": self.after,
        }


@dataclass(frozen=True)
class SopChange:
    sop_id: str
    title: str
    path: str  # the English file now, or at the base when removed
    owner: str | None
    kind: str  # added | changed | removed | unreadable (there, but its front matter cannot be read)
    version_before: str | None
    version_after: str | None
    bump: str | None  # major | minor | patch | down | None (same version, or added or removed)
    content_changed: list[str]  # what changed in the English content: "the body" and field names
    entries: list[dict[str, Any]]  # `changes` entries added, newest first
    fields: list[tuple[str, Any, Any]]  # English front-matter fields changed: name, before, after
    files: list[FileChange]
    translations: list[TranslationChange]
    english_before: str | None = field(default=None, repr=False)  # the English file's text, for the diff
    english_after: str | None = field(default=None, repr=False)
    diff: str | None = None  # the short word-level diff (see ShortDiff)

    @property
    def version_not_raised(self) -> bool:
        return self.kind == "changed" and bool(self.content_changed) and self.bump is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.sop_id,
            "title": self.title,
            "path": self.path,
            "owner": self.owner,
            "kind": self.kind,
            "version_before": self.version_before,
            "version_after": self.version_after,
            "bump": self.bump,
            "version_not_raised": self.version_not_raised,
            "content_changed": self.content_changed,
            "entries": self.entries,
            "fields": [{"field": k, "before": b, "after": a} for k, b, a in self.fields],
            "files": [f.as_dict() for f in self.files],
            "translations": [t.as_dict() for t in self.translations],
            "diff": self.diff,
        }


@dataclass(frozen=True)
class Report:
    base: str  # as given
    commit: str
    sops: list[SopChange]

    @property
    def made_stale(self) -> list[tuple[SopChange, TranslationChange]]:
        return [(s, t) for s in self.sops for t in s.translations if t.state == "made-stale"]


# -- compare -----------------------------------------------------------------------------------------
Key = tuple[str, str]  # (SOP id, language)


def build_report(library: Library, git: Git, base: str, short_diff: ShortDiff = no_diff) -> Report:
    commit = git.resolve(base)
    before, unchanged = _base_sides(library, git, commit)
    now = {
        (sop.sop_id, sop.lang): Side(sop.path.as_posix(), sop.meta, sop.body, "")
        for sop in library.sops
        if sop.sop_id
    }
    # files there now that cannot be read (broken front matter): `sop lint` says why; not "removed"
    broken = set(library.files_read) - {side.path for side in now.values()}
    files = _file_changes(before, now, unchanged, broken)
    touched = sorted({sop_id for sop_id, _ in files})
    changes = []
    for sop_id in touched:
        # a file unchanged since the base is its own past
        past = {
            lang: before.get((sop_id, lang)) or now.get((sop_id, lang)) for lang in library.project.languages
        }
        for (changed_id, lang), file in files.items():
            if changed_id == sop_id and file.change == "added":
                past[lang] = None
        present = {lang: now.get((sop_id, lang)) for lang in library.project.languages}
        change = _sop_change(sop_id, past, present, files, library.project, broken)
        changes.append(replace(change, diff=short_diff(sop_id, change.english_before, change.english_after)))
    return Report(base, commit, changes)


def _base_sides(library: Library, git: Git, commit: str) -> tuple[dict[Key, Side], set[str]]:
    """The SOP files at `commit` that differ from the working tree, by (id, language); the paths of the
    ones that are the same."""
    source = library.project.source_language
    tree = {
        path: blob for path, blob in git.tree(commit).items() if is_sop_path(Path(path).relative_to(SOPS_DIR))
    }
    blobs = git.read_blobs(tree.values())
    sides: dict[Key, Side] = {}
    unchanged: set[str] = set()
    for path, blob in sorted(tree.items()):
        raw = blobs[blob]
        if library.working_bytes(path) == raw:
            unchanged.add(path)
            continue
        parsed = parse_file(raw, path)
        sop_id = parsed.meta.get("id") if parsed.meta else None
        if parsed.meta is None or not isinstance(sop_id, str):
            continue  # unreadable at the base: nothing to compare with
        lang = split_name(Path(path).name, source)[1]
        text = raw.decode("utf-8", "replace")
        sides.setdefault((sop_id, lang), Side(path, parsed.meta, parsed.body, text))
    return sides, unchanged


def _file_changes(
    before: dict[Key, Side], now: dict[Key, Side], unchanged: set[str], broken: set[str]
) -> dict[Key, FileChange]:
    changes: dict[Key, FileChange] = {}
    for key, side in now.items():
        if side.path in unchanged:
            continue
        past = before.get(key)
        if past is None:
            changes[key] = FileChange(key[1], "added", side.path)
        elif past.path != side.path:
            changes[key] = FileChange(key[1], "moved", side.path, past.path)
        else:
            changes[key] = FileChange(key[1], "changed", side.path)
    for key, side in before.items():
        if key not in now:
            changes[key] = FileChange(key[1], "unreadable" if side.path in broken else "removed", side.path)
    return changes


def _sop_change(
    sop_id: str,
    past: dict[str, Side | None],
    present: dict[str, Side | None],
    files: dict[Key, FileChange],
    project: Project,
    broken: set[str],
) -> SopChange:
    old, new = past.get(project.source_language), present.get(project.source_language)
    shown = new or old
    meta = shown.meta if shown else {}
    kind = "added" if old is None and new else "removed" if new is None else "changed"
    if new is None and old is not None and old.path in broken:
        kind = "unreadable"
    version_before = _text(old.meta.get("version")) if old else None
    version_after = _text(new.meta.get("version")) if new else None
    english_text = (project.root / new.path).read_text(encoding="utf-8", errors="replace") if new else None
    return SopChange(
        sop_id,
        _text(meta.get("title")) or sop_id,
        shown.path if shown else "",
        _text(meta.get("owner")),
        kind,
        version_before,
        version_after,
        _bump(version_before, version_after),
        _content_changed(old, new),
        _added_entries(old, new),
        _fields(old, new),
        [
            f
            for (i, _), f in sorted(files.items(), key=lambda item: _lang_rank(item[0][1], project))
            if i == sop_id
        ],
        _translations(past, present, version_before, version_after, new, project, broken) if new else [],
        old.text if old else None,
        english_text,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _lang_rank(lang: str, project: Project) -> int:
    return project.languages.index(lang) if lang in project.languages else len(project.languages)


def _bump(before: str | None, after: str | None) -> str | None:
    old, new = parse_version(before), parse_version(after)
    if old is None or new is None or old == new:
        return None
    if new < old:
        return "down"
    return "major" if new[0] != old[0] else "minor" if new[1] != old[1] else "patch"


def _content_changed(old: Side | None, new: Side | None) -> list[str]:
    if old is None or new is None:
        return []
    what = ["the body"] if old.body.strip() != new.body.strip() else []
    keys = (set(old.meta) | set(new.meta)) - NOT_CONTENT
    return what + sorted(k for k in keys if old.meta.get(k) != new.meta.get(k))


def _entries(side: Side | None) -> list[dict[str, Any]]:
    changes = side.meta.get("changes") if side else None
    return [c for c in changes if isinstance(c, dict)] if isinstance(changes, list) else []


def _added_entries(old: Side | None, new: Side | None) -> list[dict[str, Any]]:
    seen = {entry.get("version") for entry in _entries(old)}
    return [
        {key: entry.get(key) for key in ("version", "date", "type", "summary")}
        for entry in _entries(new)
        if entry.get("version") not in seen
    ]


def _fields(old: Side | None, new: Side | None) -> list[tuple[str, Any, Any]]:
    if old is None or new is None:
        return []
    keys = (set(old.meta) | set(new.meta)) - {"version", "changes"}
    ordered = [k for k in new.meta if k in keys] + sorted(k for k in keys if k not in new.meta)
    return [(k, old.meta.get(k), new.meta.get(k)) for k in ordered if old.meta.get(k) != new.meta.get(k)]


def _translations(
    past: dict[str, Side | None],
    present: dict[str, Side | None],
    english_before: str | None,
    english_after: str | None,
    english: Side,
    project: Project,
    broken: set[str],
) -> list[TranslationChange]:
    wanted = english.meta.get("languages")
    wanted = wanted if isinstance(wanted, list) else project.languages
    found = []
    for lang in project.translation_languages:
        old, new = past.get(lang), present.get(lang)
        before = _text(old.meta.get("source_version")) if old else None
        if new is None:
            if old is not None:
                state = "unreadable" if old.path in broken else "removed"
                found.append(TranslationChange(lang, old.path, state, before, None))
            elif lang in wanted:
                path = Path(english.path).with_suffix(f".{lang}.md").as_posix()
                found.append(TranslationChange(lang, path, "missing", None, None))
            continue
        after = _text(new.meta.get("source_version"))
        state = _translation_state(before, after, english_before, english_after)
        if old is None and state in ("updated", "behind"):
            state = "added" if state == "updated" else "behind"
        found.append(TranslationChange(lang, new.path, state, before, after))
    return found


def _translation_state(
    before: str | None, after: str | None, english_before: str | None, english_after: str | None
) -> str:
    translated, current = parse_version(after), parse_version(english_after)
    if translated is None or current is None or translated > current:
        return "invalid"  # `sop lint` says what is wrong
    if translated == current:
        return "current" if before == after else "updated"
    if before != after:
        return "behind"
    old, old_english = parse_version(before), parse_version(english_before)
    was_current = old is not None and old_english is not None and old >= old_english
    return "made-stale" if was_current else "still-stale"


# -- render ------------------------------------------------------------------------------------------
def _md(text: object) -> str:
    """Text as it goes into one Markdown line or table cell: no raw HTML, no column breaks."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace("|", "\\|")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return "(none)" if value is None else str(value)


_MARK = {
    "current": "✅",
    "added": "✅",
    "updated": "✅",
    "behind": "⚠️",
    "made-stale": "⚠️",
    "still-stale": "⚠️",
}


class MarkdownReport:
    name: ClassVar[str] = "md"

    def __init__(self, project: Project) -> None:
        self.project = project

    def render(self, report: Report) -> str:
        short = report.commit[:7]
        same = report.commit.startswith(report.base.lower())  # a commit id given: show it once
        base = f"`{short}`" if same else f"`{_md(report.base)}` (`{short}`)"
        lines = [MARKER, "## SOP changes", ""]
        if not report.sops:
            return "\n".join([*lines, f"No SOP file changed since {base}."]) + "\n"
        kinds = [s.kind for s in report.sops]
        some = ", ".join(f"{kinds.count(kind)} {kind}" for kind in ("added", "removed") if kind in kinds)
        count = f"{len(kinds)} SOP{'s' if len(kinds) > 1 else ''} changed" + (f" ({some})" if some else "")
        lines.append(f"Compared with {base}: {count}.")
        stale = len(report.made_stale)
        if stale:
            lines[-1] += f" ⚠️ {stale} translation{'s are' if stale > 1 else ' is'} now behind English."
        lines += ["", "| SOP | Version | Type | Translations |", "| --- | --- | --- | --- |"]
        lines += [self._row(sop) for sop in report.sops]
        for sop in report.sops:
            lines += ["", *self._details(sop)]
        return "\n".join(lines) + "\n"

    def _row(self, sop: SopChange) -> str:
        types = ", ".join(dict.fromkeys(_md(e.get("type")) for e in sop.entries)) or "—"
        translations = " · ".join(f"{t.lang} {_MARK.get(t.state, '❌')}" for t in sop.translations) or "—"
        return f"| **{sop.sop_id}** {_md(sop.title)} | {_version_cell(sop)} | {types} | {translations} |"

    def _details(self, sop: SopChange) -> list[str]:
        names = self.project.language_names
        changed = ", ".join(f"{names.get(f.lang, f.lang)} {f.change}" for f in sop.files)
        owner = f" · owner {sop.owner}" if sop.owner else ""
        source = self.project.source_language
        moved = next((f.old_path for f in sop.files if f.change == "moved" and f.lang == source), None)
        where = f"`{sop.path}`" + (f" (moved from `{moved}`)" if moved else "")
        lines = [f"### {sop.sop_id} · {_md(sop.title)}", "", f"{where}{owner} · {changed}", ""]
        lines += [f"- {line}" for line in self._notes(sop)]
        if sop.diff:
            lines += [
                "",
                "<details><summary>What changed, word by word</summary>",
                "",
                sop.diff,
                "",
                "</details>",
            ]
        return lines

    def _notes(self, sop: SopChange) -> list[str]:
        notes = []
        if sop.kind == "unreadable":
            notes.append(
                f"⛔ `{sop.path}` cannot be read: the lint check says where; fix it to see the rest."
            )
        elif sop.kind == "removed":
            notes.append(
                "⚠️ The SOP's files are removed. An SOP that is no longer used stays in the library with "
                "`status: retired`, and its id is never reused."
            )
        elif sop.version_not_raised:
            notes.append(
                f"⛔ The content changed ({', '.join(sop.content_changed)}) but `version` is still "
                f"{sop.version_after}: raise it and add a `changes` entry on top (the lint check fails "
                "until then)."
            )
        elif sop.bump:
            notes.append(f"Version {sop.version_before} → **{sop.version_after}** ({sop.bump})")
        for entry in sop.entries:
            kind = self.project.label("change_type", str(entry.get("type")), "en")
            notes.append(
                f"**{_md(entry.get('version'))}** · in force {_md(entry.get('date'))} · {_md(kind)}: "
                f"{_md(entry.get('summary'))}"
            )
        for name, before, after in sop.fields:
            notes.append(f"`{name}`: {_md(_value(before))} → {_md(_value(after))}")
        notes += [self._translation(sop, t) for t in sop.translations if t.state != "current"]
        return notes

    def _translation(self, sop: SopChange, t: TranslationChange) -> str:
        name = self.project.language_names.get(t.lang, t.lang)
        fix = f"update `{t.path}` and set `source_version: {sop.version_after}`"
        return {
            "added": f"✅ {name} added, translating {t.after}.",
            "updated": f"✅ {name} updated to {t.after}.",
            "behind": f"⚠️ {name} translates {t.after}, still behind English {sop.version_after}: {fix}.",
            "made-stale": f"⚠️ {name} is now behind English: it translates {t.before}; {fix}.",
            "still-stale": f"⚠️ {name} was already behind and still translates {t.after}; {fix}.",
            "missing": f"❌ {name} is missing: add `{t.path}`.",
            "removed": f"❌ {name} is removed (`{t.path}`).",
            "unreadable": f"⛔ {name} cannot be read (`{t.path}`): the lint check says where.",
        }.get(
            t.state,
            f"❌ {name}: `source_version` {t.after} is not a version of the English SOP (see the lint "
            "check).",
        )


def _version_cell(sop: SopChange) -> str:
    if sop.kind == "added":
        return f"new, **{sop.version_after}**"
    if sop.kind == "removed":
        return f"removed (was {sop.version_before})"
    if sop.kind == "unreadable":
        return "⛔ cannot be read"
    if sop.version_not_raised:
        return f"{sop.version_after} ⛔ not raised"
    if sop.bump == "down":
        return f"{sop.version_before} → {sop.version_after} ⛔ lower"
    if sop.bump:
        return f"{sop.version_before} → **{sop.version_after}** ({sop.bump})"
    return str(sop.version_after)


class JsonReport:
    name: ClassVar[str] = "json"

    def __init__(self, project: Project) -> None:
        self.project = project

    def render(self, report: Report) -> str:
        data = {"base": report.base, "commit": report.commit, "sops": [s.as_dict() for s in report.sops]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


REPORT_RENDERERS = {renderer.name: renderer for renderer in (MarkdownReport, JsonReport)}


def execute(
    start: Path, base: str, fmt: str, comment_on: int | None, short_diff: ShortDiff | None = None
) -> str:
    """`sop report`: the report in `fmt`; with `comment_on`, also posted on that pull request (Markdown).
    Each SOP's word-level diff comes from soplib.diff unless another `short_diff` is given."""
    from soplib.diff.execute import short_diff_markdown

    project = Project.discover(start)
    words = short_diff or functools.partial(short_diff_markdown, project)
    report = build_report(load_library(project), Git(project.root), base, words)
    text = REPORT_RENDERERS[fmt](project).render(report)
    if comment_on is None:
        return text
    body = text if fmt == "md" else MarkdownReport(project).render(report)
    note = f"_The report is cut here: run `sop report --base {base}` for all of it._"
    return upsert_comment(GitHub(project.root), comment_on, MARKER, fit(body, note)) + "\n"
