"""Nothing in an SOP runs in a reader's browser. Every payload of the public corpora (DOMPurify's fixtures,
the OWASP filter-evasion cheat sheet, read in place) and of our own Markdown vectors is written in an SOP's
body and in every front-matter string field (of the English file and of a translation), one place at a
time: lint refuses it, or the site that `sop build` makes with it passes the published check
(soplib.publish.security) and every page that shows it, opened in chromium with the site's
Content-Security-Policy, runs nothing, tries to run nothing (no policy violation) and holds nothing that
would run on a click or a hover. Zero executions.

One lint run per field over all payloads (one SOP each); one site for every payload lint accepts: an SOP
per payload with the payload in each field that accepted it, and an SOP per body payload without
translations, whose English body the translations' pages show inside Python-Markdown's `markdown` element.
Its SOP pages and the library's pages (home, teams, browse, changes) are opened, twelve to a tab, two tabs
at a time. Figures: tests/artifacts/payloads.json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from inert import Seen, open_pages, served
from playwright.sync_api import Browser

from sop_trees import Tree
from soplib.load.project import Project
from soplib.publish.security import check_site, report
from soplib.publish.urls import page_url
from xss_vectors import FIELDS, TEMPLATES, Payload, all_payloads, numbered, place, refused_by_lint, write_sop

pytestmark = pytest.mark.browser
SOP = Path(sys.executable).with_name("sop")


@dataclass
class Corpus:
    payloads: list[Payload]
    accepted: dict[str, list[Payload]]  # field -> the payloads lint accepts there
    root: Path  # the library of every accepted placement, and its site
    sop_pages: list[str]  # docs paths of the SOP pages
    opened: list[str]  # the site's pages opened in chromium
    seen: Seen

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Corpus:
    payloads = all_payloads()
    work = tmp_path_factory.mktemp("payloads")
    clock = Clock()
    accepted = {}
    for field in FIELDS:
        refused = refused_by_lint(work / field.name, field, payloads)
        accepted[field.name] = [payload for payload in payloads if payload.name not in refused]
    clock.lap("lint, one run per field")
    root = work / "site-library"
    sop_pages, carrying = _library(root, payloads, accepted)
    result = subprocess.run(
        [str(SOP), "build", "--site-dir", "site"], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    clock.lap("sop build")
    site, source = root / "site", "en"
    sop_urls = {page_url(path, _lang(path), source) for path in sop_pages}
    others = {p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("index.html")}
    opened = sorted({page_url(path, _lang(path), source) for path in carrying} | (others - sop_urls))
    with served(site) as base:
        seen = open_pages(browser, [base + url for url in opened])
    clock.lap(f"chromium, {len(opened)} pages")
    return Corpus(payloads, accepted, root, sop_pages, opened, seen)


class Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        print(f"\n{what}: {now - self.start:.1f} s", end="")
        self.start = now


def _lang(docs_path: str) -> str:
    return docs_path.removesuffix(".md").partition(".")[2] or "en"


def _library(
    root: Path, payloads: list[Payload], accepted: dict[str, list[Payload]]
) -> tuple[list[str], list[str]]:
    """The library of every accepted placement; the docs paths of its SOP pages, and of those that carry a
    payload. appeals/pNNN carries payload NNN in each field that accepted it (a translation's fields in
    the language xss_vectors.Field.language gives); customer-service/bNNN carries body payload NNN in
    English only, which a translation's page shows inside Python-Markdown's `markdown` element."""
    tree = Tree(root).as_site()
    pages, carrying = [], []
    for number, payload in enumerate(payloads, 1):
        translation = "es" if number % 2 else "pt"
        files = dict(TEMPLATES)
        for field in FIELDS:
            if payload in accepted[field.name]:
                files = place(files, field, payload.text, number)
        key = f"appeals/p{number:03d}"
        if files != TEMPLATES:
            write_sop(tree, key, numbered(files, "appeals", "APL", number))
            pages += [f"{key}.md", f"{key}.es.md", f"{key}.pt.md"]
            carrying += [f"{key}.md", f"{key}.{translation}.md"]
        if payload in accepted["body"]:
            key = f"customer-service/b{number:03d}"
            body = next(field for field in FIELDS if field.name == "body")
            english = place(TEMPLATES, body, payload.text, number)["en"]
            write_sop(tree, key, numbered({"en": english}, "customer-service", "CS", number))
            pages += [f"{key}.md", f"{key}.es.md", f"{key}.pt.md"]
            carrying += [f"{key}.{translation}.md"]
    return pages, carrying


def test_every_payload_is_refused_by_lint_or_inert_on_the_built_site(corpus: Corpus) -> None:
    events = corpus.seen.events
    counts = _figures(corpus)
    (Path(__file__).parents[1] / "artifacts").mkdir(exist_ok=True)
    (Path(__file__).parents[1] / "artifacts" / "payloads.json").write_text(json.dumps(counts, indent=2))
    print(f"\npayloads: {json.dumps(counts['total'])}")
    assert len(corpus.payloads) >= 400
    assert counts["total"]["placements"] == len(corpus.payloads) * len(FIELDS)
    assert events == [], "\n".join(map(str, events[:40]))


def test_what_lint_accepts_the_published_check_accepts(corpus: Corpus) -> None:
    findings = check_site(corpus.site, corpus.sop_pages, Project(corpus.root))
    assert findings == [], report(findings[:20])


def test_fields_of_a_fixed_shape_refuse_every_payload_that_could_be_markup(corpus: Corpus) -> None:
    """ids, versions, dates, owners, tags, enums: their patterns are anchored, so a payload passes only if
    it is a plain value of the field's shape (DOMPurify's "123456" is a valid tag)."""
    shaped = [field for field in FIELDS if not field.free_text]
    passed = {field.name: [p.text for p in corpus.accepted[field.name]] for field in shaped}
    assert {name: texts for name, texts in passed.items() if texts} == {"tags": ["123456"]}


def test_every_page_with_a_payload_was_opened(corpus: Corpus) -> None:
    """Every SOP page that carries a payload, and every page of the library's (teams, browse, changes,
    home), which show the titles and summaries of all, loaded in chromium."""
    assert len(corpus.opened) > 700
    assert len([url for url in corpus.seen.done if url.rstrip("/").split("/")[-1][:1] in "pb"]) > 600
    assert not [event for event in corpus.seen.events if event[1] == "not-loaded"]


def _figures(corpus: Corpus) -> dict[str, dict[str, int]]:
    """Per field and in total: placements, refused by lint, inert on the site, executed (pages that did
    anything, counted per page: a payload shows on several)."""
    counts: dict[str, dict[str, int]] = {}
    for field in FIELDS:
        accepted = len(corpus.accepted[field.name])
        counts[field.name] = {
            "placements": len(corpus.payloads),
            "refused_by_lint": len(corpus.payloads) - accepted,
            "inert": accepted,
        }
    total = Counter[str]()
    for figures in counts.values():
        total.update(figures)
    ran = {url for url, kind, _ in corpus.seen.events if kind in ("dialog", "armed", "script-error")}
    counts["total"] = {**dict(total), "executed_pages": len(ran), "pages_opened": len(corpus.opened)}
    return counts
