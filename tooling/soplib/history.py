"""Version history from git: when each version of each SOP file first appeared, who committed it, its text.

The whole history of sops/ is read with one `git log` and one `git cat-file --batch`, whatever its size.
A file is known by the `id` in its front matter, so a renamed or moved SOP keeps its history; renames
(-M) carry the id over the states in which the front matter cannot be read.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soplib.errors import SopError
from soplib.library import Library, is_sop_path, load_library, split_name
from soplib.model import Sop
from soplib.project import SOPS_DIR, Project
from soplib.versions import parse_version

SHALLOW = (
    "this is a shallow clone: the git history of sops/ is cut off, so versions and authors would be wrong. "
    "Fetch the whole history with `git fetch --unshallow` (GitHub Actions: actions/checkout with "
    "fetch-depth: 0)"
)
_NO_BLOB = "0" * 40


# -- the repository ------------------------------------------------------------------------------------
def _first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "no message"


class Git:
    """The library's git repository. Each method is one `git` process run in the library folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _call(self, args: tuple[str, ...], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}  # messages we can match; no prompts
        try:
            return subprocess.run(
                ["git", "-C", str(self.root), *args], input=stdin, capture_output=True, env=env, check=False
            )
        except FileNotFoundError:
            raise SopError("git is not installed; history, the change log and lint --base need it") from None

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
        """Standard output; a failure raises SopError, or with check=False gives b""."""
        result = self._call(args, stdin)
        if result.returncode != 0 and check:
            raise SopError(f"git {args[0]} failed: {_first_line(result.stderr)}")
        return result.stdout if result.returncode == 0 else b""

    def is_shallow(self) -> bool:
        """Also the check that the library is in a git repository at all."""
        result = self._call(("rev-parse", "--is-shallow-repository"))
        if result.returncode != 0:
            message = _first_line(result.stderr)
            if "not a git repository" in message:
                raise SopError(
                    f"{self.root} is not in a git repository: history, the change log and lint --base read "
                    "the library's git history (work in a clone made with `git clone`)"
                )
            raise SopError(f"git: {message}")
        return result.stdout.strip() == b"true"

    def require_history(self) -> None:
        if self.is_shallow():
            raise SopError(SHALLOW)

    def commit_of(self, ref: str) -> str | None:
        """The commit a branch, tag or commit id names, or None."""
        if not ref or ref.startswith("-"):
            return None
        sha = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).strip()
        return sha.decode() if sha else None

    def resolve(self, ref: str) -> str:
        """The commit a branch, tag or commit id names; SopError, with what to do, if none."""
        shallow = self.is_shallow()
        sha = self.commit_of(ref)
        if sha is None:
            if not ref or ref.startswith("-"):
                fetch = ""
            elif shallow:
                fetch = "; this is a shallow clone: fetch the history with `git fetch --unshallow`"
            elif any(char in ref for char in "~^:@"):
                fetch = " (check the name)"
            else:
                fetch = f" (check the name, or fetch it first, e.g. `git fetch origin {ref}`)"
            raise SopError(f"{ref!r} is not a branch, tag or commit of this repository{fetch}")
        return sha

    def head(self) -> str | None:
        """HEAD's commit, or None in a repository without commits."""
        sha = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
        return sha.decode() if sha else None

    def tree(self, commit: str, folder: str = SOPS_DIR) -> dict[str, str]:
        """Path (relative to the library) -> blob id of every file under `folder` at `commit`."""
        files = {}
        for item in self.run("ls-tree", "-r", "-z", commit, "--", f"{folder}/").split(b"\0"):
            meta, _, path = item.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                files[path.decode("utf-8", "surrogateescape")] = parts[2].decode()
        return files

    def read_blobs(self, blobs: Iterable[str]) -> dict[str, bytes]:
        """The bytes of many blobs, read by one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
        contents, at = {}, 0
        for blob in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            if len(header) != 3:
                raise SopError(f"git object {blob} is missing: the clone is incomplete (try `git fetch`)")
            size = int(header[2])
            contents[blob] = out[end + 1 : end + 1 + size]
            at = end + 1 + size + 1  # the content is followed by a newline
        return contents


# -- what one `git log` says -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 with its offset: when the commit entered the history
    author: str
    email: str

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def day(self) -> str:
        return self.date[:10]

    def as_dict(self) -> dict[str, str]:
        return {"sha": self.sha, "date": self.date, "author": self.author, "email": self.email}


@dataclass(frozen=True)
class _Event:
    """One file changed by one commit."""

    commit: Commit
    status: str  # A, M, D, R, T … as in `git log --raw`
    path: str
    old_path: str | None  # before a rename
    blob: str


_LOG_FORMAT = "%x1e%H%x1f%cI%x1f%an%x1f%ae"


def _log(git: Git) -> Iterator[_Event]:
    """Every change to sops/, parents before children; a merge as its diff to its first parent."""
    out = git.run(
        "log", "HEAD", "--reverse", "--topo-order", "--root", "-M", "--raw", "-z", "--no-abbrev",
        "--relative", "--no-color", "--diff-merges=first-parent", f"--format={_LOG_FORMAT}",
        "--", f"{SOPS_DIR}/",
    )  # fmt: skip
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    commit: Commit | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith("\x1e"):
            sha, date, author, email = token[1:].split("\x1f")
            commit = Commit(sha, date, author, email)
        elif token.startswith(":") and commit is not None:
            _, _, _, blob, status = token.split(" ")
            if status[0] in "RC":
                old, path = tokens[index], tokens[index + 1]
                index += 2
            else:
                old, path = None, tokens[index]
                index += 1
            yield _Event(commit, status[0], path, old, blob)


# -- the few fields history needs, read fast from thousands of blobs --------------------------------------
_FIELD = re.compile(rb"^(id|title|version|source_version)[ \t]*:[ \t]*(.*)$", re.MULTILINE)
_CLOSING = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Fields:
    id: str | None = None
    title: str | None = None
    version: str | None = None
    source_version: str | None = None


def _scalar(raw: bytes) -> str | None:
    value = raw.decode("utf-8", "replace").strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    elif len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1].replace("''", "'")
    else:
        value = value.split(" #", 1)[0].strip()
    return value or None


def front_fields(raw: bytes) -> Fields:
    """id, title, version and source_version from the front matter. A full YAML parse of every blob of a
    long history would take seconds; these are one-line scalars at the top level."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.startswith(b"---"):
        return Fields()
    closing = _CLOSING.search(raw, raw.find(b"\n") + 1)
    front = raw[: closing.start()] if closing else b""
    found = {match[1].decode(): _scalar(match[2]) for match in _FIELD.finditer(front)}
    return Fields(**found)


# -- history ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VersionRecord:
    """Where one version of one language file first appeared."""

    version: str  # `version` of an English file, `source_version` of a translation
    commit: Commit
    path: str  # the file's path in that commit
    blob: str


@dataclass
class FileHistory:
    sop_id: str
    lang: str
    versions: list[VersionRecord] = field(default_factory=list)  # in order of first appearance
    path: str = ""  # the last path the file had
    title: str | None = None  # the last title it had
    deleted: Commit | None = None  # the commit that removed the file, if it is gone
    edits: list[tuple[str, Commit]] = field(default_factory=list)  # changed, but kept its version
    current: str | None = None  # the version of the last state, and that state's blob
    blob: str = ""
    _by_version: dict[str, VersionRecord] = field(default_factory=dict, repr=False)

    def record(self, version: str) -> VersionRecord | None:
        return self._by_version.get(version)

    def edited(self, version: str) -> list[Commit]:
        return [commit for edited, commit in self.edits if edited == version]


@dataclass
class History:
    git: Git
    files: dict[tuple[str, str], FileHistory]  # (SOP id, language) -> its history

    def ids(self) -> set[str]:
        return {sop_id for sop_id, _ in self.files}

    def of(self, sop_id: str, lang: str) -> FileHistory | None:
        return self.files.get((sop_id, lang))

    def first_seen(self, sop_id: str, lang: str, version: str) -> VersionRecord | None:
        history = self.files.get((sop_id, lang))
        return history.record(version) if history else None

    def content(self, sop_id: str, lang: str, version: str) -> str:
        """The file as it was in the commit where `version` first appeared."""
        history = self.files.get((sop_id, lang))
        record = history.record(version) if history else None
        if record is None:
            known = ", ".join(r.version for r in history.versions) if history else "none"
            raise SopError(f"{sop_id} ({lang}) never had version {version} in git; versions in git: {known}")
        return self.git.read_blobs([record.blob])[record.blob].decode("utf-8", "replace")


def read_history(git: Git, project: Project) -> History:
    """The history of every SOP file in the repository: one `git log`, one `git cat-file --batch`."""
    git.require_history()
    if git.head() is None:
        return History(git, {})
    events = list(_log(git))
    blobs = git.read_blobs(e.blob for e in events if e.blob != _NO_BLOB)
    fields = {blob: front_fields(raw) for blob, raw in blobs.items()}
    return History(git, _assemble(events, fields, project.source_language))


def optional_history(project: Project) -> History | None:
    """The git history when there is one; None in a plain folder or a shallow clone (what needs only
    dates or ids can go without it)."""
    try:
        return read_history(Git(project.root), project)
    except SopError:
        return None


def _assemble(
    events: list[_Event], fields: dict[str, Fields], source: str
) -> dict[tuple[str, str], FileHistory]:
    files: dict[tuple[str, str], FileHistory] = {}
    owner: dict[str, tuple[str, str]] = {}  # path -> (id, language) of the file there now
    for commit_events in _by_commit(events):
        # deletions first: a file moved with edits can show as a deletion and an addition in one commit
        for event in sorted(commit_events, key=lambda e: e.status != "D"):
            carried = owner.pop(event.old_path, None) if event.old_path else None
            if event.status == "D":
                gone = owner.pop(event.path, None)
                if gone and files[gone].path == event.path:
                    files[gone].deleted = event.commit
                continue
            key = _file_key(event, fields.get(event.blob, Fields()), source, carried or owner.get(event.path))
            if key is None:
                continue
            owner[event.path] = key
            _apply(files.setdefault(key, FileHistory(*key)), event, fields.get(event.blob, Fields()), source)
    return files


def _by_commit(events: list[_Event]) -> Iterator[list[_Event]]:
    batch: list[_Event] = []
    for event in events:
        if batch and event.commit is not batch[0].commit:
            yield batch
            batch = []
        batch.append(event)
    if batch:
        yield batch


def _file_key(
    event: _Event, found: Fields, source: str, known: tuple[str, str] | None
) -> tuple[str, str] | None:
    if not event.path.startswith(f"{SOPS_DIR}/"):
        return None  # not an SOP file (the log is limited to sops/ already)
    relative = Path(event.path).relative_to(SOPS_DIR)
    if not is_sop_path(relative):
        return None
    _, lang = split_name(relative.name, source)
    sop_id = found.id or (known[0] if known else None)
    return (sop_id, lang) if sop_id else None


def _apply(history: FileHistory, event: _Event, found: Fields, source: str) -> None:
    history.path = event.path
    history.deleted = None
    history.title = found.title or history.title
    version = found.version if history.lang == source else found.source_version
    if version and parse_version(version):
        if history.record(version) is None:
            record = VersionRecord(version, event.commit, event.path, event.blob)
            history.versions.append(record)
            history._by_version[version] = record
        elif version == history.current and event.blob != history.blob:
            history.edits.append((version, event.commit))
    history.current, history.blob = version, event.blob


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


def check_language(project: Project, lang: str) -> None:
    if lang not in project.languages:
        raise SopError(
            f"unknown language {lang!r}: the library's languages are {', '.join(project.languages)}"
        )


def sop_history(library: Library, history: History, sop_id: str, lang: str) -> SopHistory:
    project = library.project
    sop_id = sop_id.strip().upper()
    check_language(project, lang)
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


def execute(start: Path, sop_id: str, lang: str | None, fmt: str, at: str | None) -> str:
    """`sop history`: the report in `fmt`, or with `at` the file's text at that version."""
    project = Project.discover(start)
    library = load_library(project)
    history = read_history(Git(project.root), project)
    report = sop_history(library, history, sop_id, lang or project.source_language)
    if at is not None:
        return _text_at(report, library, history, at)
    return render_json(report) if fmt == "json" else render_text(report)


def _text_at(report: SopHistory, library: Library, history: History, version: str) -> str:
    here = library.by_id(report.sop_id, report.lang)
    if (
        version == report.current
        and here is not None
        and history.first_seen(report.sop_id, report.lang, version) is None
    ):
        return (library.project.root / here.path).read_text(encoding="utf-8", errors="replace")
    return history.content(report.sop_id, report.lang, version)
