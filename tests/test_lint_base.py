"""`sop lint --base REF`: each rule fails at the exact place and passes when the change is right."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gitrepo import APL, APL_RENAMED, ENTRY_110, Repo, assert_golden, git, story
from sop_trees import ENGLISH, SPANISH, TODAY, Tree
from soplib.lint import LintResult
from soplib.lint.execute import execute
from soplib.reporters import TextReporter

SOP = Path(sys.executable).with_name("sop")
EN, ES = f"{APL}.md", f"{APL}.es.md"
BASE_RULES = {
    "version-not-bumped",
    "version-decreased",
    "changes-entry-removed",
    "change-type-bump",
    "translation-source-decreased",
    "change-type-figures",
}


def sop(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args], cwd=root, capture_output=True, text=True, check=False, env=os.environ
    )


def test_the_story_against_the_commit_before_matches_the_golden_file(tmp_path: Path) -> None:
    repo = Repo(Tree(tmp_path / "library"))
    story(repo)  # the last commit edits SOP-APL-001 without raising its version
    result = execute(repo.root, [], TODAY, "HEAD~1")
    assert_golden("lint-base-story.txt", TextReporter().render(result) + "\n")
    assert result.exit_code == 1
    cli = sop(repo.root, "lint", "--base", "HEAD~1")
    assert (cli.returncode, cli.stdout) == (1, TextReporter().render(result) + "\n")
    # against the first commit every bump was right: only the translations behind English are left
    since_start = execute(repo.root, [], TODAY, "HEAD~7")
    assert {f.rule for f in since_start.findings} == {
        "translation-stale",
        "translation-wording",
        "metadata-empty",
    }


@pytest.fixture
def based(tree: Tree) -> Repo:
    """The library of the sop_trees templates committed; tests change the working files against HEAD."""
    repo = Repo(tree)
    tree.add_sop()
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.1.0")
    return repo


def lint_base(repo: Repo, *paths: str) -> LintResult:
    return execute(repo.root, [repo.root / p for p in paths], TODAY, "HEAD")


def based_findings(result: LintResult) -> set[tuple[str, str, int, int]]:
    return {(f.rule, f.path, f.line, f.column) for f in result.findings if f.rule in BASE_RULES}


def bump(version: str, kind: str, summary: str = "Step added.") -> str:
    entry = f"  - version: {version}\n    date: 2026-07-01\n    type: {kind}\n    summary: {summary}\n"
    return ENGLISH.replace("version: 1.1.0\n", f"version: {version}\n", 1).replace(
        "changes:\n", f"changes:\n{entry}"
    )


def en(text: str) -> Callable[[Tree], None]:
    return lambda tree: tree.write(EN, text)


FAILING: list[tuple[str, Callable[[Tree], None], tuple[str, str, int, int], str]] = [
    (
        "body changed, same version",
        en(ENGLISH.replace("72 hours.", "96 hours.")),
        ("version-not-bumped", EN, 4, 1),
        "changed since HEAD (the body), but version is still 1.1.0",
    ),
    (
        "front matter changed, same version",
        en(ENGLISH.replace("regions: [MX, BR]", "regions: [MX]")),
        ("version-not-bumped", EN, 4, 1),
        "changed since HEAD (regions), but version is still 1.1.0",
    ),
    (
        "version went down",
        en(ENGLISH.replace("version: 1.1.0\n", "version: 1.0.0\n", 1)),
        ("version-decreased", EN, 4, 1),
        "version went down since HEAD: from 1.1.0 to 1.0.0",
    ),
    (
        "the top entry rewritten instead of a new one",
        en(bump("1.2.0", "procedure").replace(ENTRY_110, "")),
        ("changes-entry-removed", EN, 14, 1),
        "the `changes` entry for 1.1.0 (there at HEAD) is gone",
    ),
    (
        "editorial fix with a minor bump",
        en(bump("1.2.0", "editorial", "Typo fixed.")),
        ("change-type-bump", EN, 17, 5),
        "editorial change 1.2.0 is a minor bump from 1.1.0",
    ),
    (
        "procedure change with a patch bump",
        en(bump("1.1.1", "procedure")),
        ("change-type-bump", EN, 17, 5),
        "procedure change 1.1.1 is a patch bump from 1.1.0",
    ),
    (
        "a time limit changed under an editorial bump",
        en(
            bump("1.1.1", "editorial", "Reworded.")
            .replace("effective_date: 2026-06-01", "effective_date: 2026-07-01")
            .replace("has 72 hours.", "has 96 hours.")
        ),
        ("change-type-figures", EN, 17, 5),
        "72 hours -> 96 hours (step 2): an editorial change does not change numbers or time limits",
    ),
    (
        "translation back to an older English version",
        lambda tree: tree.write(ES, SPANISH.replace("source_version: 1.1.0", "source_version: 1.0.0")),
        ("translation-source-decreased", ES, 4, 1),
        "source_version went down since HEAD: from 1.1.0 to 1.0.0",
    ),
]


@pytest.mark.parametrize(("name", "change", "where", "message"), FAILING, ids=[c[0] for c in FAILING])
def test_rule_fails_at_the_exact_place(
    based: Repo, name: str, change: Callable[[Tree], None], where: tuple[str, str, int, int], message: str
) -> None:
    change(based.tree)
    result = lint_base(based)
    assert based_findings(result) == {where}, name
    (finding,) = (f for f in result.findings if f.rule == where[0])
    assert finding.message == message
    assert finding.hint


PASSING: list[tuple[str, Callable[[Tree], None]]] = [
    ("nothing changed", lambda tree: None),
    ("procedure change with a minor bump", en(bump("1.2.0", "procedure"))),
    ("policy change with a major bump", en(bump("2.0.0", "policy"))),
    ("editorial fix with a patch bump", en(bump("1.1.1", "editorial", "Typo fixed."))),
    ("clarification with a patch bump", en(bump("1.1.1", "clarification", "Step 2 clarified."))),
    (
        "review date and owner only",
        en(
            ENGLISH.replace("review_by: 2027-06-01", "review_by: 2027-12-01").replace(
                "@org/appeals", "@org/qa"
            )
        ),
    ),
    (
        "a translation fixed at the same version",
        lambda tree: tree.write(ES, SPANISH.replace("72 horas", "72 horas.")),
    ),
    (
        "a new SOP",
        lambda tree: tree.add_sop(
            "appeals/creator-appeal", en=ENGLISH.replace("SOP-APL-001", "SOP-APL-002"), es=None, pt=None
        ),
    ),
]


@pytest.mark.parametrize(("name", "change"), PASSING, ids=[c[0] for c in PASSING])
def test_rule_passes(based: Repo, name: str, change: Callable[[Tree], None]) -> None:
    change(based.tree)
    assert based_findings(lint_base(based)) == set(), name


def test_a_renamed_sop_is_compared_with_its_own_past(based: Repo) -> None:
    for suffix in (".md", ".es.md", ".pt.md"):
        based.move(f"{APL}{suffix}", f"{APL_RENAMED}{suffix}")
    assert based_findings(lint_base(based)) == set()
    based.tree.write(f"{APL_RENAMED}.md", ENGLISH.replace("72 hours.", "96 hours."))
    assert based_findings(lint_base(based)) == {("version-not-bumped", f"{APL_RENAMED}.md", 4, 1)}


def test_a_bump_without_an_entry_is_reported_once(based: Repo) -> None:
    based.tree.write(EN, ENGLISH.replace("version: 1.1.0\n", "version: 1.2.0\n", 1))
    assert [f.rule for f in lint_base(based).findings if f.severity.value == "error"] == [
        "changes-current-version"
    ]


def test_paths_select_the_findings(based: Repo) -> None:
    based.tree.write(EN, ENGLISH.replace("72 hours.", "96 hours."))
    assert based_findings(lint_base(based, ES)) == set()
    assert based_findings(lint_base(based, EN)) == {("version-not-bumped", EN, 4, 1)}


def test_uncommitted_and_committed_changes_alike(based: Repo) -> None:
    based.tree.write(EN, ENGLISH.replace("72 hours.", "96 hours."))
    based.commit("2026-07-01T10:00:00-06:00", "Daniela Ortega", "96 hours")
    result = execute(based.root, [], TODAY, "HEAD~1")
    assert based_findings(result) == {("version-not-bumped", EN, 4, 1)}


def test_bad_ref_is_a_clear_error(based: Repo) -> None:
    result = sop(based.root, "lint", "--base", "origin/main")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: 'origin/main' is not a branch, tag or commit of this repository (check the name, or fetch it "
        "first, e.g. `git fetch origin origin/main`)\n"
    )


def test_shallow_clone_says_how_to_fetch(based: Repo, tmp_path: Path) -> None:
    based.tree.write(EN, ENGLISH.replace("72 hours.", "96 hours."))
    based.commit("2026-07-01T10:00:00-06:00", "Daniela Ortega", "96 hours")
    clone = Tree(tmp_path / "clone")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{based.root}", str(clone.root / "tmp"))
    os.rename(clone.root / "tmp" / ".git", clone.root / ".git")
    git(clone.root, "checkout", "-q", "--", "sops")
    result = sop(clone.root, "lint", "--base", "HEAD~1")
    assert result.returncode == 2
    assert "this is a shallow clone: fetch the history with `git fetch --unshallow`" in result.stderr


def test_outside_git_is_a_clear_error(tree: Tree) -> None:
    tree.add_sop()
    result = subprocess.run(
        [str(SOP), "lint", "--base", "main"],
        cwd=tree.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tree.root.parent)},
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {tree.root} is not in a git repository")
