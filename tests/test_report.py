"""`sop report --base REF`: the pull-request report on temporary git repositories, and its one comment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fake_gh
from gitrepo import APL, QA, QA_EN_100, QA_ES_100, Repo, assert_golden, story
from sop_trees import ENGLISH, PORTUGUESE, SPANISH, Tree
from soplib import report
from soplib.doors.github import MAX_BODY, fit
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.baseline import baseline
from soplib.repo.git import Git

SOP = Path(sys.executable).with_name("sop")


def report_of(root: Path, base: str, fmt: str, short_diff: report.ShortDiff | None = None) -> str:
    """What `sop report --base BASE` prints."""
    library = load_library(Project(root))
    found = report.compute(library, Git(root), base, short_diff)
    return report.RENDERERS[fmt](library.project).render(found)


CS = "sops/customer-service/late-delivery"


def sop(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args], cwd=root, capture_output=True, text=True, check=False, env=env or os.environ
    )


@pytest.fixture
def based(tree: Tree) -> Repo:
    """Two SOPs with current translations, committed: the target branch of a pull request."""
    repo = Repo(tree)
    tree.add_sop()
    tree.write(f"{QA}.md", QA_EN_100)
    tree.write(f"{QA}.es.md", QA_ES_100)
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.1.0, SOP-QA-001 1.0.0")
    return repo


ENTRY_120 = (
    "  - version: 1.2.0\n    date: 2026-12-01\n    type: procedure\n"
    "    summary: Evidence window extended from 72 to 96 hours.\n"
)


def pull_request(tree: Tree) -> None:
    """What one pull request does: a procedure change translated into Spanish only, a new SOP, one removed."""
    tree.write(
        f"{APL}.md",
        ENGLISH.replace("version: 1.1.0\n", "version: 1.2.0\n", 1)
        .replace("changes:\n", "changes:\n" + ENTRY_120)
        .replace("review_by: 2027-06-01", "review_by: 2027-12-01")
        .replace("The seller has 72 hours.", "The seller has 96 hours."),
    )
    tree.write(f"{APL}.es.md", SPANISH.replace("source_version: 1.1.0", "source_version: 1.2.0"))
    late = (
        ENGLISH.replace("SOP-APL-001", "SOP-CS-001")
        .replace("Seller appeal of a listing removal", "Late or lost delivery")
        .replace("team: appeals", "team: customer-service")
    )
    tree.add_sop("customer-service/late-delivery", en=late, es=None, pt=PORTUGUESE.replace("APL", "CS"))
    for suffix in (".md", ".es.md"):
        (tree.root / f"{QA}{suffix}").unlink()


def test_pull_request_report_matches_the_golden_files(based: Repo) -> None:
    pull_request(based.tree)
    assert_golden("report-pull-request.md", report_of(based.root, "HEAD", "md"))
    assert_golden("report-pull-request.json", report_of(based.root, "HEAD", "json"))


def test_what_the_pull_request_did(based: Repo) -> None:
    pull_request(based.tree)
    library = load_library(Project(based.root))
    found = report.build_report(library, baseline(library, Git(based.root), "HEAD"))
    changes = {change.sop_id: change for change in found.sops}
    assert {sop_id: change.kind for sop_id, change in changes.items()} == {
        "SOP-APL-001": "changed",
        "SOP-CS-001": "added",
        "SOP-QA-001": "removed",
    }
    apl = changes["SOP-APL-001"]
    assert (apl.version_before, apl.version_after, apl.bump) == ("1.1.0", "1.2.0", "minor")
    assert [entry["version"] for entry in apl.entries] == ["1.2.0"]
    assert [(t.lang, t.change) for t in apl.translations] == [("es", "updated"), ("pt", "made-stale")]
    assert [(t.lang, t.change) for t in changes["SOP-CS-001"].translations] == [
        ("es", "missing"),
        ("pt", "added"),
    ]
    assert [(s.sop_id, t.lang) for s, t in found.made_stale] == [("SOP-APL-001", "pt")]


def test_the_story_since_three_commits_ago(tmp_path: Path) -> None:
    """A rename, a policy change that leaves a translation behind, a change without a version bump."""
    repo = Repo(Tree(tmp_path / "library"))
    story(repo)
    assert_golden("report-story.md", report_of(repo.root, "HEAD~3", "md"))
    library = load_library(Project(repo.root))
    apl = report.build_report(library, baseline(library, Git(repo.root), "HEAD~3")).sops[0]
    assert apl.version_not_raised
    assert {f.change for f in apl.files} == {"moved"}


def test_a_file_that_cannot_be_read_now_is_not_called_removed(based: Repo) -> None:
    based.tree.write(f"{APL}.md", ENGLISH.replace("regions: [MX, BR]", "regions: [MX, BR"))
    based.tree.write(f"{QA}.es.md", QA_ES_100.replace("title: Sesiones", "title: [Sesiones"))
    markdown = report_of(based.root, "HEAD", "md")
    assert "| **SOP-APL-001** Seller appeal of a listing removal | ⛔ cannot be read | — | — |" in markdown
    assert "- ⛔ `sops/appeals/seller-appeal.md` cannot be read: the lint check says where" in markdown
    assert (
        "- ⛔ Español (México) cannot be read (`sops/quality-assurance/calibration-sessions.es.md`)"
        in markdown
    )
    assert "removed" not in markdown


def test_nothing_changed(based: Repo) -> None:
    result = sop(based.root, "report", "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    commit = Git(based.root).resolve("HEAD")[:7]
    assert result.stdout == (
        f"{report.MARKER}\n## SOP changes\n\nNo SOP file changed since `HEAD` (`{commit}`).\n"
    )


def test_the_diff_seam_puts_each_sops_diff_in_the_report(based: Repo) -> None:
    pull_request(based.tree)
    seen = []

    def short_diff(sop_id: str, before: str | None, after: str | None) -> str | None:
        seen.append((sop_id, before is not None, after is not None))
        return f"DIFF OF {sop_id}" if before and after else None

    markdown = report_of(based.root, "HEAD", "md", short_diff)
    assert sorted(seen) == [
        ("SOP-APL-001", True, True),
        ("SOP-CS-001", False, True),
        ("SOP-QA-001", True, False),
    ]
    assert "<details><summary>What changed, word by word</summary>\n\nDIFF OF SOP-APL-001\n" in markdown
    assert markdown.count("<details>") == 1
    data = json.loads(report_of(based.root, "HEAD", "json", short_diff))
    assert [s["diff"] for s in data["sops"]] == ["DIFF OF SOP-APL-001", None, None]


def test_bad_base_is_a_clear_error(based: Repo) -> None:
    result = sop(based.root, "report", "--base", "nope")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: 'nope' is not a branch, tag or commit of this repository (check the name, or fetch it "
        "first, e.g. `git fetch origin nope`)\n"
    )


# -- the one comment on the pull request ---------------------------------------------------------------
def test_the_comment_is_posted_once_then_updated(based: Repo, tmp_path: Path) -> None:
    state = tmp_path / "gh.json"
    env = fake_gh.install(tmp_path / "bin", state)
    others = [
        {"id": 1, "issue": 7, "body": "Looks good to me.", "html_url": "c/1"},
        {"id": 2, "issue": 7, "body": "<!-- another-bot -->\nCoverage 90%", "html_url": "c/2"},
        {"id": 3, "issue": 8, "body": report.MARKER + "\nanother pull request", "html_url": "c/3"},
    ]
    fake_gh.save(state, {**fake_gh.load(state), "comments": others})

    first = sop(based.root, "report", "--base", "HEAD", "--comment", "7", env=env)
    assert (first.returncode, first.stderr) == (0, "")
    assert first.stdout.startswith("Posted the report on pull request #7: c/")
    again = sop(based.root, "report", "--base", "HEAD", "--comment", "7", env=env)
    assert again.stdout.startswith("The report on pull request #7 is up to date")
    pull_request(based.tree)
    changed = sop(based.root, "report", "--base", "HEAD", "--comment", "7", env=env)
    assert changed.stdout.startswith("Updated the report on pull request #7")

    data = fake_gh.load(state)
    ours = [c for c in data["comments"] if c["issue"] == 7 and c["body"].startswith(report.MARKER)]
    assert len(ours) == 1
    assert ours[0]["body"] == report_of(based.root, "HEAD", "md")
    assert data["comments"][:3] == others
    writes = [call for call in data["calls"] if call[0] != "GET"]
    assert writes == [
        ["POST", "repos/{owner}/{repo}/issues/7/comments"],
        ["PATCH", f"repos/{{owner}}/{{repo}}/issues/comments/{ours[0]['id']}"],
    ]


def test_a_failing_gh_is_one_clear_line(based: Repo, tmp_path: Path) -> None:
    state = tmp_path / "gh.json"
    env = fake_gh.install(tmp_path / "bin", state)
    fake_gh.save(
        state, {**fake_gh.load(state), "fail": "HTTP 401: Bad credentials (https://api.github.com/)"}
    )
    result = sop(based.root, "report", "--base", "HEAD", "--comment", "7", env=env)
    assert result.returncode == 2
    assert result.stderr == (
        "Error: gh api GET repos/{owner}/{repo}/issues/7/comments?per_page=100 failed: HTTP 401: Bad "
        "credentials (https://api.github.com/)\n"
    )


def test_without_gh_the_message_says_so(based: Repo, tmp_path: Path) -> None:
    only_git = tmp_path / "bin"
    only_git.mkdir()
    (only_git / "git").symlink_to(shutil.which("git") or "git")
    env = {**os.environ, "PATH": str(only_git)}
    result = sop(based.root, "report", "--base", "HEAD", "--comment", "7", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: gh (the GitHub CLI) is not installed")


def test_a_long_report_is_cut_at_a_line_with_a_note() -> None:
    body = "\n".join(f"- line {n} " + "x" * 80 for n in range(2000))
    cut = fit(body, "_cut: run `sop report` for all of it._")
    assert len(cut) <= MAX_BODY
    assert cut.endswith("\n\n_cut: run `sop report` for all of it._\n")
    assert cut.split("\n\n")[0] == body[: len(cut.split("\n\n")[0])]
    assert fit("short", "note") == "short"
