"""The library's git repository: the only module that runs git. Each method is one `git` process."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from soplib.core.errors import SopError
from soplib.load.project import SOPS_DIR

SHALLOW = (
    "this is a shallow clone: the git history of sops/ is cut off, so versions and authors would be wrong. "
    "Fetch the whole history with `git fetch --unshallow` (GitHub Actions: actions/checkout with "
    "fetch-depth: 0)"
)
NO_BLOB = "0" * 40


# -- the repository ------------------------------------------------------------------------------------
def _first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "no message"


# git's caches sized for reading a long history once: its defaults (a 96 MB cache of delta bases, packs
# mapped in 1 GB windows) made `git log` of 10,000 commits take 180 MB, more than the rest of a build.
LEAN = (
    "-c",
    "core.deltaBaseCacheLimit=8m",
    "-c",
    "core.packedGitWindowSize=1m",
    "-c",
    "core.packedGitLimit=16m",
)


class Git:
    """The library's git repository; every call runs in the library folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _call(self, args: tuple[str, ...], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}  # messages we can match; no prompts
        try:
            return subprocess.run(
                ["git", "-C", str(self.root), *LEAN, *args],
                input=stdin,
                capture_output=True,
                env=env,
                check=False,
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
        return dict(self.each_blob(blobs))

    def each_blob(self, blobs: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """Each blob's bytes as `git cat-file --batch` sends them: a long history is never all in memory."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return
        env = {**os.environ, "LC_ALL": "C"}
        command = ["git", "-C", str(self.root), *LEAN, "cat-file", "--batch"]
        with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env) as process:
            assert process.stdin is not None and process.stdout is not None
            ask = threading.Thread(target=_send, args=(process.stdin, wanted), daemon=True)
            ask.start()  # a thread writes the names while this one reads: neither pipe fills up and blocks
            try:
                for blob in wanted:
                    header = process.stdout.readline().split()
                    if len(header) != 3:
                        raise SopError(
                            f"git object {blob} is missing: the clone is incomplete (try `git fetch`)"
                        )
                    size = int(header[2])
                    yield blob, process.stdout.read(size)
                    process.stdout.read(1)  # the content is followed by a newline
            finally:
                process.kill()
                ask.join()


def _send(pipe: IO[bytes], names: list[str]) -> None:
    try:
        for start in range(0, len(names), 1000):
            pipe.write("".join(f"{name}\n" for name in names[start : start + 1000]).encode())
        pipe.close()
    except (BrokenPipeError, ValueError):  # git stopped early: the reader says why
        pass


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
class Event:
    """One file changed by one commit."""

    commit: Commit
    status: str  # A, M, D, R, T … as in `git log --raw`
    path: str
    old_path: str | None  # before a rename
    blob: str


_LOG_FORMAT = "%x1e%H%x1f%cI%x1f%an%x1f%ae"


def log(git: Git) -> Iterator[Event]:
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
            yield Event(commit, status[0], path, old, blob)


# -- the few fields history needs, read fast from thousands of blobs --------------------------------------
