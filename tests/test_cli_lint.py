"""`sop lint` as a command: formats, exit codes, paths, and clean errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from sop_trees import ENGLISH, Tree
from soplib.doors.cli import cli

SOP = Path(sys.executable).with_name("sop")


def sop(tree: Tree, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, run for real in the library folder."""
    return subprocess.run(
        [str(SOP), *args],
        cwd=tree.root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


def test_text_format_lists_findings_and_a_summary(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH.replace("status: active", "status: actve"))
    result = sop(tree, "lint")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "sops/appeals/seller-appeal.md:5:1: error schema status: expected one of draft, active, deprecated, "
        "retired, found 'actve'",
        "    hint: did you mean 'active'?",
        "3 files checked: 1 error, 0 warnings",
    ]
    assert result.stderr == ""


def test_json_format_is_a_list_of_findings(tree: Tree) -> None:
    tree.add_sop(pt=None)
    result = sop(tree, "lint", "--format", "json")
    assert result.returncode == 0  # warnings only
    (finding,) = json.loads(result.stdout)
    assert finding == {
        "path": "sops/appeals/seller-appeal.md",
        "line": 1,
        "column": 1,
        "severity": "warning",
        "rule": "translation-missing",
        "message": "no Português (Brasil) translation (sops/appeals/seller-appeal.pt.md)",
        "hint": "add the translation, or list the languages this SOP has in `languages`",
    }


def test_github_format_writes_workflow_annotations(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH.replace("tags:", "tgas:"))
    result = sop(tree, "lint", "--format", "github")
    assert next(line for line in result.stdout.splitlines() if line.startswith("::error")) == (
        "::error file=sops/appeals/seller-appeal.md,line=13,col=1,"
        "title=a front-matter field breaks schemas/sop.schema.json::"
        "tgas: unknown field%0Adid you mean 'tags'?"
    )


def test_paths_select_files_but_rules_see_the_whole_library(tree: Tree) -> None:
    tree.add_sop()
    tree.add_sop("appeals/zeta-appeal")  # reuses the id SOP-APL-001
    only_first = sop(tree, "lint", "sops/appeals/seller-appeal.md")
    assert only_first.returncode == 0, only_first.stdout
    assert only_first.stdout.strip() == "1 file checked: 0 errors, 0 warnings"
    second = sop(tree, "lint", "sops/appeals/zeta-appeal.md")
    assert second.returncode == 1
    assert (
        "sops/appeals/zeta-appeal.md:2:1: error id-unique SOP-APL-001 is already the id of" in second.stdout
    )


def test_runs_from_a_subfolder(tree: Tree) -> None:
    tree.add_sop()
    result = subprocess.run(
        [str(SOP), "lint"], cwd=tree.root / "sops" / "appeals", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "3 files checked: 0 errors, 0 warnings"


def test_missing_path_is_a_usage_error(tree: Tree) -> None:
    tree.add_sop()
    result = sop(tree, "lint", "sops/appeals/nope.md")
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: sops/appeals/nope.md: no such file or folder"


def test_outside_a_library_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([str(SOP), "lint"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "no SOP library found at or above" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_config_file_is_a_clear_error(tree: Tree) -> None:
    tree.add_sop()
    tree.write("translations/sections.yml", "sections: [unclosed\n")
    result = sop(tree, "lint")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: translations/sections.yml: not valid YAML")


def test_unknown_option_is_a_usage_error(tree: Tree) -> None:
    result = CliRunner().invoke(cli, ["lint", "--format", "xml", "--root", str(tree.root)])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_lint_never_rewrites_a_file(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH.replace("status: active\n", "status: active\r\nstatus: draft\n"))
    before = {p: p.read_bytes() for p in tree.root.rglob("*") if p.is_file()}
    assert sop(tree, "lint").returncode == 1
    assert before == {p: p.read_bytes() for p in tree.root.rglob("*") if p.is_file()}
