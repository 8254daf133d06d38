"""Each lint rule on a small file tree: one that fails (exact rule id, file:line:col), one that passes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sop_trees import ENGLISH, PORTUGUESE, SPANISH, TODAY, Tree
from soplib.lint import LintResult, lint
from soplib.load.library import load_library
from soplib.load.project import Project

EN = "sops/appeals/seller-appeal.md"
ES = "sops/appeals/seller-appeal.es.md"
PT = "sops/appeals/seller-appeal.pt.md"


def run(tree: Tree) -> LintResult:
    return lint(load_library(Project(tree.root)), TODAY)


def located(result: LintResult) -> set[tuple[str, str, int, int]]:
    return {(f.rule, f.path, f.line, f.column) for f in result.findings}


def test_the_base_tree_passes_every_rule(tree: Tree) -> None:
    tree.add_sop()
    result = run(tree)
    assert result.findings == []
    assert result.files == [ES, EN, PT]
    assert result.exit_code == 0


def en(old: str, new: str) -> Callable[[Tree], None]:
    assert old in ENGLISH, old
    return lambda tree: tree.add_sop(en=ENGLISH.replace(old, new, 1))


def es(old: str, new: str) -> Callable[[Tree], None]:
    assert old in SPANISH, old
    return lambda tree: tree.add_sop(es=SPANISH.replace(old, new, 1))


def raw_en(data: bytes) -> Callable[[Tree], None]:
    def setup(tree: Tree) -> None:
        tree.add_sop()
        tree.write(EN, data)

    return setup


def extra(relative: str, text: str) -> Callable[[Tree], None]:
    def setup(tree: Tree) -> None:
        tree.add_sop()
        tree.write(relative, text)

    return setup


UTF8 = ENGLISH.encode()
FAILING: list[tuple[str, Callable[[Tree], None], tuple[str, str, int, int]]] = [
    ("bom", raw_en(b"\xef\xbb\xbf" + UTF8), ("file-bom", EN, 1, 1)),
    ("not utf-8", raw_en(UTF8.replace(b"Sellers can", b"Sellers\xff can")), ("file-encoding", EN, 27, 8)),
    (
        "mixed line endings",
        raw_en(UTF8.replace(b"removal\n", b"removal\r\n", 1)),
        ("file-line-endings", EN, 3, 1),
    ),
    ("tab indentation", en("  - version: 1.1.0", "\t- version: 1.1.0"), ("file-tabs", EN, 15, 1)),
    ("no front matter", en(ENGLISH[: ENGLISH.index("## Purpose")], ""), ("front-matter-missing", EN, 1, 1)),
    ("unclosed front matter", en("---\n\n## Purpose", "\n## Purpose"), ("front-matter-unclosed", EN, 1, 1)),
    ("invalid yaml", en("title: Seller appeal", "title: Seller: appeal"), ("yaml-syntax", EN, 3, 14)),
    ("alias", en("tags: [listings]", "tags: &t [listings]\nkpis2: *t"), ("yaml-syntax", EN, 13, 7)),
    ("recursive alias", en("tags: [listings]", "tags: &t [*t]"), ("yaml-syntax", EN, 13, 7)),
    (
        "duplicate key",
        en("status: active\n", "status: active\nstatus: draft\n"),
        ("yaml-duplicate-key", EN, 6, 1),
    ),
    (
        "front matter is a list",
        en(ENGLISH[4 : ENGLISH.index("\n---\n")], "- a\n- b"),
        ("front-matter-not-mapping", EN, 2, 1),
    ),
    ("unknown key", en("tags:", "tgas:"), ("schema", EN, 13, 1)),
    ("enum value", en("status: active", "status: actve"), ("schema", EN, 5, 1)),
    ("missing key", en('owner: "@org/appeals-leads"\n', ""), ("schema", EN, 1, 1)),
    ("nested enum", en("type: procedure", "type: procedur"), ("schema", EN, 17, 5)),
    ("wrong type", en("version: 1.1.0", "version: 1.1"), ("schema", EN, 4, 1)),
    ("bad date", en("review_by: 2027-06-01", "review_by: 2027-13-01"), ("schema", EN, 12, 1)),
    ("deprecated without successor", en("status: active", "status: deprecated"), ("schema", EN, 1, 1)),
    (
        "translation sets status",
        es("source_version: 1.1.0\n", "source_version: 1.1.0\nstatus: active\n"),
        ("translation-inherited-field", ES, 5, 1),
    ),
    (
        "unknown language",
        extra("sops/appeals/seller-appeal.fr.md", SPANISH),
        ("id-language-suffix", "sops/appeals/seller-appeal.fr.md", 1, 1),
    ),
    (
        "id reused",
        extra("sops/appeals/zeta-appeal.md", ENGLISH),
        ("id-unique", "sops/appeals/zeta-appeal.md", 2, 1),
    ),
    ("ids differ", es("id: SOP-APL-001", "id: SOP-APL-002"), ("id-consistent", ES, 2, 1)),
    ("team code", en("id: SOP-APL-001", "id: SOP-QA-001"), ("id-team-code", EN, 2, 1)),
    (
        "team folder",
        lambda tree: tree.add_sop("quality-assurance/seller-appeal"),
        ("id-team-folder", "sops/quality-assurance/seller-appeal.md", 6, 1),
    ),
    (
        "unknown successor",
        en("status: active", "status: deprecated\nsuperseded_by: SOP-CS-999"),
        ("superseded-by-unknown", EN, 6, 1),
    ),
    (
        "missing section",
        en("## Scope\n\nAgents of the appeals queue.\n\n", ""),
        ("structure-sections", EN, 29, 1),
    ),
    ("unknown section", en("## Scope", "## Scopes"), ("structure-sections", EN, 29, 1)),
    (
        "sections out of order",
        en(
            "## Purpose\n\nSellers can appeal the removal of a listing.\n\n## Scope",
            "## Scope\n\nSellers can appeal the removal of a listing.\n\n## Purpose",
        ),
        ("structure-sections", EN, 29, 1),
    ),
    (
        "procedure not numbered",
        lambda tree: tree.add_sop(
            en=ENGLISH.replace("1. **Open", "- **Open").replace("2. **Check", "- **Check")
        ),
        ("structure-procedure", EN, 33, 1),
    ),
    (
        "missing file",
        en("has 72 hours.", "has 72 hours. See [x](../quality-assurance/missing.md)."),
        ("link-target", EN, 36, 61),
    ),
    ("missing anchor", en("has 72 hours.", "has 72 hours. See [x](#nowhere)."), ("link-anchor", EN, 36, 61)),
    ("no such step", en("has 72 hours.", "has 72 hours. See [x](#step-3)."), ("link-anchor", EN, 36, 61)),
    ("script", en("has 72 hours.", "has 72 hours. <script>alert(1)</script>"), ("html-unsafe", EN, 36, 53)),
    (
        "event handler",
        en("has 72 hours.", 'has 72 hours. <img src="x.png" onerror="alert(1)">'),
        ("html-unsafe", EN, 36, 53),
    ),
    (
        "iframe",
        en("has 72 hours.", 'has 72 hours. <iframe src="https://example.org"></iframe>'),
        ("html-unsafe", EN, 36, 53),
    ),
    ("div", en("has 72 hours.", "has 72 hours. <div>boxed</div>"), ("html-not-allowed", EN, 36, 53)),
    (
        "javascript url",
        en("has 72 hours.", "has 72 hours. [x](javascript:alert(1))"),
        ("url-unsafe", EN, 36, 57),
    ),
    (
        "data url",
        en("has 72 hours.", "has 72 hours. [x](data:text/html;base64,AAAA)"),
        ("url-unsafe", EN, 36, 57),
    ),
    (
        "table between steps",
        en(
            "hours.\n\n## Escalation",
            "hours.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n3. **Decide.**\n\n## Escalation",
        ),
        ("structure-step-content", EN, 38, 1),
    ),
    (
        "sub-bullet indented less than the step's text",
        en("Case Hub.\n", "Case Hub.\n  - a sub-bullet at 2 spaces\n"),
        ("structure-step-content", EN, 36, 1),
    ),
    (
        "steps numbered anew",
        en("2. **Check the evidence.**", "### Then\n\n1. **Check the evidence.**"),
        ("structure-procedure", EN, 38, 1),
    ),
    (
        "quotes nested too deep",
        en("has 72 hours.", "has 72 hours.\n\n" + "> " * 9 + "x"),
        ("markdown-nesting", EN, 38, 1),
    ),
    (
        "placeholder text in an active SOP",
        en(
            "Sellers can appeal the removal of a listing.",
            "_What this SOP achieves, for whom, and which KPIs it moves._",
        ),
        ("placeholder-text", EN, 27, 1),
    ),
    (
        "placeholder text in the translation of an active SOP",
        es(
            "1. **Abra el caso.** Abra el caso más antiguo en Case Hub.",
            "1. **Primer paso.** Qué hace el agente, en qué herramienta y en cuánto tiempo.",
        ),
        ("placeholder-text", ES, 17, 1),
    ),
    (
        "effective date of no version",
        en("effective_date: 2026-06-01", "effective_date: 2026-05-01"),
        ("effective-date", EN, 11, 1),
    ),
    (
        "an active SOP without kpis",
        en("kpis: [appeal-overturn-rate]", "kpis: []"),
        ("metadata-empty", EN, 10, 1),
    ),
    ("an active SOP without tags", en("tags: [listings]\n", ""), ("metadata-empty", EN, 1, 1)),
    (
        "a translation with the English title",
        es(
            "title: Apelación de un vendedor por la baja de una publicación",
            "title: Seller appeal of a listing removal",
        ),
        ("translation-title", ES, 3, 1),
    ),
    (
        "a link to a draft",
        lambda tree: (
            tree.add_sop(
                en=ENGLISH.replace("has 72 hours.", "has 72 hours. See [the new one](new-appeal.md).")
            ),
            tree.add_sop(
                "appeals/new-appeal",
                en=ENGLISH.replace("SOP-APL-001", "SOP-APL-002").replace("status: active", "status: draft"),
                es=None,
                pt=None,
            ),
        ),
        ("link-target", EN, 36, 71),
    ),
    ("no portuguese", lambda tree: tree.add_sop(pt=None), ("translation-missing", EN, 1, 1)),
    ("stale", es("source_version: 1.1.0", "source_version: 1.0.0"), ("translation-stale", ES, 4, 1)),
    (
        "orphan",
        extra("sops/appeals/lonely.es.md", SPANISH.replace("SOP-APL-001", "SOP-APL-009")),
        ("translation-orphan", "sops/appeals/lonely.es.md", 1, 1),
    ),
    (
        "future source version",
        es("source_version: 1.1.0", "source_version: 1.2.0"),
        ("translation-source-version", ES, 4, 1),
    ),
    ("forbidden term", es("72 horas.", "72 horas según el listado."), ("terminology", ES, 18, 65)),
    ("review overdue", en("review_by: 2027-06-01", "review_by: 2026-01-01"), ("review-overdue", EN, 12, 1)),
    (
        "changes behind version",
        en("version: 1.1.0", "version: 1.2.0"),
        ("changes-current-version", EN, 15, 5),
    ),
    ("changes out of order", en("date: 2026-01-10", "date: 2026-07-10"), ("changes-order", EN, 20, 5)),
]


@pytest.mark.parametrize("setup, expected", [case[1:] for case in FAILING], ids=[case[0] for case in FAILING])
def test_rule_fails_at_the_exact_place(
    tree: Tree, setup: Callable[[Tree], None], expected: tuple[str, str, int, int]
) -> None:
    setup(tree)
    result = run(tree)
    assert expected in located(result), result.findings
    rule = expected[0]
    severity = {f.rule: f.severity.value for f in result.findings}[rule]
    assert result.exit_code == (1 if severity == "error" else 0)


PASSING: list[tuple[str, Callable[[Tree], None]]] = [
    ("anchor in the file", en("has 72 hours.", "has 72 hours. See [scope](#scope).")),
    ("anchor in a translated heading", es("72 horas.", "72 horas. Vea [alcance](#alcance).")),
    (
        "link to a sibling SOP and its heading",
        lambda tree: (
            tree.add_sop(),
            tree.add_sop(
                "appeals/other",
                en=ENGLISH.replace("SOP-APL-001", "SOP-APL-002").replace(
                    "has 72 hours.", "has 72 hours. [a](seller-appeal.md#scope)."
                ),
                es=SPANISH.replace("SOP-APL-001", "SOP-APL-002").replace(
                    "72 horas.", "72 horas. [a](seller-appeal.md#alcance)."
                ),
                pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002"),
            ),
        ),
    ),
    ("safelisted html", en("has 72 hours.", "has 72 hours. Press <kbd>Ctrl</kbd>+<kbd>K</kbd>.<br>")),
    (
        "https link and autolink",
        en("has 72 hours.", "has 72 hours. [Policy](https://example.org/p) <https://example.org>"),
    ),
    ("html in code is text", en("has 72 hours.", "has 72 hours. Never paste `<script>` into Case Hub.")),
    (
        "declared languages",
        lambda tree: tree.add_sop(
            en=ENGLISH.replace("tags: [listings]", "tags: [listings]\nlanguages: [en, es]"), pt=None
        ),
    ),
    (
        "deprecated with successor",
        lambda tree: (
            tree.add_sop(),
            tree.add_sop(
                "appeals/old-appeal",
                en=ENGLISH.replace("SOP-APL-001", "SOP-APL-002").replace(
                    "status: active", "status: deprecated\nsuperseded_by: SOP-APL-001"
                ),
                es=SPANISH.replace("SOP-APL-001", "SOP-APL-002"),
                pt=PORTUGUESE.replace("SOP-APL-001", "SOP-APL-002"),
            ),
        ),
    ),
    ("sub-headings inside sections", en("## Escalation", "### Evidence\n\n## Escalation")),
    (
        "content indented under its step, at 3 or 4 spaces",
        en(
            "Case Hub.\n",
            "Case Hub.\n   - a sub-bullet\n    - another\n\n   | a | b |\n   | - | - |\n\n"
            "   ```\n   code\n   ```\n",
        ),
    ),
    ("a paragraph after the last step", en("has 72 hours.\n", "has 72 hours.\n\nThe section's own text.\n")),
    ("a heading anchor written out", en("## Scope", "## Scope {#where}")),
    (
        "a draft keeps the placeholders of sop new",
        lambda tree: tree.add_sop(
            en=ENGLISH.replace("status: active", "status: draft").replace(
                "Sellers can appeal the removal of a listing.",
                "_What this SOP achieves, for whom, and which KPIs it moves._",
            )
        ),
    ),
]


@pytest.mark.parametrize("setup", [case[1] for case in PASSING], ids=[case[0] for case in PASSING])
def test_rule_passes(tree: Tree, setup: Callable[[Tree], None]) -> None:
    setup(tree)
    result = run(tree)
    assert result.findings == []


def test_unknown_key_suggests_the_right_one(tree: Tree) -> None:
    en("tags:", "tgas:")(tree)
    (finding,) = [f for f in run(tree).findings if f.rule == "schema"]
    assert finding.message == "tgas: unknown field"
    assert finding.hint == "did you mean 'tags'?"


def test_enum_value_says_what_was_expected_and_found(tree: Tree) -> None:
    en("status: active", "status: actve")(tree)
    (finding,) = run(tree).findings
    assert finding.message == "status: expected one of draft, active, deprecated, retired, found 'actve'"
    assert finding.hint == "did you mean 'active'?"


def test_stale_translation_names_both_versions(tree: Tree) -> None:
    es("source_version: 1.1.0", "source_version: 1.0.0")(tree)
    (finding,) = run(tree).findings
    assert (
        finding.message
        == "translates English 1.0.0; the English SOP is at 1.1.0, which changes what agents do"
    )
    assert "Evidence window extended" in finding.hint


def test_duplicate_key_names_the_first_line(tree: Tree) -> None:
    en("status: active\n", "status: active\nstatus: draft\n")(tree)
    messages = [f.message for f in run(tree).findings if f.rule == "yaml-duplicate-key"]
    assert messages == ["'status' is set twice (first on line 5); only the last one would count"]


def test_a_link_to_a_step_of_the_procedure_passes(tree: Tree) -> None:
    """Every step has an anchor on the page (#step-2), as headings do."""
    tree.add_sop(en=ENGLISH.replace("has 72 hours.", "has 72 hours. As in [step 1](#step-1)."))
    assert run(tree).findings == []
