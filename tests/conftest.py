"""Shared fixtures: small SOP libraries written into temporary folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from site_extras import add_to_site
from sop_trees import REPO, TODAY, Tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return Tree(tmp_path / "library")


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[str], Tree]:
    return lambda name: Tree(tmp_path / name)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library's site, built once per test run by the installed `sop build`."""
    site = tmp_path_factory.mktemp("site")
    sop = Path(sys.executable).with_name("sop")
    result = subprocess.run(
        [str(sop), "build", "--site-dir", str(site)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def published_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with the files build_tree adds beside the pages (tests/site_extras.py: until its hook
    is in build_tree), in a copy of its own."""
    site = tmp_path_factory.mktemp("published") / "site"
    shutil.copytree(built_site, site)
    add_to_site(REPO, site, TODAY)  # the day the "What's new" data is made on (the browser tests' clock)
    return site
