"""How far a long build is, on one line of the terminal: pages made out of pages to make. Silent when the
output is not a terminal (CI logs, pipes). Shared with the build's forked workers, which count too."""

from __future__ import annotations

import multiprocessing
import sys
import time
from typing import TextIO

EVERY = 0.25  # seconds between updates of the line


class Progress:
    def __init__(self, stream: TextIO = sys.stderr, shown: bool | None = None) -> None:
        self.stream = stream
        self.shown = stream.isatty() if shown is None else shown
        self._made = multiprocessing.Value("l", 0)  # made in this process and the workers forked from it
        self._total = multiprocessing.Value("l", 0)
        self._printed = multiprocessing.Value("d", 0.0)

    def start(self, total: int) -> None:
        self._total.value, self._made.value = total, 0
        self._print("Building the site", force=True)

    def grow(self, pages: int) -> None:
        """More pages to make, found once the making has started."""
        with self._total.get_lock():
            self._total.value += pages

    def add(self, pages: int = 1) -> None:
        with self._made.get_lock():
            self._made.value += pages
        self._print("Building the site")

    def stage(self, name: str) -> None:
        self._print(f"Building the site: {name}", force=True)

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    @property
    def made(self) -> int:
        return int(self._made.value)

    def _print(self, what: str, force: bool = False) -> None:
        if not self.shown:
            return
        now = time.monotonic()
        with self._printed.get_lock():
            if not force and now - self._printed.value < EVERY:
                return
            self._printed.value = now
        made, total = self._made.value, self._total.value
        self.stream.write(f"\r\033[K{what}: {made:,} of {total:,} pages")
        self.stream.flush()
