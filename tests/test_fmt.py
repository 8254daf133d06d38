"""`sop fmt`: fixes what lint rejects and can be fixed safely; never touches a file that needs no change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sop_trees import ENGLISH, SPANISH, Tree

SOP = Path(sys.executable).with_name("sop")
EN = "sops/appeals/seller-appeal.md"
ES = "sops/appeals/seller-appeal.es.md"
STRAY = ENGLISH.replace(
    "Case Hub.\n",
    "Case Hub.\n  - a sub-bullet at 2 spaces\n  - and its sibling\n\n"
    "| tier | within |\n| - | - |\n| 1 | 2 h |\n",
).replace("## Scope", "##Scope")
FIXED = ENGLISH.replace(
    "Case Hub.\n",
    "Case Hub.\n   - a sub-bullet at 2 spaces\n   - and its sibling\n\n   | tier | within |\n   | - | - |\n"
    "   | 1 | 2 h |\n",
)


def sop(tree: Tree, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SOP), *args], cwd=tree.root, capture_output=True, text=True, check=False)


def snapshot(tree: Tree) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(tree.root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in (tree.root / "sops").rglob("*.md")
    }


def test_check_names_each_fix_and_writes_nothing(tree: Tree) -> None:
    tree.add_sop(en=STRAY)
    before = snapshot(tree)
    result = sop(tree, "fmt", "--check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: would format {EN}: line 36: indented under step 1; line 39: indented under step 1; "
        "line 29: a space after ##",
        "1 file(s) need `sop fmt`",
    ]
    assert snapshot(tree) == before


def test_fmt_fixes_what_lint_reports_and_nothing_else(tree: Tree) -> None:
    tree.add_sop(en=STRAY)
    assert {"structure-step-content", "structure-sections"} <= {
        line.split()[2] for line in sop(tree, "lint").stdout.splitlines() if ": error " in line
    }
    untouched = snapshot(tree)[ES]
    result = sop(tree, "fmt")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "3 file(s) checked, 1 formatted"
    assert (tree.root / EN).read_text(encoding="utf-8") == FIXED
    assert snapshot(tree)[ES] == untouched
    assert sop(tree, "lint").returncode == 0
    again = snapshot(tree)
    assert sop(tree, "fmt").stdout == "3 file(s) checked, 0 formatted\n"
    assert snapshot(tree) == again  # nothing rewritten the second time


def test_windows_line_endings_and_the_rest_of_the_file_are_kept(tree: Tree) -> None:
    tree.add_sop()
    tree.write(EN, STRAY.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(tree.root / EN, 0o640)
    assert sop(tree, "fmt", EN).returncode == 0
    assert (tree.root / EN).read_bytes() == FIXED.replace("\n", "\r\n").encode("utf-8")
    assert (tree.root / EN).stat().st_mode & 0o777 == 0o640


def test_a_file_lint_cannot_read_is_left_alone(tree: Tree) -> None:
    broken = SPANISH.replace("source_version: 1.1.0", "source_version: [1.1.0") + "\n  - stray\n"
    tree.add_sop(es=broken)
    before = snapshot(tree)
    result = sop(tree, "fmt")
    assert result.returncode == 0
    assert snapshot(tree) == before
    assert "invalid YAML" in sop(tree, "lint", ES).stdout or "yaml" in sop(tree, "lint", ES).stdout


def test_paths_outside_the_library_are_refused(tree: Tree, tmp_path: Path) -> None:
    tree.add_sop()
    result = sop(tree, "fmt", str(tmp_path))
    assert result.returncode == 2
    assert "outside the SOP library" in result.stderr
