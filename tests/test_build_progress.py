"""A long build says how far it is on a terminal, and nothing of it reaches a log or a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess

from sop_trees import Tree
from test_cli_build import SOP, build, site_tree


def test_on_a_terminal_the_build_counts_pages(tree: Tree) -> None:
    site_tree(tree).add_sop()
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(SOP), "build"], cwd=tree.root, stdout=follower, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait() == 0, shown.decode(errors="replace")
    text = shown.decode("utf-8", "replace")
    counts = [(int(made), int(total)) for made, total in re.findall(r"(\d+) of (\d+) pages", text)]
    assert counts and all(made <= total for made, total in counts)
    assert counts[-1][1] >= 6  # an SOP and the landing page in three languages, and more
    assert "Site written to" in text


def test_in_a_pipe_the_build_says_only_where_the_site_is(tree: Tree) -> None:
    site_tree(tree).add_sop()
    result = build(tree)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == f"Site written to {tree.root / 'site'}\n"
