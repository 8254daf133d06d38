"""`sop history` and `sop changelog` over 300 SOPs x 3 languages with 5,000 commits. Target: under 5 s."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from bench_helpers import BIN, timed
from synthetic_history import generate_history

SOPS, COMMITS, TARGET = 300, 5000, 5.0


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    start = time.perf_counter()
    root = generate_history(SOPS, COMMITS, tmp_path_factory.mktemp("history") / "library")
    count = subprocess.run(
        ["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True, text=True
    )
    built = time.perf_counter() - start
    print(f"\nrepository of {SOPS} SOPs x 3 languages, {count.stdout.strip()} commits: {built:.1f} s")
    assert count.stdout.strip() == str(COMMITS)
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["history", "SOP-APL-101"],
        ["history", "SOP-CS-160", "--lang", "pt", "--format", "json"],
        ["changelog"],
        ["changelog", "--lang", "es", "--format", "json"],
        ["changelog", "--since", "HEAD~500", "--lang", "pt"],
    ],
)
def test_history_and_change_log_speed(repository: Path, args: list[str]) -> None:
    seconds, result = timed([str(BIN / "sop"), *args], repository, runs=3)
    print(f"\nsop {' '.join(args)}: {seconds:.2f} s (median of 3), {len(result.stdout):,} characters")
    assert result.returncode == 0, result.stderr
    assert seconds < TARGET


def test_lint_base_speed(repository: Path) -> None:
    seconds, result = timed([str(BIN / "sop"), "lint", "--base", "HEAD~500"], repository, runs=3)
    print(f"\nsop lint --base HEAD~500: {seconds:.2f} s (median of 3) -> {result.stdout.splitlines()[-1]}")
    assert result.returncode in (0, 1), result.stderr  # edits without a bump among the 500 commits: errors
    assert seconds < TARGET
