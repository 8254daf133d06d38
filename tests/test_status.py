"""`sop status` and `sop reminders`: freshness per SOP and language, and one reminder issue per owner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

import fake_gh
from gitrepo import APL_RENAMED, QA, QA_EN_110, Repo, assert_golden, story
from sop_trees import ENGLISH, TODAY, Tree
from soplib import reminders, status
from soplib.library import load_library
from soplib.project import Project

SOP = Path(sys.executable).with_name("sop")
OVERDUE = "review_by: 2026-11-01"  # three weeks before TODAY
DUE = "review_by: 2026-12-10"  # within 30 days of TODAY


def sop(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args], cwd=root, capture_output=True, text=True, check=False, env=env or os.environ
    )


@pytest.fixture(scope="module")
def story_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The story's eight commits, then: a review past due, one due soon, and a third SOP not translated."""
    repo = Repo(Tree(tmp_path_factory.mktemp("story") / "library"))
    story(repo)
    w = repo.tree.write
    english = (repo.root / f"{APL_RENAMED}.md").read_text(encoding="utf-8")
    w(f"{APL_RENAMED}.md", english.replace("review_by: 2027-06-01", OVERDUE))
    w(f"{QA}.md", QA_EN_110.replace("review_by: 2027-06-01", DUE))
    retired = ENGLISH.replace("SOP-APL-001", "SOP-APL-002").replace("status: active", "status: retired")
    repo.tree.add_sop("appeals/old-appeal", en=retired.replace("review_by: 2027-06-01", OVERDUE), es=None)
    damaged = ENGLISH.replace("SOP-APL-001", "SOP-APL-003").replace("@org/appeals-leads", "@org/cs-leads")
    repo.tree.add_sop("appeals/damaged", en=damaged, es=None, pt=None)
    return repo.root


def test_status_matches_the_golden_files(story_root: Path) -> None:
    assert_golden("status-story.txt", status.execute(story_root, "text", TODAY))
    assert_golden("status-story.json", status.execute(story_root, "json", TODAY))


def test_days_behind_count_from_the_commit_that_moved_english_on(story_root: Path) -> None:
    data = json.loads(status.execute(story_root, "json", TODAY))
    sops = {s["id"]: s for s in data["sops"]}
    spanish = sops["SOP-APL-001"]["translations"]["es"]
    # English 1.1.1 was committed on 2026-09-14; its change entry has the same date here
    assert (spanish["state"], spanish["versions_behind"], spanish["behind_since"]) == (
        "stale",
        1,
        "2026-09-14",
    )
    assert spanish["days_behind"] == (TODAY - date(2026, 9, 14)).days
    qa = sops["SOP-QA-001"]
    # committed on 2026-10-12, although its change entry says it is in force from 2026-12-01
    assert qa["translations"]["es"]["behind_since"] == "2026-10-12"
    assert qa["translations"]["pt"]["state"] == "not-planned"
    assert qa["review"] == {"review_by": "2026-12-10", "state": "due", "days_left": 18}
    assert sops["SOP-APL-001"]["review"]["state"] == "overdue"
    assert sops["SOP-APL-002"]["review"]["state"] == "none"  # retired
    assert sops["SOP-APL-003"]["translations"]["es"]["state"] == "missing"
    assert data["summary"]["translations"] == {"current": 0, "stale": 3, "missing": 2, "invalid": 0}


def test_without_git_days_behind_come_from_the_change_entries(story_root: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story_root, plain, ignore=shutil.ignore_patterns(".git"))
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = sop(plain, "status", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["days_behind_from"] == "change entries"
    qa = next(s for s in data["sops"] if s["id"] == "SOP-QA-001")
    assert qa["translations"]["es"]["behind_since"] == "2026-12-01"  # the entry's date: in the future
    assert qa["translations"]["es"]["days_behind"] == 0


def test_the_command_prints_the_same_as_the_core(story_root: Path) -> None:
    result = sop(story_root, "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout == status.execute(story_root, "text", date.today())


def test_review_states(tree: Tree) -> None:
    for days, expected in ((-1, "overdue"), (0, "due"), (30, "due"), (31, "ok")):
        text = ENGLISH.replace("review_by: 2027-06-01", f"review_by: {TODAY + timedelta(days=days)}")
        tree.add_sop(en=text)
        found = status.library_status(load_library(Project(tree.root)), None, TODAY)
        assert found.sops[0].review.state == expected, days


# -- reminders -----------------------------------------------------------------------------------------
def test_reminders_match_the_golden_files(story_root: Path) -> None:
    assert_golden("reminders-story.txt", reminders.execute(story_root, 30, 30, "text", False, TODAY))
    assert_golden("reminders-story.json", reminders.execute(story_root, 30, 30, "json", False, TODAY))


def test_stale_days_and_review_days_choose_what_is_due(story_root: Path) -> None:
    def due(stale_days: int, review_days: int) -> set[tuple[str, str, str | None]]:
        data = json.loads(reminders.execute(story_root, stale_days, review_days, "json", False, TODAY))
        return {(i["id"], i["kind"], i["lang"]) for r in data for i in r["reviews"] + r["translations"]}

    assert due(30, 30) == {
        ("SOP-APL-001", "review", None),
        ("SOP-APL-001", "translation", "es"),
        ("SOP-APL-001", "translation", "pt"),
        ("SOP-QA-001", "review", None),
        ("SOP-QA-001", "translation", "es"),
    }
    # 41 days behind for SOP-QA-001's Spanish, 69 for SOP-APL-001's translations
    assert due(50, 0) == {
        ("SOP-APL-001", "review", None),
        ("SOP-APL-001", "translation", "es"),
        ("SOP-APL-001", "translation", "pt"),
    }
    assert due(100, 0) == {("SOP-APL-001", "review", None)}


def test_nothing_due(tree: Tree) -> None:
    tree.add_sop()
    result = reminders.execute(tree.root, 30, 30, "text", False, TODAY)
    assert result == "Nothing is due: no review, and no translation behind for more than 30 days.\n"


def test_one_issue_per_owner_opened_updated_and_closed(story_root: Path, tmp_path: Path) -> None:
    state = tmp_path / "gh.json"
    env = fake_gh.install(tmp_path / "bin", state)
    someone_elses = {"number": 5, "state": "open", "title": "Typo", "body": "A typo in step 2."}
    pull_request = {
        "number": 6,
        "state": "open",
        "title": "PR",
        "body": "<!-- sop-reminders @org/x -->",
        "pull_request": {},
    }
    fake_gh.save(state, {**fake_gh.load(state), "issues": [someone_elses, pull_request]})

    def run() -> str:
        result = sop(story_root, "reminders", "--github", env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert run() == "opened #101 for @org/appeals-leads\nopened #102 for @org/qa-leads\n"
    assert run() == "#101 for @org/appeals-leads is up to date\n#102 for @org/qa-leads is up to date\n"
    issues = {i["number"]: i for i in fake_gh.load(state)["issues"]}
    assert issues[101]["title"] == (
        "SOP reminders for @org/appeals-leads: 1 SOP review due, 2 translations behind English"
    )
    assert issues[101]["labels"] == ["review-due"]
    (label,) = fake_gh.load(state)["labels"]  # created once, before the first issue that needs it
    assert label["name"] == "review-due"
    project = Project(story_root)
    now = status.library_status(load_library(project), status.optional_history(project), date.today())
    assert issues[101]["body"] == reminders.issue_body(reminders.reminders(now, 30, project)[0], 30)
    assert issues[101]["body"].startswith("<!-- sop-reminders @org/appeals-leads -->\n")
    # a duplicate someone opened by hand (or an earlier run that failed half-way) is closed
    fake_gh.save(
        state,
        {**fake_gh.load(state), "issues": [*fake_gh.load(state)["issues"], {**issues[102], "number": 150}]},
    )
    assert run() == (
        "#101 for @org/appeals-leads is up to date\n#102 for @org/qa-leads is up to date\n"
        "closed #150, a duplicate of #102\n"
    )
    # the QA lead's review is done and its translation updated: their issue is closed
    qa_english = (story_root / f"{QA}.md").read_text(encoding="utf-8")
    qa_spanish = (story_root / f"{QA}.es.md").read_text(encoding="utf-8")
    try:
        (story_root / f"{QA}.md").write_text(
            qa_english.replace(DUE, "review_by: 2027-06-01"), encoding="utf-8"
        )
        (story_root / f"{QA}.es.md").write_text(
            qa_spanish.replace("source_version: 1.0.0", "source_version: 1.1.0"), encoding="utf-8"
        )
        assert (
            run()
            == "#101 for @org/appeals-leads is up to date\nclosed #102 for @org/qa-leads: nothing is due\n"
        )
    finally:
        (story_root / f"{QA}.md").write_text(qa_english, encoding="utf-8")
        (story_root / f"{QA}.es.md").write_text(qa_spanish, encoding="utf-8")
    final = {i["number"]: i for i in fake_gh.load(state)["issues"]}
    assert {n: i["state"] for n, i in final.items()} == {
        5: "open",
        6: "open",
        101: "open",
        102: "closed",
        150: "closed",
    }
    assert final[5] == someone_elses
    comments = [(c["issue"], c["body"]) for c in fake_gh.load(state)["comments"]]
    assert comments == [
        (150, "Duplicate of #102."),
        (102, "Nothing is due any more: closing this reminder."),
    ]
