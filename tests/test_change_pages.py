"""Recent changes on the site, from the sample library's real history: every version once, in its month,
newest first; a month too big for one page is split, and the parts link to each other; each version links to
its SOP and, where there is one, to its diff page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sop_trees import REPO
from soplib import changelog
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.changes import change_pages
from soplib.repo.history import optional_history

TODAY = date(2026, 11, 29)
LINE = re.compile(r"^- (\d{4}-\d\d-\d\d).*?\*\*(SOP-[A-Z]+-\d+)\*\* .*? · \*\*(\[)?(\d+\.\d+\.\d+)", re.M)


@pytest.fixture(scope="module")
def sample() -> tuple[Project, list[changelog.Change]]:
    project = Project(REPO)
    library = load_library(project)
    return project, changelog.entries(library, optional_history(project), "es")


def listed(pages: dict[str, str]) -> list[tuple[str, str, str, bool]]:
    """(date, SOP id, version, linked to a diff) of every version on the month pages, in page order."""
    found = []
    for path in sorted((p for p in pages if p.startswith("changes/")), key=_order):
        found += [(d, sop, version, bool(link)) for d, sop, link, version in LINE.findall(pages[path])]
    return found


def _order(path: str) -> tuple[int, int]:
    """Newest month first (versions without a date last), a month's parts in order."""
    name = path.removeprefix("changes/").removesuffix(".es.md")
    month, part = ("0000-00", name[8:]) if name.startswith("undated") else (name[:7], name[8:])
    return -int(month.replace("-", "")), int(part or 1)


@pytest.mark.parametrize("per_page", [250, 3])
def test_every_version_once_newest_first(
    sample: tuple[Project, list[changelog.Change]], per_page: int
) -> None:
    project, changes = sample
    pages = change_pages(project, changes, "es", TODAY, lambda sop, v: f"diffs/{sop}/{v}/", per_page)
    found = listed(pages)
    assert sorted((d, s, v) for d, s, v, _ in found) == sorted((c.date, c.sop_id, c.version) for c in changes)
    assert [d for d, *_ in found] == sorted((d for d, *_ in found), reverse=True)
    assert all(linked for *_, linked in found)
    assert all(len(LINE.findall(text)) <= per_page for path, text in pages.items() if path != "changes.es.md")


def test_a_big_month_is_split_and_its_parts_link_each_other(
    sample: tuple[Project, list[changelog.Change]],
) -> None:
    project, changes = sample
    pages = change_pages(project, changes, "es", TODAY, lambda sop, v: None, per_page=3)
    split = sorted(p for p in pages if re.fullmatch(r"changes/\d{4}-\d\d-\d+\.es\.md", p))
    assert split, "the sample has a month with more than 3 versions"
    second = split[0]
    first = second.rsplit("-", 1)[0] + ".es.md"
    assert f"]({second.removeprefix('changes/').removesuffix('.es.md')}.md)" in pages[first]
    assert "(2/" in pages[second].split("\n---\n", 1)[1].split("\n")[1]  # its title says which part
    assert "](../changes.md)" in pages[second]
    assert not any("](diffs/" in text for text in pages.values())  # no diff page: no link
