"""Benchmarks run on demand (`make bench`), never in the default test run; each prints its figures."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import generate

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, runs: int = 3) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Median wall time of `runs` runs of a command, and the last run's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


@pytest.fixture(scope="session")
def synthetic_library(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    made: dict[int, Path] = {}

    def make(count: int) -> Path:
        if count not in made:
            made[count] = generate(count, tmp_path_factory.mktemp(f"library-{count}"))
        return made[count]

    return make
