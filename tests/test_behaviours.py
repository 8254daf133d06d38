"""What readers are told, in each language: the banners of an SOP page (a translation behind in wording or
in meaning, missing, a draft, a deprecated SOP) and the notes above a diff (an old version, a translation
behind, a version older than the history). One golden file per language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import Repo, assert_golden
from sop_trees import ENGLISH, PORTUGUESE, SPANISH, Tree
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish import page

SOP = Path(sys.executable).with_name("sop")
EDITORIAL = "  - version: 1.1.1\n    date: 2026-09-14\n    type: editorial\n    summary: Step 2 reworded.\n"
PROCEDURE = "  - version: 1.2.0\n    date: 2026-10-01\n    type: procedure\n    summary: A step added.\n"


def english(sop_id: str, status: str = "active", entry: str = "", version: str = "1.1.0") -> str:
    text = ENGLISH.replace("SOP-APL-001", sop_id).replace("status: active", f"status: {status}")
    if status == "deprecated":
        text = text.replace("status: deprecated", "status: deprecated\nsuperseded_by: SOP-APL-001")
    if entry:
        day = entry.split("date: ")[1][:10]
        text = text.replace("version: 1.1.0\n", f"version: {version}\n", 1)
        text = text.replace("effective_date: 2026-06-01", f"effective_date: {day}").replace(
            "changes:\n", "changes:\n" + entry
        )
    return text


@pytest.fixture(scope="module")
def library_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = Tree(tmp_path_factory.mktemp("behaviours") / "library")
    repo = Repo(tree)
    tree.add_sop("appeals/a-wording", en=english("SOP-APL-001"))
    tree.add_sop(
        "appeals/b-stale",
        en=english("SOP-APL-002").replace("SOP-APL-002", "SOP-APL-002"),
        es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"),
        pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002"),
    )
    repo.commit("2026-06-01T10:00:00-06:00", "Ana", "1.1.0 (the first version, 1.0.0, is older)")
    tree.add_sop("appeals/a-wording", en=english("SOP-APL-001", entry=EDITORIAL, version="1.1.1"))
    tree.add_sop(
        "appeals/b-stale",
        en=english("SOP-APL-002", entry=PROCEDURE, version="1.2.0"),
        es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"),
        pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002"),
    )
    tree.add_sop("appeals/c-untranslated", en=english("SOP-APL-003"), es=None, pt=None)
    tree.add_sop("appeals/d-draft", en=english("SOP-APL-004", "draft"), es=None, pt=None)
    tree.add_sop("appeals/e-deprecated", en=english("SOP-APL-005", "deprecated"), es=None, pt=None)
    repo.commit("2026-10-01T10:00:00-06:00", "Ana", "1.1.1, 1.2.0 and three more SOPs")
    return repo.root


def diff(root: Path, *args: str) -> str:
    result = subprocess.run(
        [str(SOP), "diff", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    return "\n".join(line for line in result.stdout.splitlines() if line.startswith(("!", "  1.")))


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_what_readers_are_told(library_root: Path, lang: str) -> None:
    project = Project(library_root)
    library = load_library(project)
    parts = []
    for state in library.state.sops:
        successor = library.state.by_id["SOP-APL-001"]
        banners = page.banners(project, state, lang, "../../a-wording/", successor)
        parts.append(f"## {state.sop_id} page\n\n{banners or '(no banner)'}")
    for label, args in (
        ("the diff of the version in force", ("SOP-APL-002",)),
        ("an old version", ("SOP-APL-002", "--to", "1.1.0")),
        ("a version older than the history", ("SOP-APL-002", "--from", "1.0.0")),
    ):
        parts.append(f"## {label}\n\n{diff(library_root, *args, '--lang', lang)}")
    assert_golden(f"behaviours.{lang}.md", "\n\n".join(parts) + "\n")
