"""Publishing a library with a long history: 1,000 SOPs x 3 languages and 10,000 commits (synthetic_history).

Prints the full build time, the time of a build after one SOP's English text changed, the peak memory of the
whole process tree (the sum of the proportional set sizes, PSS, of `sop` and every process under it, sampled
every 100 ms: forked workers share pages, which RSS would count twice), the site's size and its largest page.
Targets: full build under 60 s, rebuild under 5 s, peak memory under 300 MB, site under 300 MB, no page over
300 KB.

SOP_BENCH_SOPS / SOP_BENCH_COMMITS change the library; SOP_BENCH_BASELINE=/path/to/venv/bin measures the
`sop` of another installation (an older release, with the mkdocs.yml of its checkout) on the same library
in the same run, for comparison.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bench_helpers import BIN
from synthetic_history import generate_history

SOPS = int(os.environ.get("SOP_BENCH_SOPS", "1000"))
COMMITS = int(os.environ.get("SOP_BENCH_COMMITS", "10000"))


@dataclass
class Run:
    seconds: float
    peak_mb: float
    at_peak: str  # the processes at the peak, the largest first

    def __str__(self) -> str:
        return f"{self.seconds:7.1f} s   peak memory {self.peak_mb:6.0f} MB ({self.at_peak})"


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # ended meanwhile
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _name(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    useful = [
        w.decode(errors="replace").rsplit("/", 1)[-1] for w in words[:4] if w and not w.startswith(b"-")
    ]
    return " ".join(useful[:3])


def _tree(root: int) -> list[int]:
    """`root` and every process under it (the kernel's list of each thread's children)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for thread in threads:
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in Path(f"/proc/{pid}/task/{thread}/children").read_text().split())
    return found


def run(command: list[str], cwd: Path) -> Run:
    """Wall time and peak memory (PSS of the process tree) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, at_peak = 0, ""
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, at_peak
        while not done.is_set():
            sizes = sorted(((_pss_kb(pid), _name(pid)) for pid in _tree(process.pid)), reverse=True)
            total = sum(size for size, _ in sizes)
            if total > peak:
                peak, at_peak = total, ", ".join(f"{name} {size // 1024}" for size, name in sizes[:4])
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    assert process.returncode == 0, (out + err)[-3000:]
    return Run(seconds, peak / 1024, at_peak)


def site_figures(site: Path) -> tuple[float, int, str]:
    """The site's size in MB (each file once, however many links it has), its page count and largest page."""
    seen, size, pages, largest = set(), 0, 0, (0, "")
    for path in site.rglob("*"):
        info = path.lstat()
        if path.is_file() and (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            size += info.st_size
        if path.suffix == ".html":
            pages += 1
            largest = max(largest, (info.st_size, path.relative_to(site).as_posix()))
    return size / 1e6, pages, f"{largest[0] / 1e3:.0f} KB ({largest[1]})"


def edit_one_sop(root: Path) -> None:
    """An SME's change to one SOP's English text (a word in its procedure), not committed yet."""
    path = sorted((root / "sops").glob("*/*.md"))[0]
    if path.name.count(".") > 1:
        path = path.with_name(path.name.split(".")[0] + ".md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Procedure\n", "## Procedure\n\nRead the whole case first.\n", 1))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history") / "library"
    generate_history(SOPS, COMMITS, root)
    return root


def measure(bin_dir: Path, library: Path, label: str) -> None:
    root = library.parent / f"{library.name}-{label}"
    shutil.copytree(library, root, symlinks=True)
    checkout = bin_dir.parents[1]  # another installation's venv/bin: its site configuration goes with it
    if label == "baseline" and (checkout / "mkdocs.yml").is_file():
        shutil.copyfile(checkout / "mkdocs.yml", root / "mkdocs.yml")
    site = root / "site"
    command = [str(bin_dir / "sop"), "build", "--site-dir", str(site)]
    full = run(command, root)
    size, pages, largest = site_figures(site)
    edit_one_sop(root)
    again = run(command, root)
    print(
        f"\n{label}: {SOPS:,} SOPs x 3, {COMMITS:,} commits\n"
        f"  full build        {full}\n"
        f"  after one edit    {again}\n"
        f"  site              {size:7.1f} MB, {pages:,} pages; largest page {largest}"
    )
    if label == "this tree":
        assert full.seconds < 60 and again.seconds < 5, (full, again)
        assert max(full.peak_mb, again.peak_mb) < 300 and size < 300
        assert int(largest.split()[0]) < 300


def test_publishing_a_long_history(library: Path) -> None:
    if os.environ.get("SOP_BENCH_BASELINE"):
        measure(Path(os.environ["SOP_BENCH_BASELINE"]), library, "baseline")
    measure(BIN, library, "this tree")
