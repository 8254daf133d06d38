"""axe-core (Deque's accessibility rules, from the npm registry: `make axe`) finds no serious or critical
violation on any kind of page, in any language, at 1280 px or on a 390 px phone, the search box open too.
The pages are checked one after the other in one browser page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
AXE = Path(sys.executable).parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # `make axe`
KINDS = {
    "home": "",
    "sop": "appeals/seller-listing-removal-appeal/",
    "sop with a stale translation": "customer-service/refund-and-return/",
    "sop in English only": "customer-service/payment-and-chargeback-questions/",
    "deprecated sop": "customer-service/manual-refund-voucher/",
    "teams": "teams/",
    "team": "teams/customer-service/",
    "browse": "browse/",
    "browse by a KPI": "browse/kpi-dsat/",
    "recent changes": "changes/",
    "diff": "diffs/customer-service/refund-and-return/2.1.0/",
    "page not found": "404.html",
    "scorecard": "appeals/seller-listing-removal-appeal/scorecard/",
    "what's new for me": "whatsnew/",
}
RUN = "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"


def serious(page: Page) -> list[str]:
    # colours are read once the page has settled (mid-transition, the search box is half transparent): a
    # transition starts at the frame after the change that causes it
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # as devtools run it: the policy allows no such script
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:4])}"
        for v in page.evaluate(RUN)
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_no_serious_violation_on_any_kind_of_page(screen: Page, site_url: str, lang: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make axe` installs axe-core")
    prefix = "" if lang == "en" else f"{lang}/"
    found = {}
    for kind, path in KINDS.items():
        screen.goto(f"{site_url}/{prefix}{path}")
        found[kind] = serious(screen)
    screen.goto(f"{site_url}/{prefix}")
    screen.keyboard.press("/")
    screen.keyboard.type("refund" if lang == "en" else "reembolso")
    expect(screen.locator(".sop-search-result__item").first).to_be_visible()
    screen.wait_for_load_state("networkidle")  # every result shown (the first four come first)
    found["search box with results"] = serious(screen)
    assert {kind: v for kind, v in found.items() if v} == {}


def test_axe_is_not_blind(page: Page, tmp_path: Path) -> None:
    """The check fails a page with a known serious violation (an image without a text alternative)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make axe` installs axe-core")
    (tmp_path / "bad.html").write_text('<html lang="en"><title>t</title><img src="x.png"></html>', "utf-8")
    page.goto((tmp_path / "bad.html").as_uri())
    assert any(v.startswith("image-alt") for v in serious(page))
