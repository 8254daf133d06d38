"""Shared fixtures: small SOP libraries written into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sop_trees import REPO, TODAY, Tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return Tree(tmp_path / "library")


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[str], Tree]:
    return lambda name: Tree(tmp_path / name)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library's site, built once per test run by the installed `sop build`, as on TODAY (the
    browser tests' clock: What's new for me is made from the changes of the months before it)."""
    site = tmp_path_factory.mktemp("site")
    sop = Path(sys.executable).with_name("sop")
    day = {
        "SOURCE_DATE_EPOCH": str(int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC).timestamp()))
    }
    result = subprocess.run(
        [str(sop), "build", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | day,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site
