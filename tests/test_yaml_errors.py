"""The YAML mistakes SMEs make, each answered in plain words at its line and column, with the line as it
should be written as the hint: golden files of `sop lint` in the text and github formats."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from gitrepo import assert_golden
from sop_trees import ENGLISH, REPO, Tree
from soplib.doors.cli import cli
from soplib.load.frontmatter import parse_file

EN = "sops/appeals/seller-appeal.md"
MISTAKES = {
    "at-sign": ('owner: "@org/appeals-leads"', "owner: @org/appeals-leads"),
    "asterisk": ("    summary: Evidence window", "    summary: *Urgent* evidence window"),
    "ampersand": ("title: Seller appeal", "title: &Seller appeal"),
    "exclamation-mark": ("title: Seller appeal", "title: !Seller appeal"),
    "percent-sign": ("    summary: First version.", "    summary: %100 of the first version."),
    "backtick": ("title: Seller appeal", "title: `Seller` appeal"),
    "colon-in-value": ("title: Seller appeal of a", "title: Appeal: seller of a"),
    "entry-indented-3-spaces": ("  - version: 1.0.0", "   - version: 1.0.0"),
    "key-not-aligned": ("    type: policy", "     type: policy"),
    "unclosed-bracket": ("regions: [MX, BR]", "regions: [MX, BR"),
    "unclosed-brace": ("audience: [agent]", "audience: {agent"),
    "unclosed-double-quote": ('owner: "@org/appeals-leads"', 'owner: "@org/appeals-leads'),
    "unclosed-single-quote": (
        "title: Seller appeal of a listing removal",
        "title: 'Seller appeal of a listing removal",
    ),
    "tab": ("  - version: 1.1.0", "\t- version: 1.1.0"),
}
# PyYAML's own words, which no SME should have to read
JARGON = re.compile(
    r"token|indicator|scalar|mapping|alias|anchor|constructor|block|flow|stream|expected", re.I
)


def lint(tree: Tree, fmt: str) -> str:
    result = CliRunner().invoke(cli, ["lint", str(tree.root / EN), "--format", fmt, "--root", str(tree.root)])
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_explained_at_its_line(tree: Tree, name: str) -> None:
    old, new = MISTAKES[name]
    assert ENGLISH.count(old) == 1
    tree.add_sop(en=ENGLISH.replace(old, new))
    text = lint(tree, "text")
    assert_golden(f"yaml/{name}.txt", text)
    assert_golden(f"yaml/{name}.github", lint(tree, "github"))
    message = text.splitlines()[0].split(" ", 3)[3]
    assert not JARGON.search(message), message


def test_the_hint_is_a_line_that_reads(tree: Tree) -> None:
    """Putting the hint in place of the line makes the front matter readable (the tab aside, each mistake
    is one line)."""
    for name, (old, new) in MISTAKES.items():
        broken = ENGLISH.replace(old, new)
        (finding,) = parse_file(broken.encode(), EN).findings
        lines = broken.split("\n")
        lines[finding.line - 1] = finding.hint
        assert parse_file("\n".join(lines).encode(), EN).findings == [], name


def test_no_yaml_of_the_test_suite_gets_jargon_or_a_crash() -> None:
    """Every input of the YAML test suite, as front matter: read or explained, never PyYAML's words."""
    corpus = REPO.parent / "shared" / "corpora" / "yaml-test-suite"
    inputs = sorted(corpus.glob("*/in.yaml")) + sorted(corpus.glob("*/*/in.yaml"))
    assert len(inputs) > 300, corpus
    for path in inputs:
        text = re.sub(r"(?m)^(---|\.\.\.)", "#", path.read_text(encoding="utf-8", errors="replace"))
        for finding in parse_file(f"---\n{text}\n---\n".encode(), EN).findings:
            if finding.rule == "yaml-syntax":
                ours = re.sub(r"^[^\s:]+( [^\s:]+)?: ", "", finding.message)  # without the input's key
                assert not JARGON.search(ours), (path, finding.message)


def test_a_tab_in_the_body_does_not_hide_a_mistake_in_the_front_matter() -> None:
    broken = ENGLISH.replace('owner: "@org/appeals-leads"', "owner: @org/appeals-leads") + "\n\tindented\n"
    found = [(f.rule, f.line) for f in parse_file(broken.encode(), EN).findings]
    assert found == [("file-tabs", broken.count("\n")), ("yaml-syntax", 7)]
