"""`sop diff` over a repository whose every version makes one kind of change: golden text and HTML, the
plain data behind them, translations, the site's fragment, the output file and the errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from diff_story import ES_100, PATH, build_story, english
from gitrepo import Repo, assert_golden
from sop_trees import Tree
from soplib.core.errors import SopError
from soplib.diff.execute import version_diff_html
from soplib.diff.model import Op, SopDiff, Status
from soplib.diff.sources import Texts, build, select
from soplib.diff.text import render_text
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import read_history

SOP = Path(sys.executable).with_name("sop")


def sop(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SOP), *args], cwd=root, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_story(Tree(tmp_path_factory.mktemp("diff") / "library")).root


@pytest.fixture(scope="module")
def texts(root: Path) -> Texts:
    project = Project(root)
    return Texts(load_library(project), read_history(Git(root), project))


def diff_of(texts: Texts, new: str, lang: str = "en", old: str | None = None) -> SopDiff:
    return build(texts, "SOP-APL-001", lang, *select(texts, "SOP-APL-001", lang, old, new))


def changed(diff: SopDiff) -> dict[str | None, Status]:
    return {s.key: s.status for s in diff.sections if s.status is not Status.SAME}


# -- each kind of change shows as such, in text and in HTML --------------------------------------------------
CASES = [
    ("1.1.0", "reworded-step"),
    ("1.2.0", "moved-step"),
    ("1.2.1", "renumbered-list"),
    ("1.3.0", "changed-number"),
    ("1.4.0", "added-section"),
    ("1.5.0", "front-matter"),
]


@pytest.mark.parametrize(("version", "name"), CASES)
def test_text_matches_the_golden_file(root: Path, version: str, name: str) -> None:
    result = sop(root, "diff", "SOP-APL-001", "--to", version)
    assert (result.returncode, result.stderr) == (0, "")
    assert "\x1b[" not in result.stdout  # not a terminal: markers, no colour
    assert_golden(f"diff-{name}.txt", result.stdout)


@pytest.mark.parametrize(("version", "name"), CASES)
def test_html_matches_the_golden_file(root: Path, tmp_path: Path, version: str, name: str) -> None:
    target = tmp_path / f"{name}.html"
    result = sop(root, "diff", "SOP-APL-001", "--to", version, "-o", str(target))
    assert (result.returncode, result.stdout) == (0, f"Diff of SOP-APL-001 written to {target}\n")
    assert_golden(f"diff-{name}.html", target.read_text(encoding="utf-8"))


def test_a_reworded_step_is_one_changed_step_with_the_new_words_inserted(texts: Texts) -> None:
    diff = diff_of(texts, "1.1.0")
    assert changed(diff) == {"procedure": Status.CHANGED}
    procedure = next(s for s in diff.sections if s.key == "procedure")
    step = next(b for b in procedure.blocks if b.status is not Status.SAME)
    assert (step.kind, step.old_number, step.new_number, step.moved) == ("step", 2, 2, False)
    assert [p.text for p in step.lines[0].pieces if p.op is Op.INSERT] == ["to upload the documents"]
    assert not [p for p in step.lines[0].pieces if p.op is Op.DELETE]


def test_a_moved_step_is_moved_not_deleted_and_added(texts: Texts) -> None:
    procedure = next(s for s in diff_of(texts, "1.2.0").sections if s.key == "procedure")
    shown = [(b.status, b.moved, b.old_number, b.new_number) for b in procedure.blocks]
    assert shown == [
        (Status.SAME, False, 1, 1),
        (Status.SAME, True, 3, 2),  # moved up, words unchanged
        (Status.SAME, False, 2, 3),  # only renumbered
        (Status.SAME, False, 4, 4),
        (Status.SAME, False, 5, 5),
    ]


def test_a_renumbered_list_is_no_change(texts: Texts) -> None:
    diff = diff_of(texts, "1.2.1")
    assert changed(diff) == {}
    assert [f.field for f in diff.fields] == ["effective_date"]


def test_a_changed_number_is_spotted(texts: Texts, root: Path) -> None:
    diff = diff_of(texts, "1.3.0")
    assert changed(diff) == {"escalation": Status.CHANGED}
    assert [(f.section_key, f.step, f.old, f.new) for f in diff.figures] == [
        ("escalation", None, "24 hours", "12 hours")
    ]
    pieces = next(s for s in diff.sections if s.key == "escalation").blocks[0].lines[0].pieces
    assert [(p.op, p.text) for p in pieces if p.figure] == [(Op.DELETE, "24"), (Op.INSERT, "12")]
    html = sop(root, "diff", "SOP-APL-001", "--to", "1.3.0", "--format", "html").stdout
    assert '<del class="fig">24</del> <ins class="fig">12</ins> hours' in html


def test_an_added_section_is_shown_whole(texts: Texts) -> None:
    diff = diff_of(texts, "1.4.0")
    assert changed(diff) == {"definitions": Status.ADDED}
    definitions = next(s for s in diff.sections if s.key == "definitions")
    assert [(b.kind, b.status) for b in definitions.blocks] == [("item", Status.ADDED)]
    assert all(p.op is not Op.SAME for p in definitions.blocks[0].lines[0].pieces if p.text.strip())


def test_a_front_matter_change_is_a_table_of_fields(texts: Texts) -> None:
    diff = diff_of(texts, "1.5.0")
    assert changed(diff) == {}
    assert [(f.field, f.old, f.new) for f in diff.fields] == [
        ("owner", ("@org/appeals-leads",), ("@org/appeals-policy",)),
        ("kpis", ("appeal-overturn-rate",), ("appeal-overturn-rate", "appeal-turnaround")),
        ("effective_date", ("2026-08-03",), ("2026-09-14",)),
        ("review_by", ("2027-01-12",), ("2027-03-14",)),
    ]
    assert [(e.version, e.type) for e in diff.entries] == [("1.5.0", "policy")]


def test_by_default_the_previous_version_to_the_current_one(root: Path) -> None:
    assert sop(root, "diff", "sop-apl-001").stdout == sop(root, "diff", "SOP-APL-001", "--to", "1.5.0").stdout
    header = sop(root, "diff", "SOP-APL-001", "--from", "1.0.0").stdout.splitlines()[1]
    assert header == "English: version 1.0.0 → 1.5.0"


def test_a_span_of_versions_lists_every_change_entry(texts: Texts) -> None:
    diff = diff_of(texts, "1.5.0", old="1.0.0")
    assert [e.version for e in diff.entries] == ["1.5.0", "1.4.0", "1.3.0", "1.2.1", "1.2.0", "1.1.0"]
    assert changed(diff) == {
        "definitions": Status.ADDED,
        "procedure": Status.CHANGED,
        "escalation": Status.CHANGED,
    }


def test_the_first_version_is_compared_with_nothing(texts: Texts) -> None:
    diff = build(texts, "SOP-APL-001", "en", None, "1.0.0")
    assert diff.old is None
    assert {s.status for s in diff.sections} == {Status.ADDED}
    assert render_text(diff, texts.project, "en").splitlines()[1] == "English: first version, 1.0.0"


def test_markdown(root: Path) -> None:
    result = sop(root, "diff", "SOP-APL-001", "--to", "1.2.0", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert_golden("diff-moved-step.md", result.stdout)


def test_colour_only_when_asked_for(texts: Texts) -> None:
    diff = diff_of(texts, "1.3.0")
    coloured = render_text(diff, texts.project, "en", colour=True)
    assert "\x1b[31;9;1m24\x1b[0m \x1b[32;4;1m12\x1b[0m hours" in coloured
    assert "\x1b[" not in render_text(diff, texts.project, "en")


# -- translations --------------------------------------------------------------------------------------------
def test_a_translation_in_its_language(root: Path) -> None:
    result = sop(root, "diff", "SOP-APL-001", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert_golden("diff-translation.es.txt", result.stdout)


def test_a_translation_compares_the_english_fields_of_its_versions(texts: Texts) -> None:
    diff = diff_of(texts, "1.3.0", lang="es")
    assert (diff.old.version if diff.old else None, diff.new.version, diff.english_version) == (
        "1.0.0",
        "1.3.0",
        "1.5.0",
    )
    assert [f.field for f in diff.fields] == ["effective_date"]
    assert diff.title == "Apelación de un vendedor por la baja de una publicación"


def test_the_site_fragment_of_a_version_in_the_page_language(texts: Texts) -> None:
    spanish = version_diff_html(texts, "SOP-APL-001", "1.3.0", "es")
    assert spanish is not None and spanish.startswith('<article class="sop-diff" lang="es"')
    assert "Procedimiento" in spanish and "en un máximo de <del" in spanish
    # Spanish has no 1.5.0: the English text, with the interface in Spanish and a note saying so
    fallback = version_diff_html(texts, "SOP-APL-001", "1.5.0", "es")
    assert fallback is not None and '<article class="sop-diff" lang="es"' in fallback
    assert '<section class="sop-diff__section sop-diff__section--same" lang="en">' in fallback
    assert "Aún no hay texto en español de la versión 1.5.0" in fallback
    assert "Datos del SOP que cambiaron" in fallback
    assert version_diff_html(texts, "SOP-APL-001", "1.0.0", "en") is None  # nothing before it
    assert version_diff_html(texts, "SOP-APL-001", "9.0.0", "en") is None


# -- the output file -----------------------------------------------------------------------------------------
def test_format_from_the_file_name(root: Path, tmp_path: Path) -> None:
    for name, start in (("d.html", "<!doctype html>"), ("d.md", "# SOP-APL-001"), ("d.txt", "SOP-APL-001 ·")):
        assert sop(root, "diff", "SOP-APL-001", "-o", str(tmp_path / name)).returncode == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


def test_an_existing_file_is_replaced_and_said_so(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "diff.html"
    target.write_text("old", encoding="utf-8")
    result = sop(root, "diff", "SOP-APL-001", "-o", str(target))
    assert result.stdout == f"Diff of SOP-APL-001 written to {target} (replaced the file that was there)\n"
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_no_file_but_the_one_named_is_touched(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "notes.html"
    elsewhere.write_text("the trainer's notes", encoding="utf-8")
    link = tmp_path / "diff.html"
    link.symlink_to(elsewhere)
    stray = tmp_path / ".diff.html.tmp"  # where a naive writer would put its temporary file
    stray.write_text("keep", encoding="utf-8")
    assert sop(root, "diff", "SOP-APL-001", "-o", str(link)).returncode == 0
    assert elsewhere.read_text(encoding="utf-8") == "the trainer's notes"  # the link is replaced instead
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert stray.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".diff.html.tmp", "diff.html", "notes.html"]


def test_never_into_sops(root: Path) -> None:
    before = sorted(p.name for p in (root / "sops" / "appeals").iterdir())
    result = sop(root, "diff", "SOP-APL-001", "-o", "sops/appeals/diff.html")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: sops/appeals/diff.html: inside sops/, where it would be read as an SOP; write it elsewhere\n"
    )
    assert sorted(p.name for p in (root / "sops" / "appeals").iterdir()) == before


# -- errors: one clear line, exit 2, never a traceback -------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["SOP-APL-01"],
            "unknown SOP id SOP-APL-01: no SOP has it in sops/ or in the git history; "
            "did you mean SOP-APL-001?",
        ),
        (
            ["SOP-APL-001", "--to", "2.0.0"],
            "SOP-APL-001 has no version 2.0.0; its versions are "
            "1.0.0, 1.1.0, 1.2.0, 1.2.1, 1.3.0, 1.4.0, 1.5.0",
        ),
        (["SOP-APL-001", "--from", "1.3"], "--from 1.3: not a version (versions look like 1.3.0)"),
        (
            ["SOP-APL-001", "--lang", "es", "--to", "1.5.0"],
            "SOP-APL-001 has no Español (México) text of version 1.5.0: the es file translates 1.0.0, 1.3.0 "
            "(it is behind English); see the English text with --lang en",
        ),
        (
            ["SOP-APL-001", "--lang", "pt"],
            "SOP-APL-001 has no Português (Brasil) text (pt), now or in its git history",
        ),
        (["SOP-APL-001", "--lang", "fr"], "unknown language 'fr': the library's languages are en, es, pt"),
        (
            ["SOP-APL-001", "--from", "1.3.0", "--to", "1.2.0"],
            "--from 1.3.0 is not older than --to 1.2.0: give the older version with --from",
        ),
        (
            ["SOP-APL-001", "-o", "/no/such/folder/d.html"],
            "/no/such/folder/d.html: the folder /no/such/folder does not exist",
        ),
    ],
)
def test_errors_are_one_clear_line(root: Path, args: list[str], message: str) -> None:
    result = sop(root, "diff", *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


def test_a_version_older_than_the_history_is_shown_as_such_with_its_summaries(tree: Tree) -> None:
    repo = Repo(tree)
    tree.write(f"{PATH}.md", english("1.1.0"))  # its `changes` also list 1.0.0, never committed
    tree.write(f"{PATH}.es.md", ES_100.replace("source_version: 1.0.0", "source_version: 1.1.0"))
    repo.commit("2026-03-02T10:00:00-06:00", "Mariana López", "import")
    result = sop(tree.root, "diff", "SOP-APL-001")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:12] == [
        "English: version 1.0.0 → 1.1.0",
        "  1.0.0 · in force since 2026-01-12 · before this library's git history",
        "  1.1.0 · in force since 2026-03-02 · published 2026-03-02",
        "",
        "! The text of version 1.0.0 is older than this library's git history, so only the summaries of what "
        "changed since can be shown.",
        "",
        "Summary of changes",
        "  1.1.0 · Clarification · 2026-03-02",
        "    Step 2 says what the seller uploads.",
    ]
    assert "## " not in result.stdout  # no section compared with a text that is not there
    # a translation whose history starts later is not a new SOP either
    spanish = sop(tree.root, "diff", "SOP-APL-001", "--lang", "es").stdout
    assert "Español (México): versión 1.0.0 → 1.1.0" in spanish
    assert "primera versión" not in spanish
    with pytest.raises(SopError, match="not in the git history"):  # nothing can be shown of a text to come
        select(Texts(load_library(Project(tree.root)), None), "SOP-APL-001", "en", None, "1.0.0")


def test_a_version_not_committed_yet_is_the_working_file(tree: Tree) -> None:
    repo = Repo(tree)
    tree.write(f"{PATH}.md", english("1.4.0"))
    repo.commit("2026-08-03T10:00:00-06:00", "Mariana López", "1.4.0")
    tree.write(f"{PATH}.md", english("1.5.0"))
    lines = sop(tree.root, "diff", "SOP-APL-001").stdout.splitlines()
    assert lines[1:4] == [
        "English: version 1.4.0 → 1.5.0",
        "  1.4.0 · in force since 2026-08-03 · published 2026-08-03",
        "  1.5.0 · in force since 2026-09-14 · not published yet",
    ]


def test_outside_git_is_a_clear_error(tree: Tree) -> None:
    tree.add_sop()
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tree.root.parent)}
    result = subprocess.run(
        [str(SOP), "diff", "SOP-APL-001"], cwd=tree.root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {tree.root} is not in a git repository")


def test_the_history_is_read_once(root: Path, tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    env = {**os.environ, "GIT_TRACE": str(trace)}
    subprocess.run(
        [str(SOP), "diff", "SOP-APL-001", "--lang", "es"], cwd=root, env=env, check=True, capture_output=True
    )
    commands = re.findall(r"built-in: git (\S+)", trace.read_text())
    assert sorted(commands) == [
        "cat-file",
        "cat-file",
        "log",
        "rev-parse",
        "rev-parse",
    ]  # history, then texts
