"""`sop changelog` over the story of commits: golden files per language and format, `--since`, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from gitrepo import APL_RENAMED, ENTRY_110, Repo, assert_golden, story
from sop_trees import ENGLISH, TODAY, Tree
from soplib import changelog
from soplib.core.errors import SopError
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import read_history


def changelog_of(root: Path, since: str | None, lang: str | None, fmt: str, today: date) -> str:
    """What `sop changelog` prints on `today`."""
    library = load_library(Project(root))
    return changelog.RENDERERS[fmt](changelog.compute(library, Git(root), since, lang, today))


SOP = Path(sys.executable).with_name("sop")


def sop(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOP), *args], cwd=root, capture_output=True, text=True, check=False, env=os.environ
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = Repo(Tree(tmp_path_factory.mktemp("story") / "library"))
    story(repo)
    return repo.root


@pytest.mark.parametrize(
    ("since", "lang", "fmt", "golden"),
    [
        (None, None, "md", "changelog.md"),
        (None, "es", "md", "changelog.es.md"),
        (None, "pt", "md", "changelog.pt.md"),
        (None, "es", "json", "changelog.es.json"),
        ("2026-09-01", "es", "md", "changelog-since-2026-09-01.es.md"),
        ("HEAD~4", None, "md", "changelog-since-ref.md"),
    ],
)
def test_change_log_matches_the_golden_file(
    root: Path, since: str | None, lang: str | None, fmt: str, golden: str
) -> None:
    assert_golden(golden, changelog_of(root, since, lang, fmt, TODAY))


def test_every_version_of_every_sop_exactly_once(root: Path) -> None:
    data = json.loads(changelog_of(root, None, "en", "json", TODAY))
    listed = [
        (sop["id"], version["version"])
        for day in data["dates"]
        for team in day["teams"]
        for sop in team["sops"]
        for version in sop["versions"]
    ]
    assert sorted(listed) == [
        ("SOP-APL-001", "1.0.0"),
        ("SOP-APL-001", "1.1.0"),
        ("SOP-APL-001", "1.1.1"),
        ("SOP-QA-001", "1.0.0"),
        ("SOP-QA-001", "1.1.0"),
    ]


def test_a_repeated_entry_is_listed_once(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH.replace("changes:\n", "changes:\n" + ENTRY_110))
    found = changelog.entries(load_library(Project(tree.root)), None, "en")
    assert [(c.version, c.commit) for c in found] == [("1.1.0", None), ("1.0.0", None)]


def test_the_command_gives_the_same_bytes_every_time(root: Path) -> None:
    first, second = sop(root, "changelog", "--lang", "pt"), sop(root, "changelog", "--lang", "pt")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout == changelog_of(root, None, "pt", "md", date.today())


def test_output_file(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "changes.md"
    result = sop(root, "changelog", "--since", "2026-06-01", "-o", str(target))
    assert (result.returncode, result.stdout) == (0, f"Change log written to {target}\n")
    assert target.read_text(encoding="utf-8") == sop(root, "changelog", "--since", "2026-06-01").stdout


def test_output_into_sops_is_refused(root: Path) -> None:
    result = sop(root, "changelog", "-o", "sops/appeals/changes.md")
    assert result.returncode == 2
    assert result.stderr == (
        "Error: sops/appeals/changes.md: inside sops/, where it would be read as an SOP; write it elsewhere\n"
    )
    assert not (root / "sops/appeals/changes.md").exists()


def test_output_into_git_is_refused(root: Path) -> None:
    config = (root / ".git" / "config").read_bytes()
    result = sop(root, "changelog", "-o", ".git/config")
    assert result.returncode == 2
    assert result.stderr == "Error: .git/config: inside .git/, git's own folder; write it elsewhere\n"
    assert (root / ".git" / "config").read_bytes() == config


def test_commits_come_from_the_history(root: Path) -> None:
    project = Project(root)
    found = changelog.entries(load_library(project), read_history(Git(root), project), "en")
    commits = {(c.sop_id, c.version): c.commit.author for c in found if c.commit}
    assert commits[("SOP-APL-001", "1.1.1")] == "Mariana López"
    assert commits[("SOP-QA-001", "1.1.0")] == "Rafael Souza"


def test_since_a_ref_keeps_every_version_of_an_sop_added_after_it(root: Path) -> None:
    project = Project(root)
    library = load_library(project)
    since = changelog.resolve_bound("--since", "HEAD~7", Git(root), library)  # only SOP-APL-001 1.0.0 then
    found = changelog.entries(library, None, "en", since)
    assert sorted((c.sop_id, c.version) for c in found) == [
        ("SOP-APL-001", "1.1.0"),
        ("SOP-APL-001", "1.1.1"),
        ("SOP-QA-001", "1.0.0"),
        ("SOP-QA-001", "1.1.0"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--since", "2026-13-01"],
            "--since 2026-13-01: there is no month 13 (YYYY-MM-DD: months are 01 to 12)",
        ),
        (
            ["--since", "calibration-oct"],
            "'calibration-oct' is not a branch, tag or commit of this repository (check the name, or fetch "
            "it first, e.g. `git fetch origin calibration-oct`)",
        ),
        (["--lang", "fr"], "unknown language 'fr': the library's languages are en, es, pt"),
    ],
)
def test_bad_options_are_one_clear_line(root: Path, args: list[str], message: str) -> None:
    result = sop(root, "changelog", *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


def test_outside_git_is_a_clear_error(tree: Tree) -> None:
    tree.add_sop()
    with pytest.raises(SopError, match="is not in a git repository"):
        changelog_of(tree.root, None, None, "md", TODAY)


def test_the_site_can_link_each_sop(root: Path) -> None:
    project = Project(root)
    dates = changelog.group(
        changelog.entries(load_library(project), None, "es"), project.allowed_values("team")
    )
    log = changelog.ChangeLog(dates, project, "es", TODAY)
    page = changelog.render_markdown(log, link=lambda s: s.path.removeprefix("sops/"))
    title = "Apelación de un vendedor por la baja de una publicación"
    assert f"#### SOP-APL-001 · [{title}]({APL_RENAMED.removeprefix('sops/')}.md)" in page
