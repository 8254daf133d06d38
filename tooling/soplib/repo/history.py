"""Version history from git: when each version of each SOP file first appeared, who committed it, its text.

The whole history of sops/ is read with one `git log` and one `git cat-file --batch`, whatever its size.
A file is known by the `id` in its front matter, so a renamed or moved SOP keeps its history; renames
(-M) carry the id over the states in which the front matter cannot be read.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from soplib.core.errors import SopError
from soplib.core.output import write_file
from soplib.core.versions import parse_version
from soplib.load.library import is_sop_path, split_name
from soplib.load.project import SOPS_DIR, Project
from soplib.repo.git import NO_BLOB, Commit, Event, Git, log

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
    events = list(log(git))
    fields = {
        blob: front_fields(raw) for blob, raw in git.each_blob(e.blob for e in events if e.blob != NO_BLOB)
    }
    return History(git, _assemble(events, fields, project.source_language))


def optional_history(project: Project, cache: Path | None = None) -> History | None:
    """The git history when there is one; None in a plain folder or a shallow clone (what needs only
    dates or ids can go without it). With `cache`, a folder, the history read at a commit is kept there and
    read back while HEAD is that commit (a site rebuilt after an edit not committed yet)."""
    try:
        git = Git(project.root)
        return read_history(git, project) if cache is None else _cached_history(git, project, cache)
    except SopError:
        return None


def _cached_history(git: Git, project: Project, cache: Path) -> History:
    git.require_history()
    head = git.head()
    code = b"".join(path.read_bytes() for path in (Path(__file__), Path(__file__).with_name("git.py")))
    key = hashlib.sha256(f"{head} {project.source_language}".encode() + code).hexdigest()[:32]
    path = cache / f"history-{key}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError):
        files = pickle.loads(path.read_bytes())  # written by this code for this commit (the key says so)
        return History(git, files)
    history = read_history(git, project)
    with contextlib.suppress(SopError, OSError):  # a cache: a build that cannot keep it reads git again
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("history-*.pickle"):
            old.unlink(missing_ok=True)
        write_file(path, pickle.dumps(history.files, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
    return history


def _assemble(
    events: list[Event], fields: dict[str, Fields], source: str
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


def _by_commit(events: list[Event]) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for event in events:
        if batch and event.commit is not batch[0].commit:
            yield batch
            batch = []
        batch.append(event)
    if batch:
        yield batch


def _file_key(
    event: Event, found: Fields, source: str, known: tuple[str, str] | None
) -> tuple[str, str] | None:
    if not event.path.startswith(f"{SOPS_DIR}/"):
        return None  # not an SOP file (the log is limited to sops/ already)
    relative = Path(event.path).relative_to(SOPS_DIR)
    if not is_sop_path(relative):
        return None
    _, lang = split_name(relative.name, source)
    sop_id = found.id or (known[0] if known else None)
    return (sop_id, lang) if sop_id else None


def _apply(history: FileHistory, event: Event, found: Fields, source: str) -> None:
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
