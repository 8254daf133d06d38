"""`sop new`: three files with the team's next free id that pass lint; never overwrites; clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import APL, Repo, assert_golden
from sop_trees import ENGLISH, TODAY, Tree
from soplib import scaffold
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project

SOP = Path(sys.executable).with_name("sop")
NEW = "sops/appeals/creator-appeal-of-a-content-violation"


def sop(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args], cwd=root, capture_output=True, text=True, check=False, env=os.environ
    )


def test_the_new_files_match_the_golden_files_and_pass_lint(tree: Tree) -> None:
    tree.add_sop()
    said = scaffold.execute(tree.root, "appeals", "Creator appeal of a content violation", None, None, TODAY)
    assert said.startswith('Created SOP-APL-002 "Creator appeal of a content violation" (appeals, draft')
    for suffix, golden in ((".md", "new-sop.md"), (".es.md", "new-sop.es.md"), (".pt.md", "new-sop.pt.md")):
        assert_golden(golden, (tree.root / f"{NEW}{suffix}").read_text(encoding="utf-8"))
    result = lint(load_library(Project(tree.root)), TODAY)
    assert [f for f in result.findings if f.path.startswith(NEW)] == []


def test_the_command_says_what_it_made_and_what_to_do_next(tree: Tree) -> None:
    tree.add_sop()
    result = sop(tree.root, "new", "--team", "APL", "--title", "Creator appeal: content violation")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        'Created SOP-APL-002 "Creator appeal: content violation" (appeals, draft, version 1.0.0):',
        "  sops/appeals/creator-appeal-content-violation.md",
        "  sops/appeals/creator-appeal-content-violation.es.md",
        "  sops/appeals/creator-appeal-content-violation.pt.md",
    ]
    assert "`sop owners`" in result.stdout
    english = (tree.root / "sops/appeals/creator-appeal-content-violation.md").read_text(encoding="utf-8")
    assert 'title: "Creator appeal: content violation"\n' in english  # quoted: the colon
    assert 'owner: "@org/appeals-leads"' in english  # the team's owner


def test_ids_used_in_the_git_history_are_never_reused(tree: Tree) -> None:
    repo = Repo(tree)
    tree.add_sop()
    tree.add_sop("appeals/old", en=ENGLISH.replace("SOP-APL-001", "SOP-APL-002"), es=None, pt=None)
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "two SOPs")
    (tree.root / "sops/appeals/old.md").unlink()
    repo.commit("2026-07-01T10:00:00-06:00", "Mariana López", "SOP-APL-002 deleted")
    said = scaffold.execute(tree.root, "appeals", "Another appeal", None, None, TODAY)
    assert said.startswith('Created SOP-APL-003 "Another appeal"')
    assert "Note:" not in said


def test_outside_git_the_note_says_to_check_the_id(tree: Tree) -> None:
    said = scaffold.execute(tree.root, "qa", "Calibration sessions", None, "@org/qa-leads", TODAY)
    assert said.startswith('Created SOP-QA-001 "Calibration sessions" (quality-assurance')
    assert said.endswith("check that SOP-QA-001 was never used before.\n")


def test_an_existing_file_is_never_overwritten(tree: Tree) -> None:
    tree.add_sop()
    tree.write(f"{NEW}.pt.md", "mine\n")
    result = sop(tree.root, "new", "--team", "appeals", "--title", "Creator appeal of a content violation")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: {NEW}.pt.md already exists; `sop new` never overwrites a file: choose another title "
        "or --slug\n"
    )
    assert (tree.root / f"{NEW}.pt.md").read_text(encoding="utf-8") == "mine\n"
    assert not (tree.root / f"{NEW}.md").exists()
    assert not (tree.root / f"{NEW}.es.md").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--team", "apeals", "--title", "Some appeal"],
            "unknown team 'apeals' (did you mean appeals?): the teams are appeals (APL), "
            "quality-assurance (QA), customer-service (CS), knowledge-management (KM), bpo-training (TRN)",
        ),
        (
            ["--team", "legal", "--title", "Some appeal"],
            "unknown team 'legal': the teams are appeals (APL), quality-assurance (QA), "
            "customer-service (CS), knowledge-management (KM), bpo-training (TRN)",
        ),
        (["--team", "appeals", "--title", "Tiny"], "--title: 4 characters; a title has 5 to 120"),
        (
            ["--team", "appeals", "--title", "Some appeal", "--slug", "Some Appeal"],
            "--slug 'Some Appeal': use lower-case letters, digits and hyphens, e.g. damaged-item",
        ),
        (
            ["--team", "appeals", "--title", "Some appeal", "--owner", "appeals team"],
            "--owner 'appeals team': give a GitHub user (@name) or team (@org/team)",
        ),
        (
            ["--team", "bpo-training", "--title", "Nesting"],
            "no SOP of team bpo-training has an owner yet to copy: give one with --owner @org/team",
        ),
        (
            ["--team", "appeals", "--title", "¿¿ !!"],
            "cannot make a file name from the title '¿¿ !!': give one with --slug",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(tree: Tree, args: list[str], message: str) -> None:
    tree.add_sop()
    before = sorted(path for path in tree.root.rglob("*") if path.is_file())
    result = sop(tree.root, "new", *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    assert sorted(path for path in tree.root.rglob("*") if path.is_file()) == before


def test_the_slug_comes_from_the_title_in_plain_ascii() -> None:
    assert scaffold.make_slug("Reembolso: devolución del envío", None) == "reembolso-devolucion-del-envio"
    long = scaffold.make_slug("word " * 30, None)
    assert len(long) <= 60 and not long.endswith("-")
    assert scaffold.make_slug("ignored", "given-slug") == "given-slug"


def test_next_id_and_the_review_date() -> None:
    assert scaffold.next_id("APL", {"SOP-APL-001", "SOP-APL-009", "SOP-QA-012"}) == "SOP-APL-010"
    assert scaffold.next_id("KM", set()) == "SOP-KM-001"
    english = scaffold.english_front_matter(
        Project(Path(__file__).resolve().parents[1]),
        "SOP-KM-001",
        "knowledge-management",
        "A title",
        "@o/t",
        TODAY,
    )
    assert "review_by: 2027-05-22  #" in english  # six months after 2026-11-22


def test_an_sop_in_the_library_keeps_its_files(tree: Tree) -> None:
    """The next id counts the SOPs in the working tree; their files are not touched."""
    tree.add_sop()
    before = (tree.root / f"{APL}.md").read_bytes()
    scaffold.execute(tree.root, "appeals", "Another appeal", None, None, TODAY)
    assert (tree.root / f"{APL}.md").read_bytes() == before
