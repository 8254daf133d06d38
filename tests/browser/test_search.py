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
    expect(first.locator("h3")).to_have_text("SOP-QA-004 · Calibration sessions")


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


def first_result(page: Page) -> str:
    return page.locator(".sop-search-result__item h3").first.inner_text()


@pytest.mark.parametrize(
    ("lang", "query", "sop", "said"),
    [
        ("es", "reembolzo", "SOP-CS-001", "«reembolso»"),  # a typo, put right from the index's own words
        ("en", "refnd", "SOP-CS-001", "“refund”"),
        ("es", "reintegro", "SOP-CS-001", "«reembolso», el término que usan los SOP"),  # a glossary variant
        ("pt", "ressarcimento", "SOP-CS-001", "“reembolso”, o termo que os SOPs usam"),
        ("es", "contracargo", "SOP-CS-007", ""),  # an English-only SOP, by its Spanish alias
        ("pt", "estorno", "SOP-CS-007", ""),
    ],
)
def test_a_typo_a_glossary_variant_and_an_alias_find_the_right_sop(
    page: Page, site_url: str, lang: str, query: str, sop: str, said: str
) -> None:
    search(page, site_url, lang, query)
    assert first_result(page).startswith(sop)
    expect(page.locator(".sop-search-result__note")).to_contain_text(said)


def test_an_english_only_result_is_marked_english_and_a_stale_one_says_so(page: Page, site_url: str) -> None:
    search(page, site_url, "es", "contracargo")
    expect(page.locator(".sop-search-result__item h3").first).to_have_attribute("lang", "en")
    search(page, site_url, "pt", "reembolso devolucao")
    refund = page.locator(".sop-search-result__item").filter(has=page.locator("h3", has_text="SOP-CS-001"))
    expect(refund.locator(".sop-search-result__status")).to_have_text(
        "Vigente · v2.1.0 · Tradução desatualizada"
    )


def test_a_word_no_sop_has_finds_nothing_and_says_what_to_try(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/")
    page.keyboard.press("/")
    page.keyboard.type("estorno")  # Portuguese: without a guess, Pagefind would search it as "es"
    expect(page.locator(".sop-search-result .md-search-result__meta")).to_have_text(
        "No se encontraron documentos"
    )
    expect(page.locator(".sop-search-result__note")).to_contain_text("Revise la ortografía")
    expect(page.locator(".sop-search-result__item")).to_have_count(0)


def test_arrows_move_to_the_third_result_enter_opens_it_and_tab_stays_in_the_box(
    page: Page, site_url: str
) -> None:
    search(page, site_url, "es", "reembolso")
    expect(page.locator(".md-search-result__meta[role=status]")).to_contain_text("documentos encontrados")
    expect(page.locator(".sop-search-result ol")).not_to_have_attribute("role", "presentation")
    links = page.locator(".sop-search-result__item a")
    expect(links.nth(3)).to_be_attached()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(links.nth(2)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(links.last).to_be_focused()  # round from the box to the last result: focus stays in the dialog
    page.keyboard.press("Tab")
    expect(page.locator(".md-search__input")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    third = links.nth(2).get_attribute("href")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert page.url == third


def test_a_result_opens_at_its_step_with_the_words_highlighted(page: Page, site_url: str) -> None:
    search(page, site_url, "es", "clabe")
    link = page.locator(".sop-search-result__item a").first
    expect(link).to_have_attribute(
        "href", re.compile(r"/es/customer-service/refund-and-return/\?h=clabe#step-4$")
    )
    expect(page.locator(".sop-search-result__item p mark").first).to_have_text("(CLABE")
    with page.expect_navigation(wait_until="load"):
        link.click()
    step = page.locator("li#step-4")
    expect(step).to_be_in_viewport()
    expect(step.locator("mark.sop-highlight")).to_have_text("CLABE")
    assert page.locator("mark.sop-highlight").count() == 1


SEARCH_EVERY = """async ([queries, lang]) => {
  const root = new URL("../../", document.querySelector('script[src*="assets/sop/search.js"]').src);
  const pagefind = await import(new URL(`pagefind/${lang}/pagefind.js`, root).href);
  const core = await import(new URL("assets/sop/sop-search.mjs", root).href);
  await pagefind.options({ baseUrl: root.pathname });
  await pagefind.init();
  const settings = { wordsAt: new URL(`pagefind/${lang}/`, root).href };
  const found = [];
  for (const query of queries) found.push(await core.searchSops(pagefind, query, 3, settings));
  return found;
}"""


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_a_title_typed_whole_puts_its_sop_first_and_no_excerpt_comes_from_the_keywords(
    page: Page, site_url: str, sops: list[dict[str, str]], lang: str
) -> None:
    mine = [sop for sop in sops if sop["language"] == lang and sop["status"] == "active"]
    page.goto(f"{site_url}/{'' if lang == 'en' else lang + '/'}")
    found = page.evaluate(SEARCH_EVERY, [[sop["title"] for sop in mine], lang])
    assert [f["results"][0]["id"] for f in found] == [sop["id"] for sop in mine]
    for sop, result in zip(mine, found, strict=True):
        for hit in result["results"]:
            assert hit["id"] not in hit["excerpt"], (sop["title"], hit["excerpt"])  # the keyword line
