"""`sop history` over a real git repository: versions, who and when, renames, text at any version, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import (
    APL,
    APL_RENAMED,
    EN_100,
    EN_111_UNBUMPED,
    ES_100,
    Repo,
    assert_golden,
    git,
    story,
)
from sop_trees import ENGLISH, REPO, SPANISH, Tree
from soplib.core.errors import SopError
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import front_fields, read_history

SOP = Path(sys.executable).with_name("sop")
Story = tuple[Repo, list[str]]


def sop(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="module")
def told(tmp_path_factory: pytest.TempPathFactory) -> Story:
    repo = Repo(Tree(tmp_path_factory.mktemp("story") / "library"))
    return repo, story(repo)


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["SOP-APL-001"], "history-SOP-APL-001.txt"),
        (["sop-apl-001", "--lang", "es"], "history-SOP-APL-001.es.txt"),
        (["SOP-APL-001", "--lang", "pt", "--format", "json"], "history-SOP-APL-001.pt.json"),
        (["SOP-QA-001"], "history-SOP-QA-001.txt"),
    ],
)
def test_history_matches_the_golden_file(told: Story, args: list[str], golden: str) -> None:
    result = sop(told[0].root, "history", *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert_golden(golden, result.stdout)


def test_each_version_is_where_it_first_appeared_across_a_rename(told: Story) -> None:
    repo, commits = told
    history = read_history(Git(repo.root), Project(repo.root))
    english = history.of("SOP-APL-001", "en")
    assert english is not None
    assert [(r.version, r.commit.sha, r.path) for r in english.versions] == [
        ("1.0.0", commits[0], f"{APL}.md"),
        ("1.1.0", commits[1], f"{APL}.md"),
        ("1.1.1", commits[4], f"{APL}.md"),
    ]
    assert english.path == f"{APL_RENAMED}.md"
    assert english.versions[0].commit.author == "Mariana López"
    assert english.versions[0].commit.date == "2026-01-10T10:00:00-06:00"
    assert [(version, c.sha) for version, c in english.edits] == [("1.1.1", commits[7])]  # no bump
    spanish = history.of("SOP-APL-001", "es")
    assert spanish is not None
    assert [(r.version, r.commit.sha) for r in spanish.versions] == [
        ("1.0.0", commits[0]),
        ("1.1.0", commits[3]),
    ]


def test_the_text_at_any_version(told: Story) -> None:
    repo, _ = told
    history = read_history(Git(repo.root), Project(repo.root))
    assert history.content("SOP-APL-001", "en", "1.0.0") == EN_100
    assert history.content("SOP-APL-001", "es", "1.0.0") == ES_100
    assert sop(repo.root, "history", "SOP-APL-001", "--at", "1.1.0").stdout == ENGLISH
    assert sop(repo.root, "history", "SOP-APL-001", "--lang", "es", "--at", "1.1.0").stdout.startswith(
        SPANISH.split("source_version")[0]
    )


def test_git_is_run_a_fixed_number_of_times_whatever_the_history(told: Story, tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    result = sop(told[0].root, "history", "SOP-APL-001", env={"GIT_TRACE": str(trace)})
    assert result.returncode == 0, result.stderr
    commands = [
        line.split("built-in: git ")[1].split()[0]
        for line in trace.read_text().splitlines()
        if "built-in: git " in line
    ]
    assert sorted(commands) == ["cat-file", "log", "rev-parse", "rev-parse"]


def test_a_version_first_appears_on_the_branch_not_at_the_merge(tree: Tree) -> None:
    repo = Repo(tree)
    tree.add_sop()
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "1.1.0")
    git(repo.root, "switch", "-q", "-c", "evidence")
    tree.write(f"{APL}.md", ENGLISH.replace("version: 1.1.0\n", "version: 1.2.0\n", 1))
    branch = repo.commit("2026-07-01T10:00:00-06:00", "Lucas Pereira", "1.2.0 on a branch")
    git(repo.root, "switch", "-q", "main")
    tree.write(f"{APL}.es.md", SPANISH.replace("Los vendedores", "Las y los vendedores"))
    repo.commit("2026-07-02T10:00:00-06:00", "Daniela Ortega", "es wording")
    git(
        repo.root, "merge", "-q", "--no-ff", "--no-edit", "evidence", env=_pinned("2026-07-03T10:00:00-06:00")
    )
    history = read_history(Git(repo.root), Project(repo.root))
    record = history.first_seen("SOP-APL-001", "en", "1.2.0")
    assert record is not None
    assert (record.commit.sha, record.commit.author) == (branch, "Lucas Pereira")


def _pinned(when: str) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": "Merger",
        "GIT_AUTHOR_EMAIL": "merger@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Merger",
        "GIT_COMMITTER_EMAIL": "merger@example.org",
        "GIT_COMMITTER_DATE": when,
    }


def test_versions_not_in_git_say_why(tree: Tree) -> None:
    repo = Repo(tree)
    tree.add_sop()  # 1.1.0, whose `changes` also lists 1.0.0 from before the repository
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "import")
    tree.write(
        f"{APL}.md",
        ENGLISH.replace("version: 1.1.0\n", "version: 1.2.0\n", 1).replace(
            "changes:\n",
            "changes:\n  - version: 1.2.0\n    date: 2026-12-01\n    type: procedure\n"
            "    summary: Step added.\n",
        ),
    )
    lines = sop(repo.root, "history", "SOP-APL-001").stdout.splitlines()
    assert lines[3:5] == ["1.2.0    procedure     in force 2026-12-01", "         Step added."]
    assert lines[5] == "         not committed yet"
    assert lines[-1] == "         before the file's git history"
    working = (repo.root / f"{APL}.md").read_text(encoding="utf-8")
    assert sop(repo.root, "history", "SOP-APL-001", "--at", "1.2.0").stdout == working


def test_a_deleted_sop_keeps_its_history(tree: Tree) -> None:
    repo = Repo(tree)
    tree.add_sop()
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "import")
    git(repo.root, "rm", "-q", f"{APL}.md", f"{APL}.es.md", f"{APL}.pt.md")
    gone = repo.commit("2026-07-01T10:00:00-06:00", "Daniela Ortega", "retire")
    (tree.root / "sops").mkdir(exist_ok=True)  # git removed the emptied folder
    result = sop(repo.root, "history", "SOP-APL-001")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == f"English: {APL}.md, deleted on 2026-07-01 in {gone[:7]}"


def test_a_repository_without_commits_shows_the_working_files(tree: Tree) -> None:
    Repo(tree)
    tree.add_sop()
    result = sop(tree.root, "history", "SOP-APL-001")
    assert result.returncode == 0, result.stderr
    assert "not committed yet" in result.stdout


# -- errors: one clear line, exit 2, never a traceback -----------------------------------------------------
def assert_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2, result.stdout
    assert result.stderr == f"Error: {message}\n"


def test_unknown_sop_id_suggests_the_nearest(told: Story) -> None:
    assert_error(
        sop(told[0].root, "history", "SOP-APL-01"),
        "unknown SOP id SOP-APL-01: no SOP has it in sops/ or in the git history; did you mean SOP-APL-001?",
    )


def test_a_language_the_sop_never_had(told: Story) -> None:
    assert_error(
        sop(told[0].root, "history", "SOP-QA-001", "--lang", "pt"),
        "SOP-QA-001 has no pt file, now or in its git history",
    )
    assert_error(
        sop(told[0].root, "history", "SOP-QA-001", "--lang", "fr"),
        "unknown language 'fr': the library's languages are en, es, pt",
    )


def test_unknown_version(told: Story) -> None:
    assert_error(
        sop(told[0].root, "history", "SOP-APL-001", "--at", "1.5.0"),
        "SOP-APL-001 (en) never had version 1.5.0 in git; versions in git: 1.0.0, 1.1.0, 1.1.1",
    )


def test_not_a_git_repository(tree: Tree) -> None:
    tree.add_sop()
    result = sop(tree.root, "history", "SOP-APL-001", env={"GIT_CEILING_DIRECTORIES": str(tree.root.parent)})
    assert_error(
        result,
        f"{tree.root} is not in a git repository: history, the change log and lint --base read the "
        "library's git history (work in a clone made with `git clone`)",
    )


def test_a_shallow_clone_says_how_to_fetch_the_history(told: Story, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{told[0].root}", str(clone))
    for folder in ("schemas", "translations"):  # not committed in the story
        shutil.copytree(REPO / folder, clone / folder)
    result = sop(clone, "history", "SOP-APL-001")
    assert result.returncode == 2
    assert "`git fetch --unshallow`" in result.stderr
    assert "Traceback" not in result.stderr


def test_core_errors_are_sop_errors(told: Story) -> None:
    history = read_history(Git(told[0].root), Project(told[0].root))
    with pytest.raises(SopError, match=r"never had version 9\.9\.9"):
        history.content("SOP-APL-001", "en", "9.9.9")
    assert history.content("SOP-APL-001", "en", "1.1.1") != EN_111_UNBUMPED  # the text when 1.1.1 appeared


def test_a_state_without_a_readable_id_stays_with_its_file(tree: Tree) -> None:
    repo = Repo(tree)
    tree.add_sop()
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "import")
    repo.move(f"{APL}.md", f"{APL_RENAMED}.md")
    broken = ENGLISH.replace("id: SOP-APL-001\n", "").replace("version: 1.1.0\n", "version: 1.2.0\n", 1)
    tree.write(f"{APL_RENAMED}.md", broken)
    lost = repo.commit("2026-07-01T10:00:00-06:00", "Daniela Ortega", "moved, and the id line lost")
    record = read_history(Git(repo.root), Project(repo.root)).first_seen("SOP-APL-001", "en", "1.2.0")
    assert record is not None
    assert (record.commit.sha, record.path) == (lost, f"{APL_RENAMED}.md")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b'---\nid: SOP-APL-001\ntitle: "Refunds: the rules"\nversion: 1.2.0 # bumped\n---\n',
            ("SOP-APL-001", "Refunds: the rules", "1.2.0", None),
        ),
        (
            b"\xef\xbb\xbf---\r\nid: 'SOP-QA-001'\r\nsource_version: 2.0.0\r\n---\r\n",
            ("SOP-QA-001", None, None, "2.0.0"),
        ),
        (b"---\nchanges:\n  - version: 1.0.0\n---\nversion: 9.9.9\n", (None, None, None, None)),
        (b"no front matter\nversion: 1.0.0\n", (None, None, None, None)),
    ],
)
def test_the_fields_history_reads_from_every_blob(raw: bytes, expected: tuple[str | None, ...]) -> None:
    found = front_fields(raw)
    assert (found.id, found.title, found.version, found.source_version) == expected
