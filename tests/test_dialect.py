"""The SOP Markdown dialect: what lint reads is what the site's renderer shows, on the CommonMark
specification's examples and on generated SOP bodies; steps, anchors and links as GitHub would show them."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_renderer import lint_sees, site_shows
from sop_trees import REPO
from soplib.core import dialect
from soplib.diff.blocks import STEP, parse_body, read_blocks
from soplib.publish.body import publish

SPEC = REPO.parent / "shared" / "corpora" / "commonmark" / "spec.txt"
_EXAMPLE = re.compile(r"^`{32} example\n(.*?)^\.\n.*?^`{32}$", re.MULTILINE | re.DOTALL)

# Examples of the specification on which lint and the published page may disagree, with the reason.
# None today: headings, anchors and link targets agree on all of them.
ACCEPTED_DISAGREEMENTS: dict[int, str] = {}


def spec_examples() -> list[str]:
    return [markdown.replace("→", "\t") for markdown in _EXAMPLE.findall(SPEC.read_text(encoding="utf-8"))]


def test_lint_and_the_site_agree_on_every_commonmark_example() -> None:
    examples = spec_examples()
    assert len(examples) == 655
    disagreements = {}
    for number, markdown in enumerate(examples, 1):
        lint, site = lint_sees(markdown), site_shows(markdown)
        if (lint.headings, lint.links) != (site.headings, site.links):
            disagreements[number] = f"lint {lint.headings} {lint.links}, site {site.headings} {site.links}"
    assert set(disagreements) == set(ACCEPTED_DISAGREEMENTS), disagreements


# -- generated SOP bodies ------------------------------------------------------------------------------------
WORD = st.sampled_from(
    ["refund", "reembolso", "apelação", "MXN 500", "72 hours", "Case Hub", "*bold*", "`code`"]
)
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
LINK = st.sampled_from(
    [
        "[the refund SOP](refund.md)",
        "[wrapped\nlink text](../qa/fatal-errors.md#fatal)",
        "[by reference][ref]",
        "[angle](<with space.md>)",
        "<https://example.org/a>",
        "![a chart](chart.png)",
    ]
)


@st.composite
def nested(draw: st.DrawFn, indent: int) -> str:
    """What an SME puts under a step, indented as GitHub nests it: 2, 3 or 4 spaces past the marker's start
    where the step's text starts at 3 (a 4-space indent is still inside the step)."""
    pad = " " * draw(st.sampled_from([indent, indent + 1]))
    kind = draw(st.sampled_from(["bullets", "table", "code", "paragraph", "link"]))
    if kind == "bullets":
        items = draw(st.lists(TEXT, min_size=1, max_size=3))
        return "\n".join(f"{pad}- {item}" for item in items)
    if kind == "table":
        return f"{pad}| a | b |\n{pad}| --- | --- |\n{pad}| {draw(TEXT)} | {draw(TEXT)} |"
    if kind == "code":
        return f"{pad}```yaml\n{pad}key: {draw(TEXT)}\n\n{pad}```"
    if kind == "link":
        return pad + draw(LINK).replace("\n", "\n" + pad)
    return pad + draw(TEXT)


@st.composite
def sop_body(draw: st.DrawFn) -> str:
    steps, delimiter = [], draw(st.sampled_from([".", ")"]))  # a new delimiter would start a new list
    for number in range(1, draw(st.integers(1, 6)) + 1):
        marker = draw(st.sampled_from([str(number), "1"])) + delimiter
        content = [draw(nested(len(marker) + 1)) for _ in range(draw(st.integers(0, 2)))]
        lead = f"{marker} **{draw(TEXT)}** {draw(TEXT)}"
        steps.append("\n\n".join([lead, *content]) if draw(st.booleans()) else "\n".join([lead, *content]))
    anchor = draw(st.sampled_from(["", " {#stable-anchor}", " { #other .note }"]))
    return (
        f"## Purpose{anchor}\n\n{draw(TEXT)} {draw(LINK)}\n\n## Procedure\n\n"
        + "\n".join(steps)
        + f"\n\n### Notes\n\n{draw(TEXT)}\n\n[ref]: ../ref.md\n"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sop_body())
def test_generated_bodies_show_on_the_site_as_lint_reads_them(body: str) -> None:
    lint, site = lint_sees(body), site_shows(body, "Procedure")
    assert site.headings == lint.headings
    assert site.links == lint.links
    document = dialect.parse(body)
    procedure = next(h for h in document.headings if h.text == "Procedure")
    steps = [top.number for top in document.tops_in(procedure) if top.kind == "step"]
    diffed = [
        b.number for s in parse_body(body, {"procedure": "procedure"}) for b in s.blocks if b.kind == STEP
    ]
    assert site.steps == [f"step-{number}" for number in steps]
    assert diffed == steps == list(range(1, len(steps) + 1))


# -- what the dialect reads --------------------------------------------------------------------------------
def test_nested_content_at_two_three_or_four_spaces_stays_in_its_step() -> None:
    body = (
        "## Procedure\n\n"
        "1. **Verify.** The agent opens the case.\n"
        "  continued lazily.\n"
        "   - a sub-bullet at 3 spaces\n"
        "    - and one at 4\n\n"
        "   | a | b |\n   | - | - |\n   | 1 | 2 |\n\n"
        "   ```\n   code\n   ```\n"
        "2. **Check.**\n"
        "- not a sub-bullet: a list of its own\n"
    )
    document = dialect.parse(body, 10)
    steps = [top for top in document.tops if top.kind == "step"]
    assert [(s.number, s.line, s.end) for s in steps] == [(1, 12, 23), (2, 24, 24)]
    assert [top.kind for top in document.tops][-1] == "item"
    (procedure,) = [b for b in parse_body(body, {}) if b.title == "Procedure"]
    markers = [line.marker for line in procedure.blocks[0].lines]
    assert markers == ["", "-", "-", "row", "row", "code", "code", "code"]


def test_anchors_are_the_sites_including_attribute_lists_and_repeats() -> None:
    body = (
        "## Purpose\n\n## Propósito {#purpose-es}\n\n## Purpose\n\n### Step 2: *check* `it`\n\n## {: #x }\n"
    )
    headings = dialect.parse(body).headings
    assert [(h.text, h.anchor) for h in headings] == [
        ("Purpose", "purpose"),
        ("Propósito", "purpose-es"),
        ("Purpose", "purpose_1"),
        ("Step 2: check it", "step-2-check-it"),
        ("", "x"),
    ]


def test_links_wrapped_by_reference_and_in_angle_brackets_are_found_where_written() -> None:
    body = (
        "Intro.\n\nSee [the\nrefund SOP](refund.md#scope) and [fatal][f].\n\n[f]: <../qa/fatal errors.md>\n"
    )
    document = dialect.parse(body, 20)
    assert [link.target for link in document.links] == ["refund.md#scope", "../qa/fatal%20errors.md"]
    assert [document.where(link) for link in document.links] == [(23, 13), (25, 7)]


def test_a_stray_table_between_steps_ends_the_list_as_github_shows_it() -> None:
    body = "## Procedure\n\n1. One\n2. Two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n1. Three\n"
    steps = [(t.number, t.list_id) for t in dialect.parse(body).tops if t.kind == "step"]
    assert steps == [(1, 1), (2, 1), (1, 3)]


def test_bad_input_is_read_without_a_crash() -> None:
    for body in (
        "## Procedure\n\n1. Step\n\n```yaml\nnever closed",
        "<![ CDATA [ x",
        "<![CDATA[<script>alert(1)</script>]]>",
        "> " * 40_000 + "deep",
        "".join("  " * level + "- a\n" for level in range(800)),
        "<div>" * 30_000,
        "\x00\ufffe\udcff",
    ):
        text = body.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        document = dialect.parse(text)
        assert isinstance(read_blocks(text), list)
        assert isinstance(publish(text, "Procedure", str), list)
        assert document.depth >= 0
    assert dialect.parse("> " * 40_000 + "deep").depth == 40_000
