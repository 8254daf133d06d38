"""What the benchmarks share: the installed commands and a timer."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

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
