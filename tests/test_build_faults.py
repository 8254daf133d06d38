"""`sop build` under faults, for real: killed at random moments, two at once, planted links, a read-only
folder and a full disk. The site folder always holds a whole site, and nothing is left behind."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from faults import fill, listing, read_only, small_disk
from sop_trees import ENGLISH, PORTUGUESE, SPANISH, Tree
from test_cli_build import site_tree

SOP = Path(sys.executable).with_name("sop")
PAGES = (
    "appeals/seller-appeal/index.html",
    "es/appeals/seller-appeal/index.html",
    "pt/appeals/seller-appeal/index.html",
)


class Library:
    """A small library whose text says which run it is, and `sop build` run on it with a TMPDIR of its own."""

    def __init__(self, tree: Tree, tmp: Path) -> None:
        self.tree = site_tree(tree)
        self.root = tree.root
        self.site = tree.root / "site"
        self.env = {**os.environ, "TMPDIR": str(tmp)}
        self.tmp = tmp
        self.tmp.mkdir(exist_ok=True)
        self.reference: list[str] = []  # the files of a whole site, but the search index
        self.set_run(0)

    def set_run(self, run: int) -> None:
        mark = f"\nMarker run-{run}-end.\n"
        self.tree.add_sop(en=ENGLISH + mark, es=SPANISH + mark, pt=PORTUGUESE + mark)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(SOP), "build", *args],
            cwd=self.root,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def build(self, *args: str) -> subprocess.CompletedProcess[str]:
        process = self.start(*args)
        stdout, stderr = process.communicate(timeout=120)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def left_behind(self) -> list[str]:
        """Work folders beside the site, and anything in the build's TMPDIR."""
        return [name for name in os.listdir(self.root) if name.startswith("sop-build-")] + os.listdir(
            self.tmp
        )

    def shown_run(self) -> int:
        """The run the site shows, after checking that it is one whole site: every file of a full build,
        every language page from the same run, and a search index whose every language is there."""
        files = [name for name in listing(self.site) if not name.startswith("pagefind")]
        assert files == self.reference, "the site folder is not a whole site"
        runs = {self._run_of(self.site / page) for page in PAGES}
        assert len(runs) == 1, f"pages from different builds: {runs}"
        for lang in ("en", "es", "pt"):  # one search bundle per language
            entry = json.loads(
                (self.site / f"pagefind/{lang}/pagefind-entry.json").read_text(encoding="utf-8")
            )
            for language in entry["languages"].values():
                assert (self.site / f"pagefind/{lang}/pagefind.{language['hash']}.pf_meta").is_file()
        json.loads((self.site / "catalog.json").read_text(encoding="utf-8"))
        return runs.pop()

    @staticmethod
    def _run_of(page: Path) -> int:
        text = page.read_text(encoding="utf-8")
        return int(text.split("Marker run-", 1)[1].split("-end", 1)[0])

    def processes(self) -> list[int]:
        """Processes still working in the library (the build's workers and Pagefind run there)."""
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                continue
            if Path(cwd).is_relative_to(self.root):
                found.append(int(pid))
        return found


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """One library for the tests of this module (a build takes a second or two); each test starts from
    the site its predecessor left."""
    folder = tmp_path_factory.mktemp("build-faults")
    library = Library(Tree(folder / "library"), folder / "tmp")
    first = library.build()
    assert first.returncode == 0, first.stderr
    library.reference = [name for name in listing(library.site) if not name.startswith("pagefind")]
    return library


def test_killed_at_random_moments_the_site_stays_whole(library: Library) -> None:
    started = time.monotonic()
    library.set_run(1)
    assert library.build().returncode == 0  # timed, to spread the kills over a whole build
    duration = time.monotonic() - started
    shown, seed = library.shown_run(), random.randrange(1 << 30)
    rng = random.Random(seed)
    kills = 6
    for run in range(2, 2 + kills):
        library.set_run(run)
        process = library.start()
        time.sleep(duration * (run - 2 + rng.random()) / kills)  # spread over the whole build
        process.send_signal(signal.SIGKILL)
        process.communicate()
        deadline = time.monotonic() + 10
        while library.processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert library.processes() == [], f"seed {seed}: the build's processes outlived it"
        now = library.shown_run()
        assert now in (shown, run), f"seed {seed}: run {run} killed, the site shows run {now}"
        shown = now
    library.set_run(99)
    result = library.build()
    assert result.returncode == 0, result.stderr
    assert library.shown_run() == 99
    assert library.left_behind() == [], f"seed {seed}"


def test_a_reader_finds_every_page_whole_while_the_site_is_replaced(library: Library) -> None:
    """As a web server reads the site (each request opens its file by path), through two builds."""
    done, reads, failures = threading.Event(), [0], []

    def read() -> None:
        while not done.is_set():
            time.sleep(0.001)
            for page in (*PAGES, "catalog.json", "pagefind/es/pagefind-entry.json"):
                try:
                    text = (library.site / page).read_text(encoding="utf-8")
                    assert text.rstrip().endswith(("</html>", "}")), page
                    reads[0] += 1
                except (OSError, AssertionError) as error:
                    failures.append(repr(error))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        library.set_run(library.shown_run() + 1)
        assert library.build().returncode == 0
    finally:
        done.set()
        reader.join()
    assert failures == [] and reads[0] > 100, (reads, failures[:3])


def test_two_builds_at_once_take_turns(library: Library) -> None:
    library.set_run(100)
    first, second = library.start(), library.start()
    results = [process.communicate(timeout=120) for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    waited = [stderr for _, stderr in results if "Waiting for the build of process" in stderr]
    assert len(waited) == 1, results
    assert library.shown_run() == 100
    assert library.left_behind() == []


def test_work_folders_of_a_killed_build_are_removed_by_the_next(library: Library, tmp_path: Path) -> None:
    stale = library.root / "sop-build-site-k1lled_0"
    (stale / "en").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    planted = library.root / "sop-build-site-l1nked_0"  # the name of a work folder, but a link
    planted.symlink_to(outside)
    assert library.build().returncode == 0
    assert not stale.exists()
    assert planted.is_symlink() and (outside / "keep.txt").read_text(encoding="utf-8") == "keep"
    planted.unlink()


def test_planted_links_at_the_site_are_refused(library: Library, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.json"
    secret.write_text("{}", encoding="utf-8")

    def refused(message: str, *args: str) -> None:
        result = library.build(*args)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
        assert listing(outside) == ["secret.json"] and secret.read_text(encoding="utf-8") == "{}"

    (library.root / "elsewhere").symlink_to(outside)  # the site folder
    refused("elsewhere: is a symbolic link; give the folder itself", "--site-dir", "elsewhere")
    catalog = library.site / "catalog.json"  # the marker of a site `sop build` made
    catalog.rename(tmp_path / "catalog.json")
    catalog.symlink_to(secret)
    refused("exists and is not a site that `sop build` made")
    catalog.unlink()
    (tmp_path / "catalog.json").rename(catalog)
    lock = library.root / ".site.lock"  # the lock file beside the site folder
    lock.unlink()
    lock.symlink_to(secret)
    refused(".site.lock: cannot lock the site folder: it is a symbolic link")
    lock.unlink()
    library.shown_run()


def test_a_read_only_folder_is_one_clear_line_and_the_site_stays(library: Library) -> None:
    before = library.shown_run()
    library.set_run(before + 1)
    with read_only(library.root):
        result = library.build()
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {library.root}/.site.lock: cannot lock the site folder: Read-only file system\n"
    )
    assert library.shown_run() == before
    assert library.left_behind() == []


def test_a_full_disk_is_one_clear_line_and_the_site_stays(tree: Tree, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk, "48m"):
        library = Library(Tree(disk / "library"), tmp_path / "tmp")
        assert library.build().returncode == 0
        library.reference = [name for name in listing(library.site) if not name.startswith("pagefind")]
        library.set_run(1)
        fill(disk)
        result = library.build()
        assert result.returncode == 2, result.stderr
        # one line, naming what could not be written
        assert result.stderr.startswith(f"Error: {library.root}"), result.stderr
        assert result.stderr.endswith(": No space left on device\n") and result.stderr.count("\n") == 1
        assert library.shown_run() == 0
        assert library.left_behind() == []


def _stop_a_busy_pool() -> None:
    """What reading a large library does in the build's process group: a fork pool closed while its worker
    still works (the pool stops it with SIGTERM)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        pool.apply_async(time.sleep, (30,))
        time.sleep(0.3)


def test_a_worker_stopped_by_its_pool_does_not_kill_the_build() -> None:
    """The group leader kills its group on SIGTERM (its parent died); a worker forked from it inherited
    that handler, and its pool's SIGTERM killed the whole build (exit code -9) when the library was large
    enough to be read on two processes."""
    from soplib.site.build import _in_own_group

    started = time.monotonic()
    _in_own_group(_stop_a_busy_pool)  # raised "the site build stopped unexpectedly (exit code -9)"
    assert time.monotonic() - started < 20  # the worker was stopped, not waited for
