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
from soplib.load.library import load_library
from soplib.load.project import Project

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


def due(root: Path, stale_days: int, review_days: int, fmt: str) -> str:
    """What `sop reminders` prints on TODAY."""
    found = reminders.compute(load_library(Project(root)), stale_days, review_days, TODAY)
    return reminders.RENDERERS[fmt]().render(found, stale_days)


def render(root: Path, fmt: str, today: date = TODAY, team: str | None = None, *states: str) -> str:
    """What `sop status` prints on `today`."""
    project = Project(root)
    found = status.status_of(project, load_library(project).state, today, team, states)
    return status.RENDERERS[fmt]().render(found)


def test_status_matches_the_golden_files(story_root: Path) -> None:
    assert_golden("status-story.txt", render(story_root, "text"))
    assert_golden("status-story.json", render(story_root, "json"))
    assert_golden("status-story.csv", render(story_root, "csv"))


def test_days_behind_count_from_the_day_the_first_missing_version_took_effect(story_root: Path) -> None:
    data = json.loads(render(story_root, "json"))
    sops = {s["id"]: s for s in data["sops"]}
    spanish = sops["SOP-APL-001"]["translations"]["es"]
    # English 1.1.1 is an editorial change in force since 2026-09-14: behind in wording only
    assert (spanish["state"], spanish["versions_behind"], spanish["behind_since"]) == (
        "behind-wording",
        1,
        "2026-09-14",
    )
    assert spanish["days_behind"] == (TODAY - date(2026, 9, 14)).days
    qa = sops["SOP-QA-001"]
    # committed on 2026-10-12, but in force from 2026-12-01, after TODAY: not behind for a day yet
    assert qa["translations"]["es"]["state"] == "stale"
    assert (qa["translations"]["es"]["behind_since"], qa["translations"]["es"]["days_behind"]) == (
        "2026-12-01",
        0,
    )
    assert qa["translations"]["pt"]["state"] == "not-planned"
    assert qa["review"] == {"review_by": "2026-12-10", "state": "due", "days_left": 18}
    assert sops["SOP-APL-001"]["review"]["state"] == "overdue"
    assert sops["SOP-APL-002"]["review"]["state"] == "none"  # retired
    assert sops["SOP-APL-003"]["translations"]["es"]["state"] == "missing"
    assert data["summary"]["translations"] == {
        "current": 0,
        "behind-wording": 2,
        "stale": 1,
        "invalid": 0,
        "missing": 2,
    }


def test_without_git_the_status_is_the_same(story_root: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story_root, plain, ignore=shutil.ignore_patterns(".git"))
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = sop(plain, "status", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(render(story_root, "json", date.today()))


def test_the_command_prints_the_same_as_the_core(story_root: Path) -> None:
    for args, fmt in (((), "text"), (("--format", "csv"), "csv")):
        result = subprocess.run([str(SOP), "status", *args], cwd=story_root, capture_output=True, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode("utf-8") == render(story_root, fmt, date.today())  # CRLF kept in csv


def test_the_table_fits_a_terminal_of_100_columns(story_root: Path) -> None:
    lines = render(story_root, "text").splitlines()
    assert max(len(line) for line in lines) <= 100
    assert any(line.rstrip().endswith("…") for line in lines)  # a title cut to fit, whole in csv and json


def test_filters_by_team_and_state(story_root: Path) -> None:
    def ids(team: str | None, *states: str) -> list[str]:
        return [s["id"] for s in json.loads(render(story_root, "json", TODAY, team, *states))["sops"]]

    assert ids(None) == ["SOP-APL-001", "SOP-APL-002", "SOP-APL-003", "SOP-QA-001"]
    assert ids("QA") == ids("quality-assurance") == ["SOP-QA-001"]
    assert ids(None, "missing") == ["SOP-APL-002", "SOP-APL-003"]
    assert ids(None, "overdue", "stale") == ["SOP-APL-001", "SOP-QA-001"]
    assert ids("appeals", "retired") == ["SOP-APL-002"]
    result = sop(story_root, "status", "--state", "stal")
    assert result.returncode == 2
    assert "--state stal: not a state; the states are " in result.stderr


def test_review_states(tree: Tree) -> None:
    for days, expected in ((-1, "overdue"), (0, "due"), (30, "due"), (31, "ok")):
        text = ENGLISH.replace("review_by: 2027-06-01", f"review_by: {TODAY + timedelta(days=days)}")
        tree.add_sop(en=text)
        found = status.library_status(load_library(Project(tree.root)).state, TODAY)
        assert found.sops[0].review.state == expected, days


# -- reminders -----------------------------------------------------------------------------------------
def test_reminders_match_the_golden_files(story_root: Path) -> None:
    assert_golden("reminders-story.txt", due(story_root, 30, 30, "text"))
    assert_golden("reminders-story.json", due(story_root, 30, 30, "json"))


def test_stale_days_and_review_days_choose_what_is_due(story_root: Path) -> None:
    def listed(stale_days: int, review_days: int) -> set[tuple[str, str, str | None]]:
        data = json.loads(due(story_root, stale_days, review_days, "json"))
        return {(i["id"], i["kind"], i["lang"]) for r in data for i in r["reviews"] + r["translations"]}

    assert listed(30, 30) == {
        ("SOP-APL-001", "review", None),
        ("SOP-APL-001", "translation", "es"),
        ("SOP-APL-001", "translation", "pt"),
        ("SOP-QA-001", "review", None),
    }
    # SOP-APL-001's translations lack a version in force for 69 days; SOP-QA-001's one that is not yet
    assert listed(50, 0) == {
        ("SOP-APL-001", "review", None),
        ("SOP-APL-001", "translation", "es"),
        ("SOP-APL-001", "translation", "pt"),
    }
    assert listed(100, 0) == {("SOP-APL-001", "review", None)}


def test_nothing_due(tree: Tree) -> None:
    tree.add_sop()
    result = due(tree.root, 30, 30, "text")
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
    now = status.library_status(load_library(project).state, date.today())
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
