"""A generated HTML diff and a calibration pack in a real browser: insertions and deletions visible on
screen and in print, a screenshot and a PDF of each in the artifacts folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from diff_story import build_story
from gitrepo import Repo, story
from sop_trees import Tree

pytestmark = pytest.mark.browser
SOP = Path(sys.executable).with_name("sop")


def _write(root: Path, *args: str) -> None:
    result = subprocess.run([str(SOP), *args], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def diff_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("diff")
    root = build_story(Tree(folder / "library")).root
    _write(root, "diff", "SOP-APL-001", "--from", "1.0.0", "-o", str(folder / "diff.html"))
    return folder / "diff.html"


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    repo = Repo(Tree(folder / "library"))
    story(repo)
    _write(repo.root, "calibration-pack", "--since", "2026-06-01", "-o", str(folder / "pack.html"))
    return folder / "pack.html"


def _decoration(element: Locator) -> str:
    return str(element.evaluate("e => getComputedStyle(e).textDecorationLine"))


def _assert_marks_visible(page: Page) -> None:
    inserted, deleted = page.locator("article ins").first, page.locator("article del").first
    expect(inserted).to_be_visible()
    expect(deleted).to_be_visible()
    # told apart without colour: underlined against struck through, on screen and in print
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        assert _decoration(inserted) == "underline"
        assert _decoration(deleted) == "line-through"
    page.emulate_media(media="screen")


def _save(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    page.emulate_media(media="print")
    page.pdf(path=str(artifacts / f"{name}.pdf"), format="A4", print_background=True)
    assert (artifacts / f"{name}.png").stat().st_size > 30_000
    assert (artifacts / f"{name}.pdf").stat().st_size > 10_000


def test_the_diff_shows_insertions_deletions_and_the_moved_step(
    page: Page, diff_file: Path, artifacts: Path
) -> None:
    page.goto(diff_file.as_uri())
    expect(page.locator("h1")).to_have_text("SOP-APL-001 · Seller appeal of a listing removal")
    _assert_marks_visible(page)
    expect(page.locator(".sop-diff__figures")).to_contain_text("24 hours → 12 hours")
    changed_number = page.locator(".sop-diff__section--changed del.fig", has_text="24")
    expect(changed_number).to_be_visible()
    assert changed_number.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    moved = page.locator(".sop-diff__block--moved")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("moved, was step 2")
    expect(page.locator(".sop-diff__section--added")).to_contain_text("Definitions")
    _save(page, artifacts, "diff")


def test_the_calibration_pack_lists_each_sop_then_its_diff(
    page: Page, pack_file: Path, artifacts: Path
) -> None:
    page.goto(pack_file.as_uri())
    expect(page.locator("h1")).to_have_text("Calibration pack")
    expect(page.locator(".sop-pack__table tbody tr")).to_have_count(2)
    expect(page.locator(".sop-pack__flag").first).to_contain_text("Español (México): translates 1.1.0")
    _assert_marks_visible(page)
    page.locator(".sop-pack__table a", has_text="SOP-QA-001").click()
    expect(page.locator('[id="diff-SOP-QA-001-1.1.0"]')).to_be_in_viewport()
    # every SOP starts on a new page when printed
    page.emulate_media(media="print")
    breaks = page.locator(".sop-pack__item").evaluate_all(
        "items => items.map(i => getComputedStyle(i).breakBefore)"
    )
    assert breaks == ["page", "page"]
    page.emulate_media(media="screen")
    _save(page, artifacts, "calibration-pack")
