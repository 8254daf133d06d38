"""Releases of the tooling: the tag, pyproject.toml, CHANGELOG.md and the README's pre-commit snippet agree;
the release notes come from CHANGELOG.md; pre-commit reads this repository's files and runs the hook."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from gitrepo import git
from sop_trees import ENGLISH, REPO, Tree
from soplib.core.errors import SopError
from soplib.release import notes, project_version, release_notes, versions

BIN = Path(sys.executable).parent
CHANGELOG = """\
# Changelog

## [Unreleased]

- Something not released yet.

## [1.1.0] - 2026-12-01

### Fixed

- A fix.

## [1.0.0] - 2026-11-01

- First release.
"""


def test_notes_are_the_section_of_the_version() -> None:
    assert versions(CHANGELOG) == ["1.1.0", "1.0.0"]
    assert notes(CHANGELOG, "1.1.0") == "### Fixed\n\n- A fix.\n"
    assert notes(CHANGELOG, "1.0.0") == "- First release.\n"
    with pytest.raises(
        SopError, match=r"CHANGELOG.md has no section for 1.2.0: add '## \[1.2.0\] - YYYY-MM-DD'"
    ):
        notes(CHANGELOG, "1.2.0")


def test_a_tag_that_is_not_the_version_is_refused() -> None:
    with pytest.raises(SopError, match=r"the tag v0.0.1 is not the version in pyproject.toml"):
        release_notes(REPO, "v0.0.1")
    assert release_notes(REPO, f"v{project_version(REPO)}").startswith("### Added\n")


def _readme_rev() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("### Lint on every commit", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (repo,) = yaml.safe_load(snippet)["repos"]
    assert repo["hooks"] == [{"id": "sop-lint"}]
    rev: str = repo["rev"]
    return rev


def test_readme_pin_pyproject_version_and_newest_changelog_heading_agree() -> None:
    version = project_version(REPO)
    newest = versions((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))[0]
    assert (_readme_rev(), newest) == (f"v{version}", version)


def test_the_ruff_hook_is_the_ruff_of_pyproject() -> None:
    dev = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    (pin,) = [re.sub(r"^ruff==", "", line) for line in dev["dev"] if line.startswith("ruff==")]
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (ruff,) = [
        repo for repo in config["repos"] if repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    ]
    assert ruff["rev"] == f"v{pin}"
    assert [hook["id"] for hook in ruff["hooks"]] == ["ruff-check", "ruff-format"]


def test_pre_commit_accepts_the_config_and_the_hook_manifest() -> None:
    for command, path in (
        ("validate-config", ".pre-commit-config.yaml"),
        ("validate-manifest", ".pre-commit-hooks.yaml"),
    ):
        result = subprocess.run(
            [str(BIN / "pre-commit"), command, path], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert (result.returncode, result.stdout + result.stderr) == (0, ""), path


def test_the_local_hook_is_the_published_hook() -> None:
    (published,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = _local_hooks()
    (hook,) = local["hooks"]
    for key in ("id", "name", "files", "require_serial"):
        assert hook[key] == published[key], key
    assert hook["entry"] == f".venv/bin/{published['entry']}"


def _local_hooks() -> dict[str, object]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = [repo for repo in config["repos"] if repo["repo"] == "local"]
    return dict(local)


def test_the_local_hook_stops_a_commit_with_a_broken_sop(tmp_path: Path) -> None:
    """pre-commit runs the repository's local hook, for real, in a library with its own .venv."""
    tree = Tree(tmp_path / "library")
    (tree.root / ".venv").symlink_to(REPO / ".venv")
    tree.write(".pre-commit-config.yaml", yaml.safe_dump({"repos": [_local_hooks()]}))
    tree.add_sop(en=ENGLISH.replace('owner: "@org/appeals-leads"', "owner: @org/appeals-leads"))
    git(tree.root, "init", "-q", "-b", "main")
    git(tree.root, "add", "--all")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_NOSYSTEM": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        command = [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"]
        return subprocess.run(command, cwd=tree.root, capture_output=True, text=True, env=env, check=False)

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "owner: a value that starts with @ must be put in quotes" in failed.stdout
    tree.add_sop()
    git(tree.root, "add", "--all")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_make_release_gives_the_notes_to_gh(tmp_path: Path) -> None:
    """`make release`, as the workflow runs it, with a `gh` that records what it is asked (GitHub itself
    cannot be reached from the tests)."""
    make = shutil.which("make")
    assert make is not None
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args"\ncat "$8" > "{tmp_path}/notes"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    tag, notes_file = f"v{project_version(REPO)}", tmp_path / "release-notes.md"
    command = [make, "-s", "release", f"TAG={tag}", f"NOTES={notes_file}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    args = (tmp_path / "args").read_text(encoding="utf-8").splitlines()
    assert args == ["release", "create", tag, "--verify-tag", "--title", tag, "--notes-file", str(notes_file)]
    assert (tmp_path / "notes").read_text(encoding="utf-8") == release_notes(REPO, tag)
    wrong = subprocess.run(
        [make, "-s", "release", "TAG=v0.0.1", f"NOTES={tmp_path / 'wrong.md'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert wrong.returncode != 0
    assert "Error: the tag v0.0.1 is not the version in pyproject.toml" in wrong.stderr
    assert (tmp_path / "args").read_text(encoding="utf-8").splitlines() == args  # gh was not run again
