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
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from soplib.core.changes import read_changes
from soplib.core.model import Sop
from soplib.core.state import SopState, Translation, TranslationState
from soplib.core.versions import parse_version
from soplib.impact import Referrer, referrers
from soplib.lint.base import NOT_CONTENT
from soplib.load.library import Library
from soplib.load.project import Project
from soplib.publish.markdown import markdown_inline
from soplib.repo.baseline import Baseline, baseline
from soplib.repo.git import Git

MARKER = "<!-- sop-report -->"  # first line of the pull-request comment: how the workflow finds it again

# The seam for the short word-level diff of one SOP (`sop diff`, built separately): given the SOP id and
# its English file at the base and now (None where the file did not or does not exist), the diff as
# Markdown, or None for no diff. `execute` passes soplib.diff's short_diff_markdown.
ShortDiff = Callable[[str, Sop | None, Sop | None], str | None]


def no_diff(sop_id: str, before: Sop | None, after: Sop | None) -> str | None:
    return None


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
    state: str  # now, as soplib.core.state says (current, behind-wording, stale, invalid, missing …)
    state_before: str | None  # at the base; None where the SOP was not there
    # what this change did to it: current | added | updated (now current) | behind (updated, still behind)
    # | made-stale (was current or only reworded, English moved on) | still-stale | missing | removed |
    # unreadable | invalid
    change: str
    before: str | None  # source_version at the base
    after: str | None  # source_version now

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "path": self.path,
            "state": self.state,
            "state_before": self.state_before,
            "change": self.change,
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
    english_before: Sop | None = field(default=None, repr=False)  # the English file, for the diff
    english_after: Sop | None = field(default=None, repr=False)
    diff: str | None = None  # the short word-level diff (see ShortDiff)
    linked_from: tuple[Referrer, ...] = ()  # SOPs that link to it: their owners check the links still fit

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
            "linked_from": [r.as_dict() for r in self.linked_from],
        }


@dataclass(frozen=True)
class Report:
    base: str  # as given
    commit: str
    sops: list[SopChange]

    @property
    def made_stale(self) -> list[tuple[SopChange, TranslationChange]]:
        return [(s, t) for s in self.sops for t in s.translations if t.change == "made-stale"]


# -- compare -----------------------------------------------------------------------------------------
Key = tuple[str, str]  # (SOP id, language)


def build_report(library: Library, base: Baseline, short_diff: ShortDiff = no_diff) -> Report:
    now, before = _files(library), _files(base.library)
    # files there now that cannot be read (broken front matter): `sop lint` says why; not "removed"
    broken = set(library.files_read) - {sop.path.as_posix() for sop in library.sops}
    files = _file_changes(before, now, base.unchanged, broken)
    changes = []
    linking = referrers(library)
    for sop_id in sorted({sop_id for sop_id, _ in files}):
        change = _sop_change(sop_id, library, base, files, broken)
        english = change.english_before, change.english_after
        linked = tuple(r for r in linking.get(change.path, []) if r.sop_id != sop_id)
        changes.append(replace(change, diff=short_diff(sop_id, *english), linked_from=linked))
    return Report(base.ref, base.commit, changes)


def _files(library: Library) -> dict[Key, Sop]:
    return {
        (sop.sop_id, sop.lang): sop
        for sop in reversed(library.sops)  # the first by path wins, as Library.by_id picks
        if sop.sop_id
    }


def _file_changes(
    before: dict[Key, Sop], now: dict[Key, Sop], unchanged: frozenset[str], broken: set[str]
) -> dict[Key, FileChange]:
    changes: dict[Key, FileChange] = {}
    for key, sop in now.items():
        path, past = sop.path.as_posix(), before.get(key)
        if past is not None and past.path.as_posix() == path and path in unchanged:
            continue
        if past is None:
            changes[key] = FileChange(key[1], "added", path)
        elif past.path.as_posix() != path:
            changes[key] = FileChange(key[1], "moved", path, past.path.as_posix())
        else:
            changes[key] = FileChange(key[1], "changed", path)
    for key, past in before.items():
        if key not in now:
            path = past.path.as_posix()
            changes[key] = FileChange(key[1], "unreadable" if path in broken else "removed", path)
    return changes


def _sop_change(
    sop_id: str, library: Library, base: Baseline, files: dict[Key, FileChange], broken: set[str]
) -> SopChange:
    project = library.project
    old, new = base.library.by_id(sop_id), library.by_id(sop_id)
    shown = new or old
    meta = shown.meta if shown else {}
    kind = "added" if old is None and new else "removed" if new is None else "changed"
    if new is None and old is not None and old.path.as_posix() in broken:
        kind = "unreadable"
    version_before = _text(old.meta.get("version")) if old else None
    version_after = _text(new.meta.get("version")) if new else None
    state_now, state_before = library.state.by_id.get(sop_id), base.library.state.by_id.get(sop_id)
    return SopChange(
        sop_id,
        _text(meta.get("title")) or sop_id,
        shown.path.as_posix() if shown else "",
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
            for (i, _), f in sorted(files.items(), key=lambda item: _rank(item[0][1], project))
            if i == sop_id
        ],
        _translations(state_before, state_now, files, broken) if state_now else [],
        old,
        new,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _rank(lang: str, project: Project) -> int:
    return project.languages.index(lang) if lang in project.languages else len(project.languages)


def _bump(before: str | None, after: str | None) -> str | None:
    old, new = parse_version(before), parse_version(after)
    if old is None or new is None or old == new:
        return None
    if new < old:
        return "down"
    return "major" if new[0] != old[0] else "minor" if new[1] != old[1] else "patch"


def _content_changed(old: Sop | None, new: Sop | None) -> list[str]:
    if old is None or new is None:
        return []
    what = ["the body"] if old.body.strip() != new.body.strip() else []
    keys = (set(old.meta) | set(new.meta)) - NOT_CONTENT
    return what + sorted(k for k in keys if old.meta.get(k) != new.meta.get(k))


def _added_entries(old: Sop | None, new: Sop | None) -> list[dict[str, Any]]:
    seen = {change.version for change in read_changes(old.meta)} if old else set()
    return [
        {"version": c.version, "date": c.date, "type": c.type.value if c.type else None, "summary": c.summary}
        for c in (read_changes(new.meta) if new else ())
        if c.version not in seen
    ]


def _fields(old: Sop | None, new: Sop | None) -> list[tuple[str, Any, Any]]:
    if old is None or new is None:
        return []
    keys = (set(old.meta) | set(new.meta)) - {"version", "changes"}
    ordered = [k for k in new.meta if k in keys] + sorted(k for k in keys if k not in new.meta)
    return [(k, old.meta.get(k), new.meta.get(k)) for k in ordered if old.meta.get(k) != new.meta.get(k)]


def _translations(
    before: SopState | None, now: SopState, files: dict[Key, FileChange], broken: set[str]
) -> list[TranslationChange]:
    found = []
    for lang, translation in now.translations.items():
        past = before.translations.get(lang) if before else None
        file = files.get((now.sop_id, lang))
        if translation.state is TranslationState.NOT_PLANNED and (past is None or past.file is None):
            continue
        change = _translation_change(past, translation, file)
        if file is not None and file.change in ("removed", "unreadable"):
            change = file.change
        found.append(
            TranslationChange(
                lang,
                translation.path if translation.file or file is None else file.path,
                translation.state.value,
                past.state.value if past else None,
                change,
                past.source_version if past else None,
                translation.source_version,
            )
        )
    return found


def _translation_change(past: Translation | None, now: Translation, file: FileChange | None) -> str:
    """What the change did to a translation, from its state at the base and now."""
    if now.state in (TranslationState.MISSING, TranslationState.INVALID):
        return now.state.value
    moved_on = past is None or past.source_version != now.source_version
    if now.state is TranslationState.CURRENT:
        if past is None or past.file is None:
            return "added"
        return "updated" if moved_on else "current"
    if file is not None and file.change == "added":
        return "behind"
    if moved_on:
        return "behind"
    return "still-stale" if past is not None and past.state.behind else "made-stale"


# -- render ------------------------------------------------------------------------------------------
def _md(text: object) -> str:
    """Text as it goes into one Markdown line or table cell: shown as written, no markup, no column break."""
    return markdown_inline(str(text))


def _code(text: str) -> str:
    """Text as a code span: fenced by more backticks than it holds in a row."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return "(none)" if value is None else str(value)


def _mark(translation: TranslationChange) -> str:
    if translation.state == TranslationState.CURRENT:
        return "✅"
    if translation.state == TranslationState.WORDING:
        return "✏️"  # behind in wording only: agents may keep using it
    return "⚠️" if translation.state == TranslationState.STALE else "❌"


class MarkdownReport:
    name: ClassVar[str] = "md"

    def __init__(self, project: Project) -> None:
        self.project = project

    def render(self, report: Report) -> str:
        short = report.commit[:7]
        same = report.commit.startswith(report.base.lower())  # a commit id given: show it once
        base = f"`{short}`" if same else f"{_code(report.base)} (`{short}`)"
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
        translations = " · ".join(f"{t.lang} {_mark(t)}" for t in sop.translations) or "—"
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
        notes += [self._translation(sop, t) for t in sop.translations if t.change != "current"]
        notes += [_linked(referrer) for referrer in sop.linked_from]
        return notes

    def _translation(self, sop: SopChange, t: TranslationChange) -> str:
        name = self.project.language_names.get(t.lang, t.lang)
        fix = f"update `{t.path}` and set `source_version: {sop.version_after}`"
        wording = t.state == TranslationState.WORDING
        how, warn = (" (only in wording: agents may keep using it)", "✏️") if wording else ("", "⚠️")
        return {
            "added": f"✅ {name} added, translating {t.after}.",
            "updated": f"✅ {name} updated to {t.after}.",
            "behind": f"{warn} {name} translates {t.after}, still behind English {sop.version_after}{how}: "
            f"{fix}.",
            "made-stale": f"{warn} {name} is now behind English{how}: it translates {t.before}; {fix}.",
            "still-stale": f"{warn} {name} was already behind and still translates {t.after}{how}; {fix}.",
            "missing": f"❌ {name} is missing: add `{t.path}`.",
            "removed": f"❌ {name} is removed (`{t.path}`).",
            "unreadable": f"⛔ {name} cannot be read (`{t.path}`): the lint check says where.",
        }.get(
            t.change,
            f"❌ {name}: `source_version` {t.after} is not a version of the English SOP (see the lint "
            "check).",
        )


def _linked(referrer: Referrer) -> str:
    where = ", ".join(f"`#{a}`" for a in referrer.anchors if a)
    owner = f", owner {referrer.owner}" if referrer.owner else ""
    return (
        f"🔗 Linked from **{referrer.sop_id}** {_md(referrer.title)} (`{referrer.path}`{owner})"
        f"{' at ' + where if where else ''}: check that the link still fits."
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


RENDERERS = {renderer.name: renderer for renderer in (MarkdownReport, JsonReport)}


def compute(library: Library, git: Git, base: str, short_diff: ShortDiff | None = None) -> Report:
    """`sop report`: what the working tree does to each SOP since `base`. Each SOP's word-level diff comes
    from soplib.diff unless another `short_diff` is given."""
    from soplib.diff.execute import short_diff_markdown

    words = short_diff or functools.partial(short_diff_markdown, library.project)
    return build_report(library, baseline(library, git, base), words)
