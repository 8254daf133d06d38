"""The SOP files as the last build parsed them, by their bytes: a build reads every file of sops/ but
parses only those that changed (at 3,000 files, parsing takes 2.3 s of processor time; taking the parsed
files from here, 0.6 s). Kept in shards by path, so that an edit rewrites one of them. Made by this code
only (soplib.core.code); a shard that cannot be read is parsed again."""

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
    """The parsed files kept in `folder` (of the build's cache, never published)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shards: list[dict[str, tuple[bytes, Parsed]]] = [self._read(n) for n in range(SHARDS)]
        self.changed: set[int] = set()
        self.seen: set[str] = set()  # the files read (those sops/ has now)

    def get(self, shown: str, read: bytes) -> Parsed | None:
        """The file at `shown` (sops/…) parsed, if it was parsed from bytes of this digest (`digest`)."""
        self.seen.add(shown)
        kept = self.shards[_shard(shown)].get(shown)
        return kept[1] if kept is not None and kept[0] == read else None

    def put(self, shown: str, read: bytes, parsed: Parsed) -> None:
        self.shards[_shard(shown)][shown] = (read, parsed)
        self.changed.add(_shard(shown))

    def save(self) -> None:
        """Keep the files read for the next build: once the build is done, when the memory that pickling
        leaves behind (3,000 files at once: 20 MB) is no longer in the way."""
        for number, shard in enumerate(self.shards):
            gone = shard.keys() - self.seen
            for name in gone:
                del shard[name]
            if gone or number in self.changed:
                with contextlib.suppress(OSError):  # a cache: the next build parses again
                    self.folder.mkdir(parents=True, exist_ok=True)
                    data = pickle.dumps((code_digest(), shard), protocol=pickle.HIGHEST_PROTOCOL)
                    write_file(self.folder / f"{number:02}.pickle", data, durable=False)

    def _read(self, number: int) -> dict[str, tuple[bytes, Parsed]]:
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            # written by this code (the digest says so), in the build's own cache
            key, shard = pickle.loads((self.folder / f"{number:02}.pickle").read_bytes())
            if key == code_digest() and isinstance(shard, dict):
                return shard
        return {}


def _shard(shown: str) -> int:
    return zlib.crc32(shown.encode("utf-8")) % SHARDS
