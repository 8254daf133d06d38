"""The built sample site, served on 127.0.0.1, opened in Debian's chromium through Playwright."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hosting import served as serving
from playwright.sync_api import Browser, Page, sync_playwright
from screens import DESKTOP, PHONE

from chromium import CHROMIUM, CHROMIUM_FLAGS

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def serve() -> Callable[[Path], contextlib.AbstractContextManager[str]]:
    """Serve a folder of a test's own: `with serve(folder) as url: ...`."""
    return serving


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["1280px", "390px"])
def screen(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page at a desktop's width and at a phone's (390 px: a common phone's CSS width)."""
    context = browser.new_context(viewport=request.param)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="session")
def sops(built_site: Path) -> list[dict[str, str]]:
    """Every published SOP in every language, as catalog.json lists it (id, language, url, title ...)."""
    return list(json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))["sops"])


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
