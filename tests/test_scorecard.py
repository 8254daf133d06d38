"""Audit scorecards: the form SMEs write in Quality checks, its lint rules, and `sop scorecard` (golden files
in en, es and pt; the version in force today, on a contact's date, at a version; CSV for Excel)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from audit_story import EN_110, ES_110, PATH, build_audit_story
from gitrepo import assert_golden
from sop_trees import ENGLISH, PORTUGUESE, SPANISH, TODAY, Tree
from soplib.audit import scorecard
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git

SOP = Path(sys.executable).with_name("sop")
CHECKS = """\
## Quality checks

| check | step | the auditor looks for | scoring |
| --- | --- | --- | --- |
| Case opened | 1 | the oldest case first | standard |
| Evidence window | 2 | no decision before the 72 hours | fatal if decided early |

## Escalation
"""
ES_CHECKS = """\
## Controles de calidad

| Control | Paso | Qué revisa el auditor | Calificacion |
| --- | --- | --- | --- |
| Caso abierto | 1 | el caso más antiguo primero | estandar |
| Plazo de evidencias | 2 | ninguna decisión antes de las 72 horas | fatal si decide antes |

## Escalamiento
"""

PT_CHECKS = """\
## Verificações de qualidade

| verificação | etapa | o que o auditor confere | pontuação |
| --- | --- | --- | --- |
| Caso aberto | 1 | o caso mais antigo primeiro | padrão |
| Prazo de evidências | 2 | nenhuma decisão antes das 72 horas | fatal se decidir antes |

## Escalonamento
"""


def findings(tree: Tree, en: str = CHECKS, es: str = ES_CHECKS) -> set[tuple[str, str, int]]:
    tree.add_sop(
        en=ENGLISH.replace("## Escalation\n", en, 1),
        es=SPANISH.replace("## Escalamiento\n", es, 1),
        pt=PORTUGUESE.replace("## Escalonamento\n", PT_CHECKS, 1),
    )
    result = lint(load_library(Project(tree.root)), TODAY)
    return {(f.rule, Path(f.path).name, f.line) for f in result.findings}


def test_a_scorecard_in_english_and_spanish_passes(tree: Tree) -> None:
    """Spanish written without accents and capitalised: the column names and scoring words still match."""
    assert findings(tree) == set()


@pytest.mark.parametrize(
    ("en", "es", "expected"),
    [
        (
            CHECKS.replace("| 1 | the oldest", "|  | the oldest"),
            ES_CHECKS,
            ("scorecard-step", "seller-appeal.md", 42),
        ),
        (
            CHECKS.replace("| 1 | the oldest", "| first | the oldest"),
            ES_CHECKS,
            ("scorecard-step", "seller-appeal.md", 42),
        ),
        (
            CHECKS.replace("| 2 | no decision", "| 4 | no decision"),
            ES_CHECKS,
            ("scorecard-step-unknown", "seller-appeal.md", 43),
        ),
        (
            CHECKS.replace("| standard |", "| minor |"),
            ES_CHECKS,
            ("scorecard-scoring", "seller-appeal.md", 42),
        ),
        (
            CHECKS.replace("Evidence window", "Case opened"),
            ES_CHECKS,
            ("scorecard-check", "seller-appeal.md", 43),
        ),
        (
            CHECKS.replace("| check | step |", "| check | where |"),
            ES_CHECKS,
            ("scorecard-columns", "seller-appeal.md", 40),
        ),
        (
            CHECKS,
            ES_CHECKS.replace("| estandar |", "| fatal |"),
            ("scorecard-fatal", "seller-appeal.es.md", 24),
        ),
        (
            CHECKS,
            ES_CHECKS.replace("| fatal si decide antes |", "| estándar |"),
            ("scorecard-fatal", "seller-appeal.es.md", 25),
        ),
        (
            CHECKS,
            ES_CHECKS.replace("| 2 | ninguna", "| 1 | ninguna"),
            ("scorecard-translation", "seller-appeal.es.md", 25),
        ),
        (
            CHECKS,
            ES_CHECKS.replace("| Caso abierto | 1 | el caso más antiguo primero | estandar |\n", ""),
            ("scorecard-translation", "seller-appeal.es.md", 24),
        ),
    ],
)
def test_each_scorecard_rule(tree: Tree, en: str, es: str, expected: tuple[str, str, int]) -> None:
    found = findings(tree, en, es)
    assert expected in found, found
    assert {rule for rule, name, _ in found if name == expected[1]} == {expected[0]}


def test_a_check_pointing_at_no_step_says_how_to_fix_it(tree: Tree) -> None:
    tree.add_sop(
        en=ENGLISH.replace("## Escalation\n", CHECKS.replace("| 1 | the oldest", "|  | the oldest"), 1)
    )
    found = [f for f in lint(load_library(Project(tree.root)), TODAY).findings if f.rule == "scorecard-step"]
    assert [(f.message, f.hint) for f in found] == [
        (
            "check 'Case opened' points at no step",
            "write the number of the step it scores, e.g. 4, or several: 3, 4 or 3-5",
        )
    ]


def test_a_stale_translation_may_differ_but_never_adds_a_fatal_mark(tree: Tree) -> None:
    stale = SPANISH.replace("source_version: 1.1.0", "source_version: 1.0.0")
    tree.add_sop(
        en=ENGLISH.replace("## Escalation\n", CHECKS, 1),
        es=stale.replace("## Escalamiento\n", ES_CHECKS.replace("| 2 | ninguna", "| 1 | ninguna"), 1),
        pt=PORTUGUESE.replace("## Escalonamento\n", PT_CHECKS, 1),
    )
    rules = {f.rule for f in lint(load_library(Project(tree.root)), TODAY).findings}
    assert rules == {
        "translation-stale"
    }  # behind English: other steps are expected, and its form is English's


# -- `sop scorecard` over the story ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_audit_story(Tree(tmp_path_factory.mktemp("audit") / "library")).root


def cards(
    root: Path, *ids: str, lang: str = "en", at: str | None = None, on: str | None = None
) -> scorecard.Scorecards:
    library = load_library(Project(root))
    return scorecard.compute(library, Git(root), ids, None, lang, at, on, TODAY)


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_the_scorecard_matches_the_golden_file(root: Path, lang: str) -> None:
    found = cards(root, lang=lang)
    assert_golden(f"scorecard.{lang}.html", scorecard.RENDERERS["html"](found))
    assert_golden(f"scorecard.{lang}.csv", scorecard.RENDERERS["csv"](found))


def test_a_contacts_date_gives_the_version_then_in_force(root: Path) -> None:
    found = cards(root, "sop-apl-001", lang="es", on="2026-03-01")
    assert_golden("scorecard-on-2026-03-01.es.json", scorecard.RENDERERS["json"](found))
    (form,) = found.forms
    assert (form.version, form.lang, form.page) == ("1.0.0", "es", None)  # the site shows 1.1.0: no links
    assert [(i.id, i.steps) for i in form.items] == [
        ("SOP-APL-001.case-opened", (1,)),
        ("SOP-APL-001.evidence-window", (2,)),
        ("SOP-APL-001.notes", (2,)),
    ]


def test_ids_survive_renumbering_and_translation(root: Path) -> None:
    """Case opened moved from step 1 to 2 and down the table; its id is the same, in every language."""
    old = {i.id: i.steps for i in cards(root, "SOP-APL-001", at="1.0.0").forms[0].items}
    for lang in ("en", "es", "pt"):
        new = {i.id: i.steps for i in cards(root, lang=lang).forms[0].items}
        assert (old["SOP-APL-001.case-opened"], new["SOP-APL-001.case-opened"]) == ((1,), (2,))
        assert list(new) == ["SOP-APL-001.identity", "SOP-APL-001.evidence-window", "SOP-APL-001.case-opened"]


def test_links_go_to_the_step_in_the_readers_language_or_english(root: Path) -> None:
    links = {lang: cards(root, lang=lang).forms[0].items[1].links for lang in ("en", "es", "pt")}
    assert links == {
        "en": ("appeals/seller-appeal/#step-3",),
        "es": ("es/appeals/seller-appeal/#step-3",),
        "pt": ("appeals/seller-appeal/#step-3",),  # Portuguese is stale: its step 3 is another step
    }
    assert cards(root, lang="pt").forms[0].english_shown


def test_a_version_not_yet_in_force_is_not_the_form(root: Path) -> None:
    library = load_library(Project(root))
    found = scorecard.compute(library, Git(root), (), None, "en", None, None, TODAY.replace(month=3))
    assert [f.version for f in found.forms] == ["1.0.0"]


def test_csv_opens_in_excel(root: Path) -> None:
    text = scorecard.RENDERERS["csv"](cards(root, lang="es"))
    assert text.startswith("\ufeff") and text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["criterion_id"], r["fatal"], r["scoring"]) for r in rows] == [
        ("SOP-APL-001.identity", "yes", "fatal si falta"),
        ("SOP-APL-001.evidence-window", "yes", "fatal si decide antes"),
        ("SOP-APL-001.case-opened", "no", "estándar"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SOP-APL-009"], "unknown SOP id SOP-APL-009; did you mean SOP-APL-001?"),
        (["SOP-APL-001", "--at", "9.9.9"], "SOP-APL-001 has no version 9.9.9; its versions are 1.1.0, 1.0.0"),
        (
            ["SOP-APL-001", "--on", "2025-12-31"],
            "SOP-APL-001 was not in force on 2025-12-31: its first version took effect on 2026-01-10",
        ),
        (["--on", "31/12/2026"], "--on 31/12/2026: not a date; write it as YYYY-MM-DD, e.g. 2026-10-01"),
        (["--on", "2026-02-30"], "--on 2026-02-30: there is no such day (February 2026 has 28 days)"),
        (["--at", "1.0.0", "--on", "2026-03-01"], "give --at VERSION or --on DATE, not both"),
        (
            ["--at", "1.0.0"],
            "--at VERSION needs the SOP's id: versions are each SOP's own (--on DATE works for all)",
        ),
        (["--lang", "fr"], "unknown language 'fr': the library's languages are en, es, pt"),
    ],
)
def test_errors_are_one_line(root: Path, args: list[str], message: str) -> None:
    result = subprocess.run(
        [str(SOP), "scorecard", *args], cwd=root, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


def test_the_command_writes_the_format_of_its_extension(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "form.json"
    result = subprocess.run(
        [str(SOP), "scorecard", "SOP-APL-001", "--lang", "pt", "-o", str(target)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"Scorecard of 1 SOP written to {target}\n")
    assert json.loads(target.read_text(encoding="utf-8"))["scorecards"][0]["lang"] == "en"


def test_titles_and_checks_are_escaped(tmp_path: Path) -> None:
    tree = Tree(tmp_path / "library")
    hostile = CHECKS.replace("Case opened", 'Case "opened" & <i>closed</i>')
    tree.add_sop(
        en=ENGLISH.replace("## Escalation\n", hostile, 1).replace(
            "title: Seller appeal of a listing removal", 'title: "Seller </style><b> appeal"'
        ),
        es=None,
        pt=None,
    )
    html = scorecard.RENDERERS["html"](cards(tree.root))
    assert "<i>" not in html and "</style><b>" not in html
    assert "<strong>Case &quot;opened&quot; &amp; closed</strong>" in html
    assert "SOP-APL-001 · Seller &lt;/style&gt;&lt;b&gt; appeal</h2>" in html  # in the page
    assert (
        '"Audit scorecard · SOP-APL-001 · Seller \\3c /style\\3e \\3c b\\3e  appeal · 1.1.0"' in html
    )  # in CSS


def test_the_sample_library_marks_fatal_checks_in_every_scorecard() -> None:
    from sop_trees import REPO

    found = cards(REPO)
    assert len(found.forms) >= 14 and all(any(i.fatal for i in f.items) for f in found.forms)
    assert all(i.steps and i.links for f in found.forms for i in f.items)


def test_the_story_files_are_lint_clean_but_for_the_stale_portuguese(root: Path) -> None:
    assert EN_110 and ES_110 and PATH
    rules = {f.rule for f in lint(load_library(Project(root)), TODAY).findings}
    assert rules == {"translation-stale"}
