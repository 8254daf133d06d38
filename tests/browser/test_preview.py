"""`sop serve`, as an SME uses it: the page open in the browser changes by itself after the SOP is saved,
search works in the preview, drafts are shown, and what lint says about the saved file is in the terminal."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sop_trees import ENGLISH, Tree
from test_cli_build import site_tree

SOP = Path(sys.executable).with_name("sop")


class Preview:
    """A running `sop serve` and everything it has printed."""

    def __init__(self, root: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(SOP), "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, "".join(self.lines)
            assert time.monotonic() < end, f"no {text!r} in:\n" + "".join(self.lines)
            time.sleep(0.1)


@pytest.fixture
def preview(tree: Tree) -> Iterator[tuple[Tree, Preview]]:
    site_tree(tree).add_sop()
    draft = ENGLISH.replace("SOP-APL-001", "SOP-APL-009").replace("status: active", "status: draft")
    tree.add_sop("appeals/next-draft", en=draft, es=None, pt=None)
    running = Preview(tree.root)
    try:
        running.wait_for("Serving the preview")
        yield tree, running
    finally:
        running.process.terminate()
        running.process.wait(timeout=30)
        running.reader.join(timeout=5)
        assert running.process.stdout is not None
        running.process.stdout.close()


def test_a_saved_sop_changes_the_open_page(preview: tuple[Tree, Preview], page: Page) -> None:
    tree, running = preview
    page.goto(f"{running.url}/appeals/seller-appeal/")
    expect(page.locator("h1")).to_have_text("Seller appeal of a listing removal")
    path = tree.root / "sops/appeals/seller-appeal.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Open the oldest case", "Open the newest case"))
    expect(page.locator("#step-1")).to_contain_text("Open the newest case", timeout=90_000)  # no reload asked

    # what lint says about a save is printed as the SME saves, and the preview is still built
    path.write_text(path.read_text(encoding="utf-8").replace("id: SOP-APL-001", "id: SOP-APL-1"))
    running.wait_for("sops/appeals/seller-appeal.md")
    expect(page.locator("#step-1")).to_contain_text("Open the newest case")


def test_the_preview_shows_drafts_and_search_works(preview: tuple[Tree, Preview], page: Page) -> None:
    _, running = preview
    page.goto(f"{running.url}/appeals/next-draft/")
    expect(page.locator(".sop-banner--draft")).to_be_visible()
    page.goto(f"{running.url}/appeals/seller-appeal/")
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.keyboard.type("listing removal")
    expect(page.locator(".sop-search-result__item").first).to_contain_text(
        "Seller appeal of a listing removal"
    )
