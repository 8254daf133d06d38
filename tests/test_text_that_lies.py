"""Text that shows something else than it says: a trailing newline in an id, bidi and zero-width
characters, merge-conflict markers, and YAML that is too deep or not YAML at all (the YAML test suite)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sop_trees import ENGLISH, REPO, SPANISH, TODAY, Tree
from soplib.core.invisible import first_unseen
from soplib.lint import LintResult, lint
from soplib.load.frontmatter import parse_file
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.load.yaml_guard import MAX_DEPTH

SOP = Path(sys.executable).with_name("sop")
EN = "sops/appeals/seller-appeal.md"
ES = "sops/appeals/seller-appeal.es.md"
YAML_SUITE = REPO.parent / "shared/corpora/yaml-test-suite"


def run(tree: Tree) -> LintResult:
    return lint(load_library(Project(tree.root)), TODAY)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns(item)


ALL_PATTERNS = sorted(
    {p for path in (REPO / "schemas").glob("*.json") for p in patterns(json.loads(path.read_text("utf-8")))}
)


# -- the schema ---------------------------------------------------------------------------------------------
def test_every_anchored_pattern_refuses_a_final_newline() -> None:
    anchored = [p for p in ALL_PATTERNS if "$" in p]
    assert len(anchored) >= 8
    for pattern in anchored:
        assert pattern.count("$") == pattern.count("$(?!\\n)"), pattern


PROBES = [
    *(
        value + end
        for value in ("SOP-CS-003", "1.3.0", "2026-01-01", "@org/team", "en", "CS", "refunds")
        for end in ("", "\n")
    ),
    *("Seller appeal", "Seller \u202eappeal", "a\u200bb", "x\ty", "line\u2028break", "Apelação"),
]


def test_patterns_mean_the_same_in_python_and_ecma_262() -> None:
    """jsonschema searches with Python's re; editors and other validators with ECMA-262 (`u` flag)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (`make node` installs it)")
    script = (
        "const [ps, ss] = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(ps.map(p => ss.map(s => new RegExp(p, 'u').test(s)))))"
    )
    result = subprocess.run(
        [node, "-e", script, json.dumps([ALL_PATTERNS, PROBES])], capture_output=True, text=True, check=True
    )
    in_ecma = json.loads(result.stdout)
    in_python = [[re.search(p, s) is not None for s in PROBES] for p in ALL_PATTERNS]
    assert in_ecma == in_python


def test_the_schema_refuses_exactly_the_characters_that_lint_names() -> None:
    schema = json.loads((REPO / "schemas/sop.schema.json").read_text("utf-8"))
    refused = re.compile(schema["$defs"]["line"]["not"]["pattern"])
    for code in [*range(0x3000), 0xFEFF, 0xFFFD, 0x1F600]:
        character = chr(code)
        assert (refused.search(character) is not None) == (first_unseen(character) is not None), hex(code)


def en_field(old: str, new: str) -> str:
    assert old in ENGLISH, old
    return ENGLISH.replace(old, new, 1)


LIES = [
    ("id", en_field("id: SOP-APL-001", 'id: "SOP-APL-001\\n"'), 2, "U+000A (LINE FEED: a line break)"),
    ("version", en_field("version: 1.1.0", 'version: "1.1.0\\n"'), 4, "U+000A"),
    ("date", en_field("effective_date: 2026-06-01", 'effective_date: "2026-06-01\\n"'), 11, "U+000A"),
    ("owner", en_field('owner: "@org/appeals-leads"', 'owner: "@org/appeals-leads\\n"'), 7, "U+000A"),
    ("tag", en_field("tags: [listings]", 'tags: ["listings\\n"]'), 13, "U+000A"),
    *(
        (
            f"title U+{ord(c):04X}",
            en_field("title: Seller appeal of a listing removal", f'title: "MXN \\u{ord(c):04x}005 appeal"'),
            3,
            f"U+{ord(c):04X}",
        )
        for c in "\u202e\u202a\u2066\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff\x07\x1b\u2028"
    ),
    ("summary", en_field("summary: First version.", 'summary: "First\\u200dversion."'), 22, "U+200D"),
]


@pytest.mark.parametrize("setup, line, named", [case[1:] for case in LIES], ids=[case[0] for case in LIES])
def test_front_matter_text_that_lies_fails_the_schema(tree: Tree, setup: str, line: int, named: str) -> None:
    tree.add_sop(en=setup)
    findings = [f for f in run(tree).findings if f.path == EN and f.rule == "schema"]
    assert [(f.line, f.severity.value) for f in findings] == [(line, "error")], findings
    assert named in findings[0].hint
    assert "\n" not in findings[0].message + findings[0].hint  # one line, the character written out


def test_a_translation_title_that_lies_fails_too(tree: Tree) -> None:
    tree.add_sop(
        es=SPANISH.replace(
            "title: Apelación de un vendedor por la baja de una publicación",
            'title: "\\u202eApelación de un vendedor"',
        )
    )
    assert [(f.path, f.line, f.rule) for f in run(tree).findings] == [(ES, 3, "schema")]


def test_ordinary_text_passes(tree: Tree) -> None:
    title = "Devolución — pago en C# ✅ (São Paulo, 48 h)"
    tree.add_sop(en=en_field("title: Seller appeal of a listing removal", f"title: {title}"))
    assert run(tree).findings == []


# -- bodies -------------------------------------------------------------------------------------------------
def test_bidi_and_zero_width_characters_in_a_body_are_warnings_at_their_place(tree: Tree) -> None:
    text = en_field("The seller has 72 hours.", "The seller has 72 hours. Refund \u202e005 NXM\u202c max.")
    text += "Call\u200bback in 24\u200b hours.\n"
    tree.add_sop(en=text)
    result = run(tree)
    found = [(f.line, f.column, f.rule, f.severity.value, f.message.split(":")[0]) for f in result.findings]
    column = text.split("\n")[line_of(text, "Refund") - 1].index("\u202e") + 1
    more = "(and 1 more on this line)"
    assert found == [
        (
            line_of(text, "Refund"),
            column,
            "invisible-character",
            "warning",
            f"U+202E (RIGHT-TO-LEFT OVERRIDE) {more}",
        ),
        (line_of(text, "Call"), 5, "invisible-character", "warning", f"U+200B (ZERO WIDTH SPACE) {more}"),
    ]
    assert result.exit_code == 0


# -- merge-conflict markers ---------------------------------------------------------------------------------
CONFLICT_BODY = en_field(
    "## Escalation\n",
    "## Escalation\n\n<<<<<<< HEAD\nCall the lead.\n=======\nEmail the lead.\n>>>>>>> other-branch\n",
)


def test_conflict_markers_in_a_body_are_errors_at_their_lines(tree: Tree) -> None:
    tree.add_sop(en=CONFLICT_BODY)
    found = [(f.line, f.rule, f.message[:37]) for f in run(tree).findings]
    assert found == [
        (line_of(CONFLICT_BODY, marker), "merge-conflict", f"a git merge-conflict marker ({marker[:7]})")
        for marker in ("<<<<<<< HEAD", "=======\n", ">>>>>>> other")
    ]


def test_a_heading_underline_is_not_a_conflict_marker(tree: Tree) -> None:
    tree.add_sop(en=en_field("## Escalation\n", "## Escalation\n\nNotes\n=======\n\n"))
    assert [f.rule for f in run(tree).findings if f.rule == "merge-conflict"] == []


def test_conflict_markers_in_front_matter_are_errors_not_a_yaml_puzzle(tree: Tree) -> None:
    conflicted = en_field(
        "version: 1.1.0\n",
        "<<<<<<< HEAD\nversion: 1.1.0\n|||||||\nversion: 1.0.0\n=======\nversion: 1.2.0\n>>>>>>> b\n",
    )
    tree.add_sop(en=conflicted)
    found = [(f.path, f.line, f.rule) for f in run(tree).findings if f.path == EN]
    assert found == [(EN, line, "merge-conflict") for line in (4, 6, 8, 10)]


# -- YAML nested too deep -----------------------------------------------------------------------------------
def deep_front_matter(kind: str, depth: int) -> str:
    """Front matter `depth` levels deep (the top mapping is the first)."""
    if kind == "flow":
        return "x: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"
    if kind == "flow-mapping":
        return "x: " + "{a: " * (depth - 1) + "b" + "}" * (depth - 1) + "\n"
    if kind == "compact":  # - - - x: a list in a list, on one line
        return "x:\n" + "- " * (depth - 1) + "y\n"
    if kind == "block":
        return "x:\n" + "".join(" " * level + "-\n" for level in range(depth - 1))
    return "".join(" " * level + "k:\n" for level in range(depth)) + " " * depth + "v\n"


@pytest.mark.parametrize("kind", ["flow", "flow-mapping", "compact", "block", "mapping"])
def test_nesting_is_refused_past_the_limit(kind: str) -> None:
    for depth, refused in ((MAX_DEPTH, False), (MAX_DEPTH + 1, True)):
        parsed = parse_file(f"---\n{deep_front_matter(kind, depth)}---\n".encode(), "x.md")
        assert ("yaml-depth" in {f.rule for f in parsed.findings}) == refused, (kind, depth)


@pytest.mark.parametrize("kind", ["flow", "flow-mapping", "compact"])
def test_front_matter_nested_30000_deep_is_a_finding_not_a_crash(tree: Tree, kind: str) -> None:
    tree.add_sop()
    tree.write(EN, f"---\n{deep_front_matter(kind, 30_000)}---\n\n## Purpose\n")
    result = subprocess.run(
        [str(SOP), "lint", EN], cwd=tree.root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    assert f"{EN}:{2 if kind.startswith('flow') else 3}:" in result.stdout, result.stdout
    assert "error yaml-depth the front matter is nested more than 20 levels deep" in result.stdout


# -- the YAML test suite ------------------------------------------------------------------------------------
READ_THE_SUITE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from soplib.load.frontmatter import ParsedFile, parse_file, parse_yaml
    from soplib.load import yaml_guard

    out = {}
    for case in sorted(p.parent for p in Path(sys.argv[1]).rglob("in.yaml")):
        text = (case / "in.yaml").read_bytes().decode("utf-8")
        as_file = parse_file(("---\\n" + text.rstrip("\\n") + "\\n---\\n\\nBody.\\n").encode(), "x.md")
        alone = ParsedFile()
        parse_yaml(text, "x.md", alone)
        guard = yaml_guard.check(text)
        out[case.relative_to(sys.argv[1]).as_posix()] = {
            "invalid": (case / "error").exists(),
            "fence": any(line.rstrip() in ("---", "...") for line in text.split("\\n")),
            "file_accepted": as_file.meta is not None and not as_file.findings,
            "yaml_accepted": alone.meta is not None and not alone.findings,
            "guard": guard.message if guard else None,
        }
    print(json.dumps(out))
    """
)


def test_the_yaml_test_suite_as_front_matter() -> None:
    """Every case as the front matter of a file, and alone as the YAML of a front matter, in one process
    (a crash would show as its exit code): no traceback, no invalid case accepted, and the checks added to
    libyaml's refuse no valid case but for its directives (%YAML, %TAG), which front matter has no use for."""
    if not YAML_SUITE.is_dir():
        pytest.skip(f"the YAML test suite is not at {YAML_SUITE} (see shared/corpora/README.md)")
    result = subprocess.run(
        [sys.executable, "-c", READ_THE_SUITE, str(YAML_SUITE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr[-2000:]
    cases = json.loads(result.stdout)
    invalid = {name: case for name, case in cases.items() if case["invalid"]}
    assert len(cases) >= 400 and len(invalid) >= 90
    assert [name for name, case in invalid.items() if case["yaml_accepted"]] == []
    # A case with a --- or ... line cannot be one front matter: that line ends it, the rest is the body.
    assert [name for name, case in invalid.items() if case["file_accepted"] and not case["fence"]] == []
    refused_valid = {
        name: case["guard"] for name, case in cases.items() if not case["invalid"] and case["guard"]
    }
    assert set(refused_valid.values()) <= {"invalid YAML: a YAML directive (%) in front matter"}, (
        refused_valid
    )


def test_the_yaml_test_suite_through_sop_lint() -> None:
    """Every case as the front matter of an SOP of one library, read by `sop lint` as an SME runs it (every
    rule, the schema included, on whatever values the YAML makes): one clear finding or more per file, no
    traceback, exit code 1, and every invalid case refused at its file."""
    if not YAML_SUITE.is_dir():
        pytest.skip(f"the YAML test suite is not at {YAML_SUITE} (see shared/corpora/README.md)")
    cases = sorted(p.parent for p in YAML_SUITE.rglob("in.yaml"))
    tree = Tree(Path(tempfile.mkdtemp(prefix="yaml-suite-")))
    try:
        for number, case in enumerate(cases):
            text = _text(case).rstrip("\n")
            tree.write(f"sops/appeals/case-{number}.md", f"---\n{text}\n---\n\n## Purpose\n\nText.\n")
        result = subprocess.run(
            [str(SOP), "lint", "--format", "json"], cwd=tree.root, capture_output=True, text=True, check=False
        )
    finally:
        shutil.rmtree(tree.root, ignore_errors=True)
    assert result.returncode == 1 and result.stderr == "", result.stderr[-2000:]
    findings = json.loads(result.stdout)
    refused = {f["path"] for f in findings if f["severity"] == "error"}
    assert all(f["line"] >= 0 and "\n" not in f["message"] for f in findings)
    fenced = {n for n, case in enumerate(cases) if re.search(r"(?m)^(---|\.\.\.)\s*$", _text(case))}
    invalid = [n for n, case in enumerate(cases) if (case / "error").exists() and n not in fenced]
    assert len(cases) >= 400 and len(invalid) >= 50  # a --- or ... line ends a front matter: see above
    assert len(refused) >= 300, len(refused)
    assert [n for n in invalid if f"sops/appeals/case-{n}.md" not in refused] == []


def _text(case: Path) -> str:
    return (case / "in.yaml").read_bytes().decode("utf-8", "replace")
