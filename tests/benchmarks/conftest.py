"""Benchmarks run on demand (`make bench`), never in the default test run; each prints its figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from synthetic import generate


@pytest.fixture(scope="session")
def synthetic_library(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    made: dict[int, Path] = {}

    def make(count: int) -> Path:
        if count not in made:
            made[count] = generate(count, tmp_path_factory.mktemp(f"library-{count}"))
        return made[count]

    return make
