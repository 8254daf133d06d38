"""Shared fixtures: small SOP libraries written into temporary folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sop_trees import Tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return Tree(tmp_path / "library")


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[str], Tree]:
    return lambda name: Tree(tmp_path / name)
