"""What the site remembers for its reader, with no login and no server (assets/reader.js): "changed since you
last read" on an SOP page once a newer version is published, never for an editorial one; the "What's new for
me" page, by the reader's last visit, team and role; and the scorecard page linked from the SOP."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from gitrepo import Repo
from sop_trees import ENGLISH, REPO, TODAY, Tree

pytestmark = pytest.mark.browser

SOP = Path(sys.executable).with_name("sop")
PAGE = "appeals/seller-appeal/"
Serve = Callable[[Path], contextlib.AbstractContextManager[str]]


def publish(tree: Tree, repo: Repo, english: str, when: str, message: str) -> None:
    """An SME's change merged (committed) and the site rebuilt into the folder being served."""
    tree.write("sops/appeals/seller-appeal.md", english)
    repo.commit(when, "Mariana López", message)
    result = subprocess.run(
        [str(SOP), "build", "--site-dir", str(tree.root / "site")],
        cwd=tree.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def version(english: str, number: str, kind: str, summary: str, text: tuple[str, str]) -> str:
    """The English SOP at a new version: its change entry on top, and one sentence of its text changed."""
    entry = (
        f"changes:\n  - version: {number}\n    date: 2026-11-20\n    type: {kind}\n    summary: {summary}\n"
    )
    english = english.replace("changes:\n", entry, 1).replace(text[0], text[1])
    english = re.sub(r"^version: .*$", f"version: {number}", english, count=1, flags=re.MULTILINE)
    return re.sub(r"^effective_date: .*$", "effective_date: 2026-11-20", english, count=1, flags=re.MULTILINE)


def open_sop(browser: Browser, url: str, storage: dict[str, object]) -> tuple[Page, dict[str, object]]:
    """The SOP page in a new tab of the reader's browser (its localStorage kept in `storage`)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem('sop-library', {json.dumps(json.dumps(storage))})")
    page = context.new_page()
    page.goto(url)
    expect(page.locator(".sop-reader")).to_have_count(1)
    kept = json.loads(page.evaluate("localStorage.getItem('sop-library')"))
    return page, kept


def test_a_newer_version_shows_what_changed_since_the_last_read_but_not_an_editorial_one(
    browser: Browser, tmp_path: Path, serve: Serve, artifacts: Path
) -> None:
    tree = Tree(tmp_path / "library")
    shutil.copyfile(REPO / "mkdocs.yml", tree.root / "mkdocs.yml")
    for landing in ("index.md", "index.es.md", "index.pt.md"):
        tree.write(f"sops/{landing}", "---\ntitle: Library\n---\n\n# Library\n")
    tree.add_sop()
    repo = Repo(tree)
    publish(tree, repo, ENGLISH, "2026-06-01T10:00:00-06:00", "SOP-APL-001 1.1.0")
    with serve(tree.root / "site") as url:
        page, storage = open_sop(browser, f"{url}/{PAGE}", {})
        expect(page.locator(".sop-changed")).to_be_hidden()  # a first read: nothing to compare with
        assert storage["read"] == {"SOP-APL-001": "1.1.0"}
        page.context.close()

        procedure = ("The seller has 72 hours.", "The seller has 96 hours.")
        english = version(ENGLISH, "1.2.0", "procedure", "Evidence window extended to 96 hours.", procedure)
        publish(tree, repo, english, "2026-11-20T09:00:00-06:00", "SOP-APL-001 1.2.0")
        page, storage = open_sop(browser, f"{url}/{PAGE}", storage)
        notice = page.locator(".sop-changed")
        expect(notice).to_be_visible()
        expect(notice.locator(".admonition-title")).to_have_text("Changed since you last read it")
        expect(notice).to_contain_text(
            "You last read version 1.1.0. Version 1.2.0 is in force since 2026-11-20"
        )
        shown = notice.locator("li:visible")
        expect(shown).to_have_count(1)  # 1.1.0 was read: only what came after it
        expect(shown).to_contain_text("1.2.0 · 2026-11-20 · Procedure: Evidence window extended to 96 hours.")
        page.screenshot(path=artifacts / "changed-since-last-read.png")
        with page.expect_navigation():
            shown.locator("a").click()
        expect(page).to_have_url(f"{url}/diffs/appeals/seller-appeal/1.2.0/")
        expect(page.locator("h1")).to_contain_text("1.2.0")
        assert storage["read"] == {"SOP-APL-001": "1.2.0"}
        page.context.close()

        wording = ("Open the oldest case in Case Hub.", "Open the oldest open case in Case Hub.")
        english = version(english, "1.2.1", "editorial", "Wording of step 1.", wording)
        publish(tree, repo, english, "2026-11-21T09:00:00-06:00", "SOP-APL-001 1.2.1")
        page, storage = open_sop(browser, f"{url}/{PAGE}", storage)
        expect(page.locator(".sop-version__number")).to_have_text("Version 1.2.1")
        expect(page.locator(".sop-changed")).to_be_hidden()  # only reworded: nothing to do differently
        assert storage["read"] == {"SOP-APL-001": "1.2.1"}
        page.context.close()


def test_the_notice_stays_for_the_session_until_it_is_marked_as_read(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/")
    page.evaluate("localStorage.setItem('sop-library', JSON.stringify({read: {'SOP-CS-001': '1.0.0'}}))")
    page.goto(f"{site_url}/es/customer-service/refund-and-return/")
    notice = page.locator(".sop-changed")
    expect(notice.locator(".admonition-title")).to_have_text("Cambió desde su última lectura")
    expect(notice.locator("li:visible")).to_have_count(2)  # 2.0.0 (policy) and 2.1.0 (procedure)
    page.reload()  # back from the diff page: still there
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Marcar como leído").click()
    expect(notice).to_be_hidden()
    page.reload()
    expect(notice).to_be_hidden()


def whatsnew(page: Page, url: str, storage: dict[str, object]) -> None:
    page.clock.set_fixed_time(datetime(TODAY.year, TODAY.month, TODAY.day, 12))
    page.goto(f"{url}/")
    page.evaluate(f"localStorage.setItem('sop-library', {json.dumps(json.dumps(storage))})")


def listed(page: Page) -> list[str]:
    return [text.split()[0] for text in page.locator(".sop-whatsnew__title").all_inner_texts()]


def test_whats_new_lists_what_changed_since_the_last_visit_for_the_team_and_role_picked_once(
    page: Page, site_url: str, artifacts: Path
) -> None:
    whatsnew(page, site_url, {"visit": {"last": "2026-09-01"}, "read": {"SOP-CS-001": "2.0.0"}})
    page.goto(f"{site_url}/whatsnew/")
    since = page.locator(".sop-whatsnew__since")
    expect(since).to_have_text("Changes since your last visit, on 2026-09-01:")
    # newest first; SOP-CS-007 took effect on 11-16 but reached the site on 11-22; 2.1.0 of SOP-CS-001 is
    # after the version read; KM-001 and CS-005 changed after the visit; an editorial version never shows
    expect(page.locator(".sop-whatsnew__title")).to_have_count(4)
    assert listed(page) == ["SOP-CS-007", "SOP-CS-001", "SOP-KM-001", "SOP-CS-005"]
    refund = page.locator(".sop-whatsnew__sop", has_text="SOP-CS-001")
    expect(refund.locator(".sop-whatsnew__read")).to_have_text("You last read version 2.0.0.")
    expect(refund.locator("li")).to_have_count(1)
    expect(refund.get_by_role("link", name="See what changed")).to_have_attribute(
        "href", "../diffs/customer-service/refund-and-return/2.1.0/"
    )
    page.get_by_label("Team").select_option("customer-service")
    page.get_by_label("Role").select_option("qa-auditor")
    expect(page.locator(".sop-whatsnew__title")).to_have_count(2)
    assert listed(page) == ["SOP-CS-007", "SOP-CS-001"]
    page.screenshot(path=artifacts / "whats-new.png", full_page=True)

    page.reload()  # the same day, the same visit: the choice is kept
    expect(page.get_by_label("Team")).to_have_value("customer-service")
    expect(page.locator(".sop-whatsnew__title")).to_have_count(2)
    with page.expect_navigation():
        page.get_by_role("link", name="Refund and return requests").click()
    expect(page).to_have_url(f"{site_url}/customer-service/refund-and-return/")


def test_whats_new_in_spanish_and_on_a_first_visit(page: Page, site_url: str) -> None:
    whatsnew(page, site_url, {})  # a first visit today: the changes of the last 30 days
    page.goto(f"{site_url}/es/whatsnew/")
    expect(page.locator("h1")).to_contain_text("Novedades para mí")
    expect(page.locator(".sop-whatsnew__since")).to_have_text(
        "Es su primera visita: los cambios de los últimos 30 días, desde el 2026-10-23:"
    )
    assert listed(page) == ["SOP-CS-007"]
    page.get_by_label("Rol").select_option("trainer")
    expect(page.locator(".sop-whatsnew__since")).to_have_text("Nada cambió para usted desde el 2026-10-23.")


def test_the_scorecard_page_links_each_step_to_the_sop(page: Page, site_url: str, artifacts: Path) -> None:
    page.goto(f"{site_url}/es/customer-service/refund-and-return/")
    with page.expect_navigation():
        page.locator(".sop-tools__scorecard").click()
    expect(page.locator("h2")).to_have_text("SOP-CS-001 · Solicitudes de reembolso y devolución")
    expect(page.locator(".sop-scorecard__fatal")).to_have_count(4)
    page.screenshot(path=artifacts / "scorecard-page.png", full_page=True)
    step = page.locator(".sop-scorecard__criteria a").nth(4)
    expect(step).to_have_text("4. Revisar el método de pago")
    with page.expect_navigation():
        step.click()
    expect(page).to_have_url(f"{site_url}/es/customer-service/refund-and-return/#step-4")
    expect(page.locator("li#step-4")).to_contain_text("Revisar el método de pago")


def test_a_stale_translations_scorecard_is_the_english_one_and_says_so(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/pt/customer-service/refund-and-return/scorecard/")  # Portuguese of 2.0.0
    expect(page.locator(".sop-scorecard__note")).to_contain_text("Não há texto em português da versão 2.1.0")
    step = page.locator(".sop-scorecard__criteria a").first
    expect(step).to_have_text("1. Verify the buyer and the order")  # the steps the English criteria score
    expect(step).to_have_attribute("href", "../../../../customer-service/refund-and-return/#step-1")
