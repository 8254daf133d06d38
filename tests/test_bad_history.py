"""A history whose old versions hold Markdown that once crashed the tools: an unclosed code fence at the
end, `<![`, lists and quotes nested thousands deep. Diffs, the calibration pack and the site build read every
version, so they must survive it; lint reports the same body at its line, never with a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gitrepo import Repo
from sop_trees import ENGLISH, PORTUGUESE, SPANISH, Tree
from test_cli_build import site_tree

SOP = Path(sys.executable).with_name("sop")
BAD = (
    "\n<![ CDATA [ left open\n\n"
    + "> " * 3000
    + "quoted deep\n\n"
    + "".join("  " * level + "- nested\n" for level in range(700))
    + "\n```yaml\nkey: never closed\n"
)
OLD = (
    ENGLISH.replace("version: 1.1.0\n", "version: 1.0.0\n", 1)
    .replace("effective_date: 2026-06-01", "effective_date: 2026-01-10")
    .replace(
        "  - version: 1.1.0\n    date: 2026-06-01\n    type: procedure\n"
        "    summary: Evidence window extended from 48 to 72 hours.\n",
        "",
    )
    + BAD
)


def run(tree: Tree, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SOP), *args], cwd=tree.root, capture_output=True, text=True, check=False)


def test_diff_pack_and_build_survive_a_history_of_bad_markdown(tree: Tree) -> None:
    repo = Repo(site_tree(tree))
    tree.add_sop(en=OLD, es=SPANISH.replace("1.1.0", "1.0.0") + BAD, pt=PORTUGUESE.replace("1.1.0", "1.0.0"))
    repo.commit("2026-01-10T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.0.0")
    tree.add_sop()
    repo.commit("2026-06-01T10:00:00-06:00", "Daniela Ortega", "SOP-APL-001 1.1.0")

    for args in (
        ["diff", "SOP-APL-001", "--from", "1.0.0"],
        ["diff", "SOP-APL-001", "--from", "1.0.0", "--lang", "es", "--format", "html", "-o", "diff.html"],
        ["calibration-pack", "--since", "2026-01-01", "-o", "pack.html"],
        ["history", "SOP-APL-001", "--at", "1.0.0"],
        ["build"],
    ):
        result = run(tree, *args)
        assert result.returncode == 0, (args, result.stdout[-500:], result.stderr[-2000:])
        assert "Traceback" not in result.stderr
    page = (tree.root / "site" / "diffs/appeals/seller-appeal/1.1.0/index.html").read_text(encoding="utf-8")
    assert "never closed" in page  # the old text is shown, as text


def test_lint_reports_the_same_markdown_at_its_line(tree: Tree) -> None:
    tree.add_sop(en=ENGLISH + BAD)
    result = run(tree, "lint")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    nesting = [line for line in result.stdout.splitlines() if "markdown-nesting" in line]
    assert nesting == [
        "sops/appeals/seller-appeal.md:44:1: error markdown-nesting lists, quotes or HTML blocks are nested "
        "3000 deep"
    ]
