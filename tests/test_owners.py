"""`sop owners`: .github/CODEOWNERS from the SOPs' owners; --check; hand-written lines are kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import QA, QA_EN_100, QA_ES_100, assert_golden
from sop_trees import ENGLISH, REPO, Tree
from soplib.owners import BEGIN, END

SOP = Path(sys.executable).with_name("sop")
CODEOWNERS = ".github/CODEOWNERS"


def sop(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args], cwd=root, capture_output=True, text=True, check=False, env=os.environ
    )


@pytest.fixture
def library(tree: Tree) -> Tree:
    """Three languages for one SOP; another written in English and Spanish only, as its `languages` says,
    with a space in its file name; and the Portuguese translation of a third SOP not written yet."""
    tree.add_sop()
    tree.write(f"{QA}.md", QA_EN_100)
    tree.write(f"{QA}.es.md", QA_ES_100)
    third = ENGLISH.replace("SOP-APL-001", "SOP-APL-002").replace("@org/appeals-leads", "@mariana-lopez")
    tree.add_sop("appeals/creator appeal", en=third, pt=None)
    return tree


def test_codeowners_matches_the_golden_file(library: Tree) -> None:
    result = sop(library.root, "owners")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"Wrote {CODEOWNERS} (8 files, 3 owners)\n"
    assert_golden("CODEOWNERS", (library.root / CODEOWNERS).read_text(encoding="utf-8"))


def test_check_fails_until_the_file_is_written_then_passes(library: Tree) -> None:
    missing = sop(library.root, "owners", "--check")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert (
        missing.stderr == f"Error: {CODEOWNERS} does not exist. Create it with `sop owners` and commit it.\n"
    )
    assert not (library.root / CODEOWNERS).exists()
    sop(library.root, "owners")
    written = (library.root / CODEOWNERS).stat().st_mtime_ns
    assert sop(library.root, "owners", "--check").returncode == 0
    again = sop(library.root, "owners")
    assert again.stdout == f"{CODEOWNERS} is up to date (8 files, 3 owners)\n"
    assert (library.root / CODEOWNERS).stat().st_mtime_ns == written  # not rewritten


def test_check_shows_what_changed_and_how_to_regenerate(library: Tree) -> None:
    sop(library.root, "owners")
    before = (library.root / CODEOWNERS).read_text(encoding="utf-8")
    library.write(f"{QA}.md", QA_EN_100.replace("@org/qa-leads", "@org/qa-auditors"))
    result = sop(library.root, "owners", "--check")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"Error: {CODEOWNERS} is out of date with the `owner` fields of the SOPs:\n"
    )
    assert "-/sops/quality-assurance/calibration-sessions.md @org/qa-leads\n" in result.stderr
    assert "+/sops/quality-assurance/calibration-sessions.md @org/qa-auditors\n" in result.stderr
    assert result.stderr.endswith(f"Regenerate it with `sop owners` and commit {CODEOWNERS}.\n")
    assert (library.root / CODEOWNERS).read_text(encoding="utf-8") == before  # --check never writes


def test_lines_written_by_hand_are_kept(library: Tree) -> None:
    above = "# Maintainers of the tooling\n* @org/sop-maintainers\n\n"
    below = "\n\n# the contributor guide needs knowledge management too\n/sops/appeals/ @org/km\n"
    sop(library.root, "owners")
    generated = (library.root / CODEOWNERS).read_text(encoding="utf-8")
    block = generated[generated.index(BEGIN) : generated.index(END) + len(END)]
    library.write(CODEOWNERS, above + block + below)
    library.write(f"{QA}.md", QA_EN_100.replace("@org/qa-leads", "@org/qa-auditors"))
    assert sop(library.root, "owners").returncode == 0
    text = (library.root / CODEOWNERS).read_text(encoding="utf-8")
    assert text.startswith(above + BEGIN + "\n")
    assert text.endswith(END + below)
    assert "/sops/quality-assurance/calibration-sessions.md @org/qa-auditors\n" in text


def test_a_file_without_the_markers_is_kept_and_the_block_added(library: Tree) -> None:
    library.write(CODEOWNERS, "* @org/sop-maintainers\n")
    sop(library.root, "owners")
    text = (library.root / CODEOWNERS).read_text(encoding="utf-8")
    assert text.startswith(f"* @org/sop-maintainers\n\n{BEGIN}\n")
    assert sop(library.root, "owners", "--check").returncode == 0


def test_an_sop_without_a_valid_owner_stops_before_writing(library: Tree) -> None:
    library.write(f"{QA}.md", QA_EN_100.replace('owner: "@org/qa-leads"', "owner: qa leads"))
    result = sop(library.root, "owners")
    assert result.returncode == 2
    assert result.stderr == (
        "Error: cannot write CODEOWNERS: these SOPs have no valid owner (a GitHub user @name or team "
        "@org/team):\n  sops/quality-assurance/calibration-sessions.md: `owner` is 'qa leads'\n"
        "Fix them (`sop lint` shows where), then run `sop owners` again\n"
    )
    assert not (library.root / CODEOWNERS).exists()


def test_the_committed_codeowners_of_this_library_is_up_to_date() -> None:
    result = sop(REPO, "owners", "--check")
    assert result.returncode == 0, result.stderr
