"""Whatever bytes, YAML or Markdown an SME pastes, `sop lint` answers with findings: exit 0 or 1."""

from __future__ import annotations

import tempfile
from pathlib import Path

import fastjsonschema
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sop_trees import ENGLISH, Tree
from soplib.doors.cli import cli
from soplib.load.frontmatter import parse_file
from soplib.load.project import Project

FRONT_MATTER_END = ENGLISH.index("\n---\n") + 5
_TREE: list[Tree] = []


def library() -> Tree:
    """One library reused by every example (hypothesis runs many; copying schemas each time is slow)."""
    if not _TREE:
        _TREE.append(Tree(Path(tempfile.mkdtemp(prefix="sop-property-")) / "library"))
    return _TREE[0]


def lint_file(content: bytes) -> None:
    tree = library()
    tree.write("sops/appeals/seller-appeal.md", content)
    result = CliRunner().invoke(cli, ["lint", "--root", str(tree.root), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(content: bytes) -> None:
    lint_file(content)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_inside_front_matter(noise: bytes) -> None:
    lint_file(b"---\n" + noise + b"\n---\n\n## Purpose\n")


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "title",
                "version",
                "status",
                "team",
                "owner",
                "regions",
                "changes",
                "review_by",
                "tags",
                "x",
            ]
        )
        | st.text(max_size=10),
        yaml_values,
        max_size=12,
    )
)
def test_random_yaml_front_matter(meta: dict[str, object]) -> None:
    front_matter = yaml.safe_dump(meta, allow_unicode=True)
    lint_file(f"---\n{front_matter}---\n{ENGLISH[FRONT_MATTER_END:]}".encode())


markdown_pieces = st.sampled_from(
    [
        "## Purpose",
        "## Scope",
        "## Procedure",
        "## Escalation",
        "## Unknown",
        "### Sub",
        "# Title",
        "1. step",
        "2) step",
        "- bullet",
        "```",
        "~~~",
        "`code`",
        "[link](other.md)",
        "[a](#b)",
        "[x](javascript:1)",
        "<b>",
        "<script>",
        "<img onerror=x>",
        "<!-- c -->",
        "<https://x.org>",
        "[r]: ../a.md",
        "\t",
        "    indented",
        "<",
        ">",
        "](",
        "[",
        "#",
        "|a|b|",
        "",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(markdown_pieces | st.text(max_size=20), max_size=30))
def test_random_markdown_body(pieces: list[str]) -> None:
    lint_file((ENGLISH[:FRONT_MATTER_END] + "\n".join(pieces)).encode())


# -- the fast schema check says what jsonschema says --------------------------------------------------------
_META = parse_file(ENGLISH.encode(), "sops/appeals/seller-appeal.md").meta or {}
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.sampled_from(
        ["active", "SOP-APL-001", "SOP-APL-001\n", "1.2.0", "2026-02-30", "2026-06-01", "@org/x"]
    ),
    st.lists(st.sampled_from(["MX", "BR", "agent", "rsat", "x"]), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from([*_META, "unknown"]), VALUES, max_size=4),
    st.sets(st.sampled_from(list(_META)), max_size=3),
)
def test_the_fast_schema_check_agrees_with_jsonschema(changed: dict[str, object], dropped: set[str]) -> None:
    project = Project(library().root)
    meta = {key: value for key, value in {**_META, **changed}.items() if key not in dropped}
    try:
        project.english_accepts(meta)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    assert fast == (not list(project.english_validator.iter_errors(meta))), meta
