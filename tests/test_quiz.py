"""`sop quiz` over the audit story: golden knowledge checks in en, es and pt, the same questions every time,
what is asked (changed figures, added steps, newly fatal checks); and the calibration pack's new parts."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from audit_story import build_audit_story
from gitrepo import assert_golden
from sop_trees import TODAY, Tree
from soplib.audit import quiz
from soplib.diff.execute import compute_pack
from soplib.diff.pack import render_pack
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_audit_story(Tree(tmp_path_factory.mktemp("quiz") / "library")).root


def questions(root: Path, lang: str = "en", since: str = "2026-05-01") -> quiz.Quiz:
    return quiz.compute(load_library(Project(root)), Git(root), since, lang, None, TODAY)


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_the_quiz_matches_the_golden_file(root: Path, lang: str) -> None:
    found = questions(root, lang)
    assert_golden(f"quiz.{lang}.html", quiz.RENDERERS["html"](found))
    assert_golden(f"quiz.{lang}.csv", quiz.RENDERERS["csv"](found))


def test_what_is_asked(root: Path) -> None:
    found = questions(root)
    asked = [(q.kind, q.options[q.answer], q.link) for q in found.questions]
    assert asked == [
        ("figure", "72 hours", "appeals/seller-appeal/#step-3"),
        ("added-step", "Verify the seller", "appeals/seller-appeal/#step-1"),
        ("fatal-check", "Identity", ""),
        ("fatal-check", "Evidence window", ""),
    ]
    evidence = found.questions[0]
    assert evidence.prompt == (
        "SOP-APL-001 · Seller appeal of a listing removal, Procedure, step 3: “The seller has ____ to send "
        "it.” What is the value now?"
    )
    assert "48 hours" in evidence.options  # the old value is among the options


def test_the_same_inputs_give_the_same_questions(root: Path) -> None:
    first, second = (quiz.RENDERERS["csv"](questions(root, "es")) for _ in range(2))
    assert first == second
    ids = [row["question_id"] for row in csv.DictReader(io.StringIO(first.removeprefix("\ufeff")))]
    assert (
        all(re.fullmatch(r"SOP-APL-001-1\.1\.0-[a-z-]+-[0-9a-f]{8}", i) for i in ids) and len(set(ids)) == 4
    )


def test_a_period_with_no_change_asks_nothing(root: Path) -> None:
    found = questions(root, since="2026-07-01")
    assert found.questions == ()
    assert "No SOP changed in this period: there is nothing to ask." in quiz.RENDERERS["html"](found)


# -- the calibration pack as a handout --------------------------------------------------------------------
def pack_html(root: Path, since: str, lang: str = "en") -> str:
    library = load_library(Project(root))
    return render_pack(compute_pack(library, Git(root), since, None, lang, None, TODAY), library.project)


def test_the_pack_lists_every_number_of_added_text_and_the_criteria_that_changed(root: Path) -> None:
    html = pack_html(root, "2026-05-01")
    figures = re.findall(
        r"<li>([^<]*): <del class=\"fig\">([^<]*)</del> → <ins class=\"fig\">([^<]*)</ins>", html
    )
    assert figures == [
        ("Procedure, step 1", "—", "MXN 500"),
        ("Procedure, step 1", "—", "BRL 150"),
        ("Procedure, step 3", "48 hours", "72 hours"),
        ("Quality checks", "48 hours", "72 hours"),  # its step numbers are not listed: see the criteria
    ]
    criteria = re.findall(r"<strong>([^<]*)</strong> <code>[^<]*</code>: ([^<]*)</li>", html)
    assert criteria == [
        ("Identity", "added, fatal, step 1"),
        ("Evidence window", "now fatal, reworded"),  # renumbered from step 2 to 3: not a change of its steps
        ("Notes", "removed, standard, step 2"),
    ]


def test_summaries_are_text_not_markdown(root: Path) -> None:
    html = pack_html(root, "2026-05-01")
    assert (
        "The seller is <strong>verified first</strong>; the evidence window is <code>72 hours</code>." in html
    )
    assert "**" not in html and "`" not in html


def test_a_new_sop_is_its_text_under_one_label(root: Path) -> None:
    html = pack_html(root, "2026-01-01", "es")
    item = html[html.index('<div class="sop-pack__item') :]
    assert item.count('<p class="sop-diff__new">SOP nuevo: a continuación, su texto completo.</p>') == 1
    assert "<ins" not in item and "sop-diff__tag" not in item
    assert "1. Abra el caso" not in item and "Abra el caso más antiguo en Case Hub." in item


def test_the_command_writes_csv_for_a_learning_platform(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "quiz.csv"
    sop = Path(sys.executable).with_name("sop")
    args = [str(sop), "quiz", "--since", "2026-05-01", "--lang", "pt", "-o", str(target)]
    result = subprocess.run(args, cwd=root, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, f"Knowledge check of 4 questions written to {target}\n")
    assert target.read_bytes().startswith("\ufeffquestion_id,".encode())
