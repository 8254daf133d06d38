"""The SOP files as the last build parsed them, by their bytes: a build reads every file of sops/ but
parses only those that changed (at 3,000 files, parsing takes 2.3 s of processor time; taking the parsed
files from here, 0.6 s). Kept in shards by path, so that an edit rewrites one of them.

A shard is taken only when its first line names this code and the library's source language (which the
records hold) and its second the digest of what follows: a shard of another release, cut short or damaged
is never unpickled, and its files are parsed again."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import zlib
from pathlib import Path

from soplib.core.code import code_digest
from soplib.core.model import Finding, Sop
from soplib.core.output import write_file

SHARDS = 16
Parsed = tuple[Sop | None, list[Finding]]


def digest(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


class ParsedFiles:
    """The parsed files kept in `folder` (of the build's cache, never published), for a library whose
    source language is `source`."""

    def __init__(self, folder: Path, source: str) -> None:
        self.folder = folder
        self.head = f"{code_digest()} {source}".encode()
        self.shards: list[dict[str, tuple[bytes, Parsed]]] = [self._read(n) for n in range(SHARDS)]
        self.changed: set[int] = set()
        self.seen: set[str] = set()  # the files read (those sops/ has now)

    def get(self, shown: str, read: bytes) -> Parsed | None:
        """The file at `shown` (sops/…) parsed, if it was parsed from bytes of this digest (`digest`)."""
        self.seen.add(shown)
        kept = self.shards[_shard(shown)].get(shown)
        return kept[1] if kept is not None and kept[0] == read else None

    def put(self, shown: str, parsed_from: bytes, parsed: Parsed) -> None:
        """The file at `shown` parsed, from bytes of the digest `parsed_from`."""
        self.shards[_shard(shown)][shown] = (parsed_from, parsed)
        self.changed.add(_shard(shown))

    def save(self) -> None:
        """Keep the files read for the next build: once the build is done, when the memory that pickling
        leaves behind (3,000 files at once: 20 MB) is no longer in the way."""
        for number, shard in enumerate(self.shards):
            gone = shard.keys() - self.seen
            for name in gone:
                del shard[name]
            if gone or number in self.changed:
                with contextlib.suppress(Exception):  # a cache: the next build parses again
                    data = pickle.dumps(shard, protocol=pickle.HIGHEST_PROTOCOL)
                    self.folder.mkdir(parents=True, exist_ok=True)
                    sealed = b"%s\n%s\n%s" % (self.head, hashlib.sha256(data).hexdigest().encode(), data)
                    write_file(self.folder / f"{number:02}.pickle", sealed, durable=False)

    def _read(self, number: int) -> dict[str, tuple[bytes, Parsed]]:
        with contextlib.suppress(Exception):  # whatever is wrong with it, the files are parsed again
            head, sealed, data = (self.folder / f"{number:02}.pickle").read_bytes().split(b"\n", 2)
            if head == self.head and sealed == hashlib.sha256(data).hexdigest().encode():
                shard = pickle.loads(data)  # written by this code, whole (the digests say so)
                if isinstance(shard, dict):
                    return shard
        return {}


def _shard(shown: str) -> int:
    return zlib.crc32(shown.encode("utf-8")) % SHARDS
