"""Handouts printed to PDF by Debian's chromium: page numbers and the running header on every page (text
read back from the PDF with pypdf), a pack's headings never last on a page, an empty period on one page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from sop_trees import REPO, TODAY
from soplib.audit import scorecard
from soplib.diff.execute import compute_pack
from soplib.diff.pack import render_pack
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git

pytestmark = pytest.mark.browser
HEADER = re.compile(r"(SOP-[A-Z]+-\d{3}) · ")


def printed(browser: Browser, html: str, path: Path) -> list[str]:
    """Each page's text, as a reader of the PDF gets it."""
    source = path.with_suffix(".html")
    source.write_text(html, encoding="utf-8")
    page = browser.new_page()
    page.goto(source.as_uri())
    page.pdf(path=str(path), prefer_css_page_size=True)
    page.close()
    return [pdf_page.extract_text() for pdf_page in PdfReader(path).pages]


def numbered(pages: list[str], word: str, of: str) -> None:
    for number, text in enumerate(pages, 1):
        assert f"{word} {number} {of} {len(pages)}" in text, (number, text[:200])


def test_a_pack_carries_its_sop_and_page_number_on_every_page(browser: Browser, artifacts: Path) -> None:
    library = load_library(Project(REPO))
    pack = compute_pack(library, Git(REPO), "2026-05-01", None, "es", None, TODAY)
    pages = printed(browser, render_pack(pack, library.project), artifacts / "pack.es.pdf")
    numbered(pages, "Página", "de")
    headers = [match.group(1) if (match := HEADER.match(text)) else None for text in pages]
    cover = headers.index(next(h for h in headers if h))
    assert cover >= 1 and all(h is None for h in headers[:cover])  # the cover: the pack's title on top
    assert all(text.startswith("Paquete de calibración · Cambios desde 2026-05-01") for text in pages[:cover])
    ids = [item.sop_id for item in pack.items]
    assert list(dict.fromkeys(headers[cover:])) == ids  # every page of every SOP names it, in order
    assert len(pages) - cover > len(ids)  # some SOPs run over several pages: continuation pages too
    for text in pages[cover:]:
        sop_id = HEADER.match(text).group(1)  # type: ignore[union-attr]
        assert text.count(sop_id) >= 1
    headings = {"Resumen de cambios", "Cifras y plazos que cambiaron", "Criterios de auditoría que cambiaron"}
    for text in pages:
        body = [line for line in text.splitlines() if not line.startswith("Página ")]
        assert body[-1].strip() not in headings, body[-3:]  # no heading left alone at a page's foot


def test_an_empty_period_prints_one_page(browser: Browser, artifacts: Path) -> None:
    library = load_library(Project(REPO))
    pack = compute_pack(library, Git(REPO), "2030-01-01", None, "pt", None, TODAY)
    (page,) = printed(browser, render_pack(pack, library.project), artifacts / "pack-empty.pt.pdf")
    assert "Página 1 de 1" in page and "Nenhum SOP mudou neste período" in page


def test_a_scorecard_carries_its_sop_and_page_number_on_every_page(browser: Browser, artifacts: Path) -> None:
    library = load_library(Project(REPO))
    found = scorecard.compute(library, Git(REPO), (), None, "pt", None, None, TODAY)
    pages = printed(browser, scorecard.RENDERERS["html"](found), artifacts / "scorecard.pt.pdf")
    numbered(pages, "Página", "de")
    ids = [form.sop_id for form in found.forms]
    on_top = [re.match(r"Scorecard de auditoria · (SOP-[A-Z]+-\d{3}) · ", text) for text in pages]
    assert all(on_top), [text[:80] for text in pages]
    assert list(dict.fromkeys(m.group(1) for m in on_top if m)) == ids
