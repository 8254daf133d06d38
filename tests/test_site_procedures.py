"""Every SOP of the sample library, in every language, shows on the built site the procedure that lint and
the diff engine read: the same steps, numbered the same, each holding its own sub-bullets, tables and code."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sop_trees import REPO
from soplib.core import dialect
from soplib.diff.blocks import STEP, parse_body, section_names
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.urls import page_url


def _procedure_steps(page: Path, anchor: str) -> list[LexborNode]:
    body = LexborHTMLParser(page.read_text(encoding="utf-8")).body
    assert body is not None
    heading = body.css_first(f"h2#{anchor}")
    assert heading is not None, f"{page}: no procedure heading #{anchor}"
    section = heading.next
    while section is not None and not section.is_element_node:
        section = section.next
    assert section is not None and section.tag == "div", f"{page}: the procedure is not one block"
    outside = [node.tag for node in dialect.children(section) if node.tag != "ol"]
    assert not outside, f"{page}: {outside} sit between the steps, outside them"
    return [item for ol in dialect.children(section, "ol") for item in dialect.children(ol, "li")]


def _counts(item: LexborNode) -> tuple[int, int, int]:
    """Sub-items, table rows and code blocks inside one step on the page."""
    inside = [node.tag for node in item.traverse(include_text=False) if node.mem_id != item.mem_id]
    return inside.count("li"), inside.count("tr"), inside.count("pre")


def test_every_procedure_on_the_site_is_the_one_lint_and_the_diff_read(built_site: Path) -> None:
    project = Project(REPO)
    names = section_names({section.key: section.names for section in project.sections})
    checked = 0
    for sop in load_library(project).sops:
        procedure = next(s for s in project.sections if s.key == "procedure").names[sop.lang]
        heading = next(h for h in sop.document.headings if h.top and h.text == procedure)
        lint_steps = [top.number for top in sop.document.tops_in(heading) if top.kind == "step"]
        (section,) = [s for s in parse_body(sop.body, names) if s.key == "procedure"]
        diff_steps = [block for block in section.blocks if block.kind == STEP]
        url = page_url(sop.path.relative_to("sops").as_posix(), sop.lang, project.source_language)
        page = built_site / url / "index.html"
        shown = _procedure_steps(page, heading.anchor)

        assert [item.attrs.get("id") for item in shown] == [f"step-{n}" for n in lint_steps], page
        assert [block.number for block in diff_steps] == lint_steps == list(range(1, len(shown) + 1)), page
        for item, block in zip(shown, diff_steps, strict=True):
            sub_items = sum(1 for line in block.lines if line.marker == "-")
            rows = sum(1 for line in block.lines if line.marker == "row")
            fences = sum(
                1 for line in block.lines if line.marker == "code" and line.text[:3] in ("```", "~~~")
            )
            assert _counts(item) == (sub_items, rows, fences // 2), f"{page} step {block.number}"
        checked += 1
    assert checked == 61  # 21 SOPs: 20 in three languages, one in English only
