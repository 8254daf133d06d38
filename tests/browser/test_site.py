"""The published sample site in a real browser: what an agent sees on an SOP page, in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SELLER_APPEAL = "appeals/seller-listing-removal-appeal/"
REFUND = "customer-service/refund-and-return/"
VOUCHER = "customer-service/manual-refund-voucher/"
ENGLISH_ONLY = "customer-service/payment-and-chargeback-questions/"


def test_metadata_header_shows_the_version_in_force(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/{SELLER_APPEAL}")
    expect(page.locator("h1")).to_have_text("SOP-APL-001 Seller appeal of a listing removal")
    expect(page.locator(".sop-version")).to_have_text("Version 1.1.1 · In force since 2026-09-14")
    about = page.locator("details.sop-meta")
    expect(about.locator(".sop-meta__item--owner dd")).to_be_hidden()  # folded away below the procedure
    about.locator("summary").click()
    expect(about.locator(".sop-meta__item--id dd")).to_have_text("SOP-APL-001")
    expect(about.locator(".sop-meta__item--owner dd")).to_have_text("@marketplace-ops/appeals-leads")
    expect(about.locator(".sop-meta__item--kpis dd")).to_contain_text("Appeal overturn rate")
    with page.expect_navigation(wait_until="load"):
        about.locator(".sop-meta__item--team a").click()
    expect(page).to_have_url(f"{site_url}/teams/appeals/")


def test_header_is_in_the_page_language(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/pt/{SELLER_APPEAL}")
    expect(page.locator(".sop-version__effective")).to_have_text("Em vigor desde 2026-09-14")
    page.locator("details.sop-meta summary").click()
    expect(page.locator(".sop-meta__item--regions dd")).to_have_text("México, Brasil")


@pytest.mark.parametrize(
    ("url", "title", "source", "current"),
    [(f"pt/{REFUND}", "Tradução desatualizada", "2.0.0", "2.1.0")],  # 2.1.0 reorders steps
)
def test_stale_translation_banner(
    page: Page, site_url: str, url: str, title: str, source: str, current: str
) -> None:
    page.goto(f"{site_url}/{url}")
    expect(page.locator(".sop-banner--wording")).to_have_count(0)
    banner = page.locator(".sop-banner--stale")
    expect(banner.locator(".admonition-title")).to_have_text(title)
    expect(banner).to_contain_text(f"{source}")
    expect(banner).to_contain_text(f"{current}")
    with page.expect_navigation(wait_until="load"):
        banner.locator("a").first.click()  # to the English SOP, the version in force
    expect(page).to_have_url(re.compile(rf"{site_url}/{url.split('/', 1)[1]}$"))
    expect(page.locator(".sop-version__number")).to_have_text(f"Version {current}")


def test_a_translation_behind_only_in_wording_gets_a_quiet_note(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/{SELLER_APPEAL}")  # English 1.1.1 only rewords step 5 (editorial)
    expect(page.locator(".sop-banner--stale")).to_have_count(0)
    note = page.locator(".sop-banner--wording")
    expect(note.locator(".admonition-title")).to_have_text("Redacción en inglés actualizada")
    expect(note).to_contain_text("sigue siendo el procedimiento que se debe seguir")


@pytest.mark.parametrize(("lang", "title"), [("es", "Aún sin traducción"), ("pt", "Ainda sem tradução")])
def test_missing_translation_falls_back_to_english_and_says_so(
    page: Page, site_url: str, lang: str, title: str
) -> None:
    page.goto(f"{site_url}/{lang}/{ENGLISH_ONLY}")
    expect(page.locator(".sop-banner--missing .admonition-title")).to_have_text(title)
    expect(page.locator("article h2").first).to_have_text(re.compile("Procedure"))  # the steps first


def test_current_translation_has_no_banner(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/{REFUND}")
    expect(page.locator(".sop-meta")).to_be_visible()
    expect(page.locator(".admonition")).to_have_count(0)


def test_language_switcher_lands_on_the_same_sop(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/{SELLER_APPEAL}")
    page.locator(".md-select").first.hover()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Português").click()
    expect(page).to_have_url(f"{site_url}/pt/{SELLER_APPEAL}")
    expect(page.locator("h1")).to_have_text("SOP-APL-001 Apelação do vendedor contra a remoção de um anúncio")


def test_deprecated_sop_is_marked_and_points_to_its_successor(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/{VOUCHER}")
    expect(page.locator(".sop-version__status")).to_have_text("Deprecated")
    banner = page.locator(".sop-banner--deprecated")
    expect(banner).to_contain_text("SOP-CS-001")
    with page.expect_navigation(wait_until="load"):
        banner.get_by_role("link").click()
    expect(page).to_have_url(f"{site_url}/{REFUND}")


def test_team_page_lists_deprecated_sops_apart(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/teams/customer-service/")
    tables = page.locator("article table")
    expect(tables).to_have_count(2)
    expect(tables.nth(0)).not_to_contain_text("SOP-CS-006")
    expect(page.locator("article h2")).to_have_text(re.compile("^Obsoletos y retirados"))
    expect(tables.nth(1)).to_contain_text("SOP-CS-006")


def test_navigation_does_not_carry_the_library(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/{SELLER_APPEAL}")
    links = page.locator(".md-nav--primary a.md-nav__link")
    assert links.count() < 12, links.all_inner_texts()


def test_print_layout_hides_the_site_chrome(page: Page, site_url: str, artifacts: Path) -> None:
    page.goto(f"{site_url}/{SELLER_APPEAL}")
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".sop-meta")).to_be_visible()
    page.pdf(path=str(artifacts / "sop-print.pdf"))
    assert (artifacts / "sop-print.pdf").stat().st_size > 10_000


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_full_page_screenshot(page: Page, site_url: str, artifacts: Path, lang: str) -> None:
    prefix = "" if lang == "en" else f"{lang}/"
    page.goto(f"{site_url}/{prefix}{SELLER_APPEAL}")
    expect(page.locator(".sop-meta")).to_be_visible()
    path = artifacts / f"sop-{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 50_000


def test_recent_changes_page_comes_from_the_change_log(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/pt/changes/")
    entry = page.locator("li", has_text="2.1.0")
    expect(entry.first).to_contain_text("Procedimento")
    expect(entry.first).to_contain_text("o SOP em português ainda não inclui esta alteração")
    with page.expect_navigation(wait_until="load"):
        article = page.locator("article")
        article.get_by_role("link", name="Solicitações de reembolso e devolução").first.click()
    expect(page).to_have_url(f"{site_url}/pt/{REFUND}")


def test_sop_history_names_who_published_each_version(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/{REFUND}")
    rows = page.locator(".sop-history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("2.1.0")
    expect(rows.first).to_contain_text("2026-10-12 · Daniela Ortega")


def test_history_links_each_version_to_its_diff_in_the_page_language(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/es/{REFUND}")
    with page.expect_navigation(wait_until="load"):
        page.locator(".sop-history").get_by_role("link", name="2.1.0").click()
    expect(page).to_have_url(f"{site_url}/es/diffs/{REFUND}2.1.0/")
    expect(page.locator("h1").first).to_have_text(re.compile("^SOP-CS-001 2.1.0: qué cambió"))
    expect(page.locator(".sop-diff")).to_contain_text("Procedimiento")
    expect(page.locator(".sop-diff ins").first).to_be_visible()
