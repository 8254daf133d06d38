"""`sop translate`: the translator's worksheet (golden text, HTML, XLIFF), the XLIFF round trip (export,
translate, import: current in `sop status`, lint clean), and imports that change nothing: malformed,
foreign, partial, edited since the export."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from diff_story import PATH
from gitrepo import Repo, assert_golden
from sop_trees import TODAY, Tree
from soplib.core.state import TranslationState
from soplib.doors.cli import cli
from soplib.lint.execute import execute as lint
from soplib.load.library import load_library
from soplib.load.project import Project
from translate_story import (
    STALE_TARGETS,
    STRUCTURE_EN_100,
    STRUCTURE_EN_110,
    STRUCTURE_ES_100,
    STRUCTURE_ES_110,
    STRUCTURE_TARGETS,
    stale_story,
    structure_story,
)

NS = "urn:oasis:names:tc:xliff:document:2.0"
ES = f"{PATH}.es.md"


def sop(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--root", str(root)])


@pytest.fixture(scope="module")
def stale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stale_story(Tree(tmp_path_factory.mktemp("translate") / "library")).root


@pytest.fixture(scope="module")
def structure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return structure_story(Tree(tmp_path_factory.mktemp("translate") / "library")).root


@pytest.fixture
def library(stale: Path, tmp_path: Path) -> Path:
    """A copy of the stale story to import into."""
    return Path(shutil.copytree(stale, tmp_path / "library", symlinks=True))


def export(root: Path, folder: Path, *args: str) -> Path:
    out = folder / "SOP-APL-001.es.xlf"
    result = sop(root, "translate", "SOP-APL-001", "--lang", "es", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def fill(path: Path, targets: dict[str, str], out: Path) -> Path:
    """What a translation tool returns: each unit's segment with its target."""
    ET.register_namespace("", NS)
    tree = ET.parse(path)
    for unit in tree.iter(f"{{{NS}}}unit"):
        segment = unit.find(f"{{{NS}}}segment")
        assert segment is not None
        if unit.get("id") in targets and segment.find(f"{{{NS}}}target") is None:
            ET.SubElement(segment, f"{{{NS}}}target").text = targets[unit.get("id") or ""]
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out


def state_of(root: Path) -> TranslationState:
    return load_library(Project(root)).state.by_id["SOP-APL-001"].translations["es"].state


# -- the worksheet -----------------------------------------------------------------------------------------
def test_text_worksheet_shows_each_english_change_beside_the_spanish_text(stale: Path) -> None:
    result = sop(stale, "translate", "SOP-APL-001", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert_golden("translate-worksheet.es.txt", result.stdout)


def test_html_worksheet_is_one_printable_page(stale: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = sop(stale, "translate", "SOP-APL-001", "--lang", "es", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert_golden("translate-worksheet.es.html", out.read_text(encoding="utf-8"))


def test_xliff_is_xliff_2_with_notes_on_the_unit(stale: Path, tmp_path: Path) -> None:
    text = export(stale, tmp_path).read_text(encoding="utf-8")
    assert_golden("translate-SOP-APL-001.es.xlf", text)
    root = ET.fromstring(text)
    assert (root.tag, root.get("version"), root.get("trgLang")) == (f"{{{NS}}}xliff", "2.0", "es")
    for segment in root.iter(f"{{{NS}}}segment"):  # XLIFF 2.0: a segment holds a source and a target only
        assert {child.tag for child in segment} <= {f"{{{NS}}}source", f"{{{NS}}}target"}
    assert sorted(unit.get("id") or "" for unit in root.iter(f"{{{NS}}}unit")) == sorted(STALE_TARGETS)


def test_html_escapes_what_the_texts_say(structure: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(structure, tmp_path / "library", symlinks=True))
    spanish = (root / ES).read_text(encoding="utf-8").replace("no tienen costo", "<b onclick=x>gratis</b>")
    (root / ES).write_text(spanish, encoding="utf-8")
    out = tmp_path / "sheet.html"
    assert sop(root, "translate", "SOP-APL-001", "--lang", "es", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<b onclick" not in html and "&lt;b onclick=x&gt;gratis&lt;/b&gt;" in html


def test_a_current_translation_has_nothing_to_translate(structure: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(structure, tmp_path / "library", symlinks=True))
    (root / ES).write_text(STRUCTURE_ES_110, encoding="utf-8")
    result = sop(root, "translate", "SOP-APL-001", "--lang", "pt")
    assert result.exit_code == 2 and "no Português (Brasil) translation" in result.output
    result = sop(root, "translate", "SOP-APL-001", "--lang", "es")
    assert result.exit_code == 0 and "nada que traducir" in result.output
    result = sop(root, "translate", "SOP-APL-001", "--lang", "es", "--format", "xliff")
    assert result.exit_code == 2 and "nothing to translate" in result.output


# -- the round trip ----------------------------------------------------------------------------------------
def test_round_trip_makes_the_translation_current_and_lint_clean(library: Path, tmp_path: Path) -> None:
    assert state_of(library) is TranslationState.STALE
    returned = fill(export(library, tmp_path), STALE_TARGETS, tmp_path / "done.xlf")
    result = sop(library, "translate", "--import", str(returned))
    assert result.exit_code == 0, result.output
    assert "source_version 1.0.0 -> 1.5.0" in result.output
    assert_golden("translate-imported.es.md", (library / ES).read_text(encoding="utf-8"))
    assert state_of(library) is TranslationState.CURRENT
    status = sop(library, "status", "--format", "csv")
    assert "SOP-APL-001" in status.output and ",stale," not in status.output
    found = lint(library, [library / ES], TODAY)
    assert found.errors == 0 and found.warnings == 0, found.findings


def test_every_kind_of_edit_lands_where_english_has_it(structure: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(structure, tmp_path / "library", symlinks=True))
    returned = fill(export(root, tmp_path), STRUCTURE_TARGETS, tmp_path / "done.xlf")
    result = sop(root, "translate", "--import", str(returned))
    assert result.exit_code == 0, result.output
    assert (root / ES).read_text(encoding="utf-8") == STRUCTURE_ES_110
    assert lint(root, [root / ES], TODAY).errors == 0


def test_line_endings_and_byte_order_mark_are_kept(structure: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(structure, tmp_path / "library", symlinks=True))
    (root / ES).write_bytes(b"\xef\xbb\xbf" + (root / ES).read_bytes().replace(b"\n", b"\r\n"))
    returned = fill(export(root, tmp_path), STRUCTURE_TARGETS, tmp_path / "done.xlf")
    assert sop(root, "translate", "--import", str(returned)).exit_code == 0
    expected = b"\xef\xbb\xbf" + STRUCTURE_ES_110.encode("utf-8").replace(b"\n", b"\r\n")
    assert (root / ES).read_bytes() == expected


# -- imports that change nothing -----------------------------------------------------------------------------
def refused(root: Path, returned: Path) -> str:
    before = (root / ES).read_bytes()
    result = sop(root, "translate", "--import", str(returned))
    assert result.exit_code == 2, result.output
    assert (root / ES).read_bytes() == before
    message = result.output.strip()
    assert message.count("\n") == 0 and message.startswith("Error: ") and "Traceback" not in message
    return message


def _edited(path: Path, out: Path, old: str, new: str, count: int = 1) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    out.write_text(text.replace(old, new, count), encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("</xliff>", "", "not a well-formed XML file"),
        ("<xliff ", '<!DOCTYPE x [<!ENTITY e "boom">]>\n<xliff ', "DOCTYPE"),
        ('version="2.0"', 'version="1.2"', "not XLIFF 2"),
        ('trgLang="es"', 'trgLang="pt"', "no Português (Brasil) translation"),
        ('id="SOP-APL-001"', 'id="SOP-QA-001"', "which this library does not have"),
        ("1.0.0-1.5.0", "1.0.0-1.4.0", "export it again"),
        ("procedure:step-2", "procedure:step-9", "unknown segment ids"),
    ],
    ids=["malformed", "doctype", "xliff-1.2", "other-language", "other-sop", "other-version", "bad-id"],
)
def test_a_malformed_or_foreign_file_changes_nothing(
    library: Path, tmp_path: Path, old: str, new: str, said: str
) -> None:
    done = fill(export(library, tmp_path), STALE_TARGETS, tmp_path / "done.xlf")
    count = -1 if old == "1.0.0-1.5.0" else 1
    assert said in refused(library, _edited(done, tmp_path / "bad.xlf", old, new, count))


def test_a_partial_file_changes_nothing_and_names_what_is_missing(library: Path, tmp_path: Path) -> None:
    partial = dict(STALE_TARGETS)
    missing = partial.pop("SOP-APL-001:1.0.0-1.5.0:escalation:paragraph-1")
    assert missing
    message = refused(library, fill(export(library, tmp_path), partial, tmp_path / "partial.xlf"))
    assert "1 of 3 segments have no translation (SOP-APL-001:1.0.0-1.5.0:escalation:paragraph-1)" in message


def test_a_translation_edited_since_the_export_is_not_overwritten(library: Path, tmp_path: Path) -> None:
    done = fill(export(library, tmp_path), STALE_TARGETS, tmp_path / "done.xlf")
    text = (library / ES).read_text(encoding="utf-8")
    (library / ES).write_text(text.replace("en un máximo de 24 horas", "en 24 horas"), encoding="utf-8")
    assert "changed at segment SOP-APL-001:1.0.0-1.5.0:escalation" in refused(library, done)


def test_a_text_that_would_break_the_steps_changes_nothing(library: Path, tmp_path: Path) -> None:
    broken = {**STALE_TARGETS, "SOP-APL-001:1.0.0-1.5.0:escalation:paragraph-1": "Casos.\n\n## Otra sección"}
    returned = fill(export(library, tmp_path), broken, tmp_path / "broken.xlf")
    assert "other sections than English" in refused(library, returned)


def test_a_missing_file_is_one_line(library: Path, tmp_path: Path) -> None:
    assert "cannot read it" in refused(library, tmp_path / "nowhere.xlf")


# -- bad requests --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["SOP-APL-999", "--lang", "es"], "unknown SOP id SOP-APL-999"),
        (["SOP-APL-001", "--lang", "fr"], "unknown language 'fr'"),
        (["SOP-APL-001", "--lang", "en"], "English is the source"),
        (["SOP-APL-001"], "give an SOP id and --lang"),
        (["SOP-APL-001", "--lang", "es", "--import", "x.xlf"], "give nothing else"),
    ],
)
def test_bad_requests_are_one_clear_line(stale: Path, args: list[str], said: str) -> None:
    result = sop(stale, "translate", *args)
    assert result.exit_code == 2 and said in result.output
    assert re.fullmatch(r"Error: [^\n]+\n", result.output), result.output


def test_a_step_that_only_moved_keeps_its_translation(library: Path, tmp_path: Path) -> None:
    """Spanish caught up with 1.1.0 by hand: since then, English moved a step without changing it."""
    spanish = (library / ES).read_text(encoding="utf-8")
    caught_up = spanish.replace("source_version: 1.0.0", "source_version: 1.1.0").replace(
        "El vendedor tiene 72 horas.", "El vendedor tiene 72 horas para subir los documentos."
    )
    (library / ES).write_text(caught_up, encoding="utf-8")
    out = export(library, tmp_path)
    moved = next(u for u in ET.parse(out).iter(f"{{{NS}}}unit") if "procedure" in (u.get("id") or ""))
    segment = moved.find(f"{{{NS}}}segment")
    assert segment is not None and segment.get("state") == "translated"
    assert "Revise el historial del vendedor" in "".join(segment.itertext())
    targets = {
        key.replace("1.0.0-", "1.1.0-"): text for key, text in STALE_TARGETS.items() if "procedure" not in key
    }
    assert (
        sop(library, "translate", "--import", str(fill(out, targets, tmp_path / "done.xlf"))).exit_code == 0
    )
    assert state_of(library) is TranslationState.CURRENT
    steps = re.findall(r"^\d\. \*\*(.+?)\*\*", (library / ES).read_text(encoding="utf-8"), re.MULTILINE)
    assert steps[1:3] == ["Revise el historial del vendedor.", "Revise la evidencia."]
    assert lint(library, [library / ES], TODAY).errors == 0


def test_a_section_english_removed_is_deleted(tmp_path: Path) -> None:
    tree = Tree(tmp_path / "library")
    repo = Repo(tree)
    checks = (
        "## Escalation",
        "## Quality checks\n\nThe QA lead audits five appeals a week.\n\n## Escalation",
    )
    controles = (
        "## Escalamiento",
        "## Controles de calidad\n\nEl líder de calidad audita cinco.\n\n## Escalamiento",
    )
    tree.write(f"{PATH}.md", STRUCTURE_EN_100.replace(*checks))
    tree.write(ES, STRUCTURE_ES_100.replace(*controles))
    repo.commit("2026-01-10T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.0.0")
    tree.write(f"{PATH}.md", STRUCTURE_EN_110)
    repo.commit("2026-06-01T10:00:00-06:00", "Daniela Ortega", "SOP-APL-001 1.1.0")
    sheet = sop(tree.root, "translate", "SOP-APL-001", "--lang", "es")
    assert "## Controles de calidad · se eliminó" in sheet.output
    returned = fill(export(tree.root, tmp_path), STRUCTURE_TARGETS, tmp_path / "done.xlf")
    assert sop(tree.root, "translate", "--import", str(returned)).exit_code == 0
    assert (tree.root / ES).read_text(encoding="utf-8") == STRUCTURE_ES_110
