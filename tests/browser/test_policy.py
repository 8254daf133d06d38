"""The layers behind the payload suite, each seen to work on its own: the hooks see what runs; the published
check lets through nothing that runs, even where lint would have refused it; and the Content-Security-Policy
stops a payload that got past both, on a real page of the site, while Material's own scripts run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from inert import open_pages, served
from playwright.sync_api import Browser

from site_renderer import render_page
from sop_trees import REPO
from soplib.load.project import Project
from soplib.publish.body import parts_markdown, publish
from soplib.publish.markdown import escape_markdown
from soplib.publish.security import check_page, check_site
from xss_vectors import all_payloads

pytestmark = pytest.mark.browser
SELLER_APPEAL = "appeals/seller-listing-removal-appeal/"


def _document(body: str) -> str:
    """A bare page with `body` as its article."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>page</title></head>'
        f'<body><article class="md-content__inner md-typeset">{body}</article></body></html>'
    )


def _page(folder: Path, name: str, body: str) -> str:
    (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / name / "index.html").write_text(_document(body), encoding="utf-8")
    return f"{name}/"


def test_the_hooks_see_what_runs(browser: Browser, tmp_path: Path) -> None:
    pages = {
        "ran": '<img src="x" onerror="alert(1)">',
        "armed": '<a href="javascript:alert(1)">x</a>',
        "error": "<script>throw new Error('boom')</script>",
        "plain": "<p>Open the oldest case.</p>",
    }
    urls = {_page(tmp_path, name, body): name for name, body in pages.items()}
    with served(tmp_path) as base:
        seen = open_pages(browser, [base + url for url in urls], policy=False)
    kinds: dict[str, set[str]] = {}
    for url, kind, _ in seen.events:
        kinds.setdefault(urls[url.split("/", 3)[3]], set()).add(kind)
    assert kinds == {"ran": {"dialog", "armed"}, "armed": {"armed"}, "error": {"script-error"}}
    assert len(seen.done) == len(pages)


def test_what_the_published_check_accepts_runs_nothing(browser: Browser, tmp_path: Path) -> None:
    """Every payload as a body, as the site renders it (on its own page, and as English shown on a
    translation's page, inside a `markdown` element), without the site's policy: a body the published
    check accepts runs nothing, whether lint would have refused it or not."""
    accepted, flagged = [], 0
    for number, payload in enumerate(all_payloads()):
        body = parts_markdown(publish(payload.text, None, lambda href: href, escape_markdown))
        english = f'<div lang="en" markdown>\n\n{body}\n\n</div>'  # as page.py shows English
        for context, markdown in (("page", body), ("english", english)):
            html = render_page(markdown)
            if check_page(_document(html)):
                flagged += 1
            else:
                accepted.append(_page(tmp_path, f"{context}-{number}", html))
    with served(tmp_path) as base:
        seen = open_pages(browser, [base + url for url in accepted], policy=False, batch=40)
    assert flagged > 400 and len(accepted) > 200
    assert seen.events == [], seen.events[:20]


def test_the_policy_stops_what_got_past_the_checks(
    browser: Browser, built_site: Path, tmp_path: Path
) -> None:
    """A page of the sample site with script written into its article after the build (as if lint and the
    published check had both missed it): the published check names it; in chromium, the site's policy
    keeps every piece from running, and without the policy they run. The untouched pages run Material's
    and the site's scripts without a violation."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site, copy_function=os.link)
    page = site / SELLER_APPEAL / "index.html"
    html = page.read_text(encoding="utf-8")
    page.unlink()  # a new file: the copy shares the built site's
    payload = '<img src="x" onerror="alert(1)"><script>alert(2)</script><svg onload="alert(3)"></svg>'
    page.write_text(html.replace("<h1", payload + "<h1", 1), encoding="utf-8")
    found = check_site(site, [], Project(REPO))
    assert [(f.path, f.message.split(" (")[0]) for f in found] == [
        (f"{SELLER_APPEAL}index.html", message)
        for message in (
            "<img onerror=…> runs code",
            "<script> is not allowed in a page's content",
            "<svg> is not allowed in a page's content",
        )
    ]
    others = ["", "es/", "pt/teams/appeals/", "changes/", f"es/{SELLER_APPEAL}", "404.html"]
    with served(site) as base:
        stopped = open_pages(browser, [base + SELLER_APPEAL, *(base + url for url in others)])
        ran = open_pages(browser, [base + SELLER_APPEAL], policy=False)
    assert {kind for _, kind, _ in stopped.events} == {"csp-violation", "armed"}
    assert {url for url, _, _ in stopped.events} == {base + SELLER_APPEAL}
    assert len([kind for _, kind, _ in stopped.events if kind == "csp-violation"]) == 3
    dialogs = {detail for _, kind, detail in ran.events if kind == "dialog"}
    assert dialogs == {"alert(1)", "alert(2)", "alert(3)"}
