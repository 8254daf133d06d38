"""An SOP page as an agent reads it, at 1280 px and on a 390 px phone, in every language: the title with
its id, the version in force, the banners, then the steps in the first screen; the breadcrumb and the
folded metadata that link on; the printed page; the page not found; nothing fetched from elsewhere.
Many pages are checked in one browser page, one after the other: a new page per check would take minutes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from screens import PHONE

pytestmark = pytest.mark.browser
LANGUAGES = ("en", "es", "pt")
REFUND = "customer-service/refund-and-return/"
ENGLISH_ONLY = "customer-service/payment-and-chargeback-questions/"
PROCEDURE_TOP = """() => {
  const heading = document.getElementById("step-1").closest(".sop-section").previousElementSibling;
  const banners = [...document.querySelectorAll("article .admonition")]
    .map((b) => b.getBoundingClientRect().top);
  return {
    heading: heading.tagName, bottom: heading.getBoundingClientRect().bottom, banners,
    top: heading.getBoundingClientRect().top, h1: document.querySelectorAll("h1").length,
  };
}"""


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def test_every_sop_shows_its_title_version_banners_then_steps_in_a_phones_first_screen(
    screen: Page, site_url: str, sops: list[dict[str, str]]
) -> None:
    height = screen.viewport_size["height"] if screen.viewport_size else 0
    for sop in sops:
        screen.goto(f"{site_url}/{sop['url']}")
        title = screen.locator("h1")
        expect(title).to_be_visible()
        expect(title).to_have_text(f"{sop['id']} {sop['title']}")
        expect(screen.locator(".sop-version__number")).to_contain_text(sop["version"])
        top = screen.evaluate(PROCEDURE_TOP)
        assert top["h1"] == 1 and top["heading"] == "H2", sop["url"]
        assert all(banner < top["top"] for banner in top["banners"]), sop["url"]  # banners, then the steps
        if height == PHONE["height"]:
            assert top["bottom"] <= height, f"{sop['url']}: the procedure starts at {top['bottom']:.0f} px"
        expect(screen.locator("details.sop-meta")).not_to_have_attribute("open", "")


def test_breadcrumb_and_metadata_link_to_the_team_and_browse_pages(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/{REFUND}")
    crumbs = page.locator("nav.sop-breadcrumb")
    expect(crumbs).to_have_attribute("aria-label", "Usted está aquí")
    expect(crumbs.locator("[aria-current=page]")).to_have_text("SOP-CS-001")
    with page.expect_navigation(wait_until="load"):
        crumbs.get_by_role("link", name="Atención al cliente").click()
    expect(page).to_have_url(f"{site_url}/es/teams/customer-service/")
    page.go_back()
    page.locator("details.sop-meta summary").click()
    with page.expect_navigation(wait_until="load"):
        page.locator(".sop-meta__item--kpis").get_by_role("link", name="Tasa de contacto").click()
    expect(page).to_have_url(f"{site_url}/es/browse/kpi-contact-rate/")
    expect(page.locator("article")).to_contain_text("SOP-CS-001")


def test_a_printed_sop_keeps_its_title_version_address_and_print_date(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/pt/{REFUND}")
    expect(page.locator(".sop-print")).to_be_hidden()  # on screen: only on paper
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".sop-version")).to_be_visible()
    expect(page.locator(".sop-breadcrumb")).to_be_hidden()
    line = page.locator(".sop-print")
    expect(line).to_be_visible()
    expect(line).to_have_text(f"{site_url}/pt/{REFUND} · Impresso em {date.today().isoformat()}")
    page.emulate_media(media="screen")


def test_english_shown_on_a_spanish_page_is_marked_english(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/{ENGLISH_ONLY}")
    expect(page.locator("h1 [lang=en]")).to_have_text("Payment and chargeback questions")
    expect(page.locator('div[lang="en"] h2').first).to_have_text(re.compile("Procedure"))
    toc = page.locator('.md-nav--secondary a[href="#purpose"]')
    expect(toc).to_have_attribute("lang", "en")  # marked by assets/sop/page.js
    expect(page.locator('[data-md-component="header-topic"] .md-ellipsis')).to_have_attribute("lang", "en")
    expect(page.locator('.md-nav--secondary a[href="#sop-history"]')).not_to_have_attribute("lang", "en")


@pytest.mark.parametrize(("lang", "heading"), [("en", "Page not found"), ("es", "Página no encontrada")])
def test_a_missing_address_gets_the_page_not_found_in_its_language_with_a_search_box(
    page: Page, site_url: str, lang: str, heading: str
) -> None:
    page.goto(f"{site_url}/{prefix(lang)}customer-service/refund-and-retrun/")
    expect(page.locator("article h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    field = page.locator(".sop-not-found input")
    expect(field).to_have_value("refund and retrun")  # the words of the address
    page.locator(".sop-not-found button").click()
    first = page.locator(".sop-search-result__item").first
    # the address's words are English: on the Spanish site, they find the SOP in English only first
    expect(first.locator("h3")).to_contain_text("SOP-CS-001" if lang == "en" else "SOP-CS-007")


def test_tables_fit_a_phone_and_no_date_is_cut(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    for lang in LANGUAGES:
        for path in (REFUND, "changes/", "teams/customer-service/", "browse/"):
            phone.goto(f"{site_url}/{prefix(lang)}{path}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{lang} {path}: the page is {width} px wide"
        phone.goto(f"{site_url}/{prefix(lang)}{REFUND}")
        for cell in phone.locator(".sop-history tbody td:nth-child(2)").all():
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell.inner_text())
            assert cell.evaluate("c => c.getClientRects().length === 1 && c.scrollWidth <= c.clientWidth")
    context.close()


def test_no_request_leaves_the_site_and_none_fails(page: Page, site_url: str) -> None:
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for lang in LANGUAGES:
        for path in (f"diffs/{REFUND}2.1.0/", REFUND, ENGLISH_ONLY, "teams/", "changes/", ""):
            page.goto(f"{site_url}/{prefix(lang)}{path}", wait_until="networkidle")
        page.keyboard.press("/")
        page.keyboard.type("refnd" if lang == "en" else "reembolzo")
        expect(page.locator(".sop-search-result__item").first).to_be_visible()
        page.locator(".sop-search-result__item a").first.click()
        page.wait_for_load_state("networkidle")
    assert len(requests) > 50
    assert [url for url in requests if not url.startswith(site_url)] == []
    assert failed == []


def test_diff_pages_and_recent_changes_link_on(page: Page, site_url: str, artifacts: Path) -> None:
    page.goto(f"{site_url}/pt/changes/")
    entry = page.locator("article li", has_text="SOP-CS-001").first
    with page.expect_navigation(wait_until="load"):
        entry.get_by_role("link", name="2.1.0").click()
    expect(page).to_have_url(f"{site_url}/pt/diffs/{REFUND}2.1.0/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=re.compile("2.0.0")).first.click()
    expect(page).to_have_url(f"{site_url}/pt/diffs/{REFUND}2.0.0/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=re.compile("Solicitações de reembolso")).first.click()
    expect(page).to_have_url(f"{site_url}/pt/{REFUND}")


def test_screenshots_of_the_top_of_an_sop(browser: Browser, site_url: str, artifacts: Path) -> None:
    """For a person to look at: the stale Portuguese refund SOP and the English-only SOP in Spanish."""
    for name, viewport in (("phone", PHONE), ("desktop", {"width": 1280, "height": 900})):
        context = browser.new_context(viewport=viewport)
        shot = context.new_page()
        for path in (f"pt/{REFUND}", f"es/{ENGLISH_ONLY}"):
            shot.goto(f"{site_url}/{path}")
            target = artifacts / f"top-{path.split('/')[0]}-{path.split('/')[2]}-{name}.png"
            shot.screenshot(path=str(target))
            assert target.stat().st_size > 20_000
        context.close()
