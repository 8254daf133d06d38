"""Search on the sample site, in the browser, as an agent types it: no accents, in their language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def search(page: Page, site_url: str, lang: str, query: str) -> None:
    prefix = "" if lang == "en" else f"{lang}/"
    page.goto(f"{site_url}/{prefix}")
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.keyboard.type(query)
    expect(page.locator(".sop-search-result__item").first).to_be_visible()


def result_urls(page: Page) -> list[str]:
    return [link.get_attribute("href") or "" for link in page.locator(".sop-search-result__item a").all()]


@pytest.mark.parametrize(
    ("lang", "query", "accented"),
    [
        ("es", "devolucion", "devolución"),
        ("es", "apelacion", "apelación"),
        ("pt", "apelacao", "apelação"),
        ("pt", "devolucao", "devolução"),
    ],
)
def test_unaccented_query_finds_accented_pages(
    page: Page, site_url: str, lang: str, query: str, accented: str
) -> None:
    search(page, site_url, lang, query)
    expect(page.locator(".sop-search-result__item mark").first).to_be_visible()
    assert any(
        accented in text.lower() for text in page.locator(".sop-search-result__item").all_inner_texts()
    )


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_results_are_in_the_readers_language_only(page: Page, site_url: str, lang: str) -> None:
    search(page, site_url, lang, "reembolso")
    urls = result_urls(page)
    assert urls and all(f"/{lang}/" in url for url in urls), urls


@pytest.mark.parametrize("query", ["SOP-QA-004", "qa 004", "qa-4"])
def test_id_query_puts_that_sop_first(page: Page, site_url: str, query: str) -> None:
    search(page, site_url, "en", query)
    first = page.locator(".sop-search-result__item").first
    expect(first.locator("h1")).to_have_text("SOP-QA-004 · Calibration sessions")


def test_result_shows_status_and_deprecated_sops_come_last(page: Page, site_url: str) -> None:
    search(page, site_url, "en", "voucher")
    items = page.locator(".sop-search-result__item")
    expect(items.last).to_have_class(re.compile("sop-search-result__item--inactive"))
    expect(items.last.locator(".sop-search-result__status")).to_have_text("Deprecated · v1.1.0")
    expect(items.first).not_to_have_class(re.compile("inactive"))


def test_enter_opens_the_first_result(page: Page, site_url: str, artifacts: Path) -> None:
    search(page, site_url, "es", "calibracion")
    page.screenshot(path=str(artifacts / "search-es.png"))
    first = page.locator(".sop-search-result__item a").first.get_attribute("href")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert page.url == first
