"""`sop history`: the versions of one SOP file, git's record merged with the SOP's change entries."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from soplib.core.errors import SopError
from soplib.core.model import Sop
from soplib.core.versions import parse_version
from soplib.load.library import Library
from soplib.repo.git import Commit, Git
from soplib.repo.history import FileHistory, History, VersionRecord, read_history


# -- `sop history`: git's versions merged with the SOP's change entries ----------------------------------
@dataclass(frozen=True)
class Row:
    version: str
    type: str | None  # from the English `changes` entry
    summary: str | None
    summary_translated: bool
    effective: str | None  # the entry's date of effect
    first: VersionRecord | None  # where the version first appeared in git
    note: str  # why there is no commit, when there is none
    edited: list[Commit]  # later commits that changed the file but kept this version

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "effective_date": self.effective,
            "type": self.type,
            "summary": self.summary,
            "summary_translated": self.summary_translated,
            "commit": self.first.commit.as_dict() if self.first else None,
            "path": self.first.path if self.first else None,
            "note": self.note or None,
            "edited": [commit.as_dict() for commit in self.edited],
        }


@dataclass(frozen=True)
class SopHistory:
    sop_id: str
    lang: str
    language: str
    title: str
    path: str  # the file now, or where it was last
    is_source: bool  # the English file (versions) rather than a translation (source versions)
    current: str | None  # version (English) or source_version (translation) in the working tree
    english: str | None  # the English version in the working tree
    deleted: Commit | None
    rows: list[Row]  # newest version first


def sop_history(library: Library, history: History, sop_id: str, lang: str) -> SopHistory:
    project = library.project
    sop_id = sop_id.strip().upper()
    project.check_language(lang)
    english = library.by_id(sop_id)
    here = library.by_id(sop_id, lang)
    past = history.of(sop_id, lang)
    if here is None and past is None:
        raise SopError(_unknown_id(sop_id, library, history, lang))
    is_source = lang == project.source_language
    english_version = _text(english.meta.get("version")) if english else None
    current = (
        None if here is None else english_version if is_source else _text(here.meta.get("source_version"))
    )
    title = _text(here.meta.get("title")) if here else None
    return SopHistory(
        sop_id,
        lang,
        project.language_names.get(lang, lang),
        title or (past.title if past else None) or sop_id,
        here.path.as_posix() if here else (past.path if past else ""),
        is_source,
        current,
        english_version,
        None if here else (past.deleted if past else None),
        _rows(english, here, past, current, is_source),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _unknown_id(sop_id: str, library: Library, history: History, lang: str) -> str:
    known = sorted({s.sop_id for s in library.sops if s.sop_id} | history.ids())
    close = difflib.get_close_matches(sop_id, known, n=1)
    hint = f"; did you mean {close[0]}?" if close else " (ids look like SOP-APL-001)"
    if any(s.sop_id == sop_id for s in library.sops) or sop_id in history.ids():
        return f"{sop_id} has no {lang} file, now or in its git history"
    return f"unknown SOP id {sop_id}: no SOP has it in sops/ or in the git history{hint}"


def _entries(english: Sop | None) -> dict[str, dict[str, Any]]:
    changes = english.meta.get("changes") if english else None
    entries: dict[str, dict[str, Any]] = {}
    for entry in changes if isinstance(changes, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            entries.setdefault(entry["version"], entry)
    return entries


def _rows(
    english: Sop | None, here: Sop | None, past: FileHistory | None, current: str | None, is_source: bool
) -> list[Row]:
    entries = _entries(english)
    summaries = here.meta.get("change_summaries") if here and not is_source else None
    summaries = summaries if isinstance(summaries, dict) else {}
    seen = [r.version for r in past.versions] if past else []
    # a translation's history is the English versions it translated; the English one also lists the
    # change entries of versions that never reached git (older than the repository, or skipped)
    candidates = {*seen, *(entries if is_source else ()), *((current,) if current else ())}
    versions = [v for v in candidates if parse_version(v)]
    rows = []
    for version in sorted(versions, key=_order, reverse=True):
        entry = entries.get(version, {})
        translated = summaries.get(version)
        first = past.record(version) if past else None
        rows.append(
            Row(
                version,
                _text(entry.get("type")),
                translated if isinstance(translated, str) else _text(entry.get("summary")),
                isinstance(translated, str) or is_source,
                _text(entry.get("date")),
                first,
                "" if first else _missing(version, seen, current),
                past.edited(version) if past else [],
            )
        )
    return rows


def _order(version: str) -> tuple[int, int, int]:
    return parse_version(version) or (-1, -1, -1)


def _missing(version: str, seen: list[str], current: str | None) -> str:
    known = sorted(_order(v) for v in seen)
    if version == current and (not known or _order(version) > known[-1]):
        return "not committed yet"
    if not known or _order(version) < known[0]:
        return "before the file's git history"
    return "no commit has this version"


def render_text(report: SopHistory) -> str:
    lines = [f"{report.sop_id} {report.title}", _where(report), ""]
    for row in report.rows:
        effective = f"in force {row.effective}" if row.effective else "no change entry"
        lines.append(f"{row.version:<8} {row.type or '-':<13} {effective}")
        if row.summary:
            lines.append(f"         {row.summary}{'' if row.summary_translated else ' (English)'}")
        if row.first:
            c, path = row.first.commit, row.first.path
            moved = f" as {path}" if path != report.path else ""
            lines.append(f"         committed {c.day} by {c.author} <{c.email}> in {c.short}{moved}")
        else:
            lines.append(f"         {row.note}")
        for c in row.edited:
            lines.append(
                f"         edited again, same version: {c.day} by {c.author} <{c.email}> in {c.short}"
            )
    return "\n".join(lines) + "\n"


def _where(report: SopHistory) -> str:
    where = f"{report.language}: {report.path}"
    if report.deleted:
        return f"{where}, deleted on {report.deleted.day} in {report.deleted.short}"
    if report.current is None:
        return where
    if report.is_source:
        return f"{where}, version {report.current}"
    behind = (
        f" (English is at {report.english})" if report.english and report.english != report.current else ""
    )
    return f"{where}, translates English {report.current}{behind}"


def render_json(report: SopHistory) -> str:
    data = {
        "id": report.sop_id,
        "lang": report.lang,
        "title": report.title,
        "path": report.path,
        "current": report.current,
        "english_version": report.english,
        "deleted": report.deleted.as_dict() if report.deleted else None,
        "versions": [row.as_dict() for row in report.rows],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[SopHistory], str]] = {"text": render_text, "json": render_json}


def compute(library: Library, git: Git, sop_id: str, lang: str | None) -> tuple[SopHistory, History]:
    """`sop history`: the versions of one SOP file (English by default), and the history they come from."""
    history = read_history(git, library.project)
    return sop_history(library, history, sop_id, lang or library.project.source_language), history


def text_at(report: SopHistory, library: Library, history: History, version: str) -> str:
    """The file as it was when `version` first appeared (or as it is, for a version not committed yet)."""
    here = library.by_id(report.sop_id, report.lang)
    if (
        version == report.current
        and here is not None
        and history.first_seen(report.sop_id, report.lang, version) is None
    ):
        return (library.project.root / here.path).read_text(encoding="utf-8", errors="replace")
    return history.content(report.sop_id, report.lang, version)
