"""--since and --until of `sop changelog` and `sop calibration-pack`: YYYY-MM-DD and git references; any
other way of writing a date gets one plain answer (exit 2), never git's "fetch it" hint."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gitrepo import Repo, assert_golden, git
from sop_trees import Tree
from soplib.doors.cli import cli

SOP = Path(sys.executable).with_name("sop")

CHANGELOG_SINCE = [
    "01/09/2026",
    "1-9-2026",
    "01.09.2026",
    "2026/09/01",
    "2026.9.1",
    "2026-9-1",
    "20260901",
    "15/10/2026",
    "09/13/2026",  # month first, as in the US: not a day/month/year date, so the example
    "01/09/26",
    "01/09",
    "last month",
    "yesterday",
    "hace 2 semanas",
    "ontem",
    "1 September 2026",
    "Sep 1, 2026",
    "1 de setembro de 2026",
    "15 de octubre de 2026",
    "2026-02-30",
    "2024-02-30",
    "2026-13-01",
    "calibration-oct",  # no date: git's answer, as before
    "1.2",
    "2026-09-01",
    "calibration-2026.09",  # a tag that looks like a date is a tag
    "01.02.2026",  # so is this one
]
PACK = [
    ["--since", "2026-06-01", "--until", "30/09/2026"],
    ["--since", "1 de junho de 2026"],
    ["--since", "2026-06-01", "--until", "next week"],
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = Repo(Tree(tmp_path_factory.mktemp("dates") / "library"))
    repo.tree.add_sop()
    repo.commit("2026-06-01T09:30:00-06:00", "Daniela Ortega", "SOP-APL-001 1.1.0")
    for tag in ("calibration-2026.09", "01.02.2026"):
        git(repo.root, "tag", tag)
    return repo.root


def _answer(root: Path, args: list[str], *extra: str) -> str:
    """The command as typed, its exit code and the first line it prints (the error, or the output's)."""
    result = CliRunner().invoke(cli, [*args, *extra, "--root", str(root)])
    shown = result.stderr.strip() or result.stdout.strip().splitlines()[0]
    return f"$ sop {shlex.join(args)}\n  exit {result.exit_code}: {shown}\n"


def test_every_way_of_writing_a_date_gets_the_plain_answer(root: Path, tmp_path: Path) -> None:
    changelog = [_answer(root, ["changelog", "--since", text]) for text in CHANGELOG_SINCE]
    output = tmp_path / "pack.html"
    pack = [_answer(root, ["calibration-pack", *args], "-o", str(output)) for args in PACK]
    assert_golden("dates.txt", "".join(changelog + pack))
    assert not output.exists()


def test_the_installed_command_exits_2_with_one_line(root: Path) -> None:
    args = [str(SOP), "changelog", "--since", "01/09/2026"]
    result = subprocess.run(args, cwd=root, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "Error: write dates as YYYY-MM-DD (for 1 September 2026: 2026-09-01)\n"
