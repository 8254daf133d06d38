"""`sop calibration-pack` over the story of commits (gitrepo.story): exactly the SOPs changed in the period,
from -> to versions, translations behind English flagged, one self-contained HTML file, clear errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import Repo, assert_golden, story
from sop_trees import TODAY, Tree
from soplib.changelog import resolve_bound
from soplib.diff.pack import Pack, collect, render_pack
from soplib.diff.sources import Texts
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import read_history

SOP = Path(sys.executable).with_name("sop")


def sop(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SOP), *args], cwd=root, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = Repo(Tree(tmp_path_factory.mktemp("story") / "library"))
    story(repo)
    return repo.root


def pack(root: Path, since: str, until: str | None = None, lang: str = "en", team: str | None = None) -> Pack:
    project, git = Project(root), Git(root)
    texts = Texts(load_library(project), read_history(git, project))
    end = resolve_bound("--until", until, git, texts.library) if until else None
    return collect(texts, lang, resolve_bound("--since", since, git, texts.library), end, team, TODAY)


def listed(found: Pack) -> list[tuple[str, str | None, str, list[str]]]:
    return [(i.sop_id, i.old, i.new, [c.version for c in i.changes]) for i in found.items]


# The story: SOP-APL-001 1.0.0 (in force 2026-01-10), 1.1.0 (06-01), 1.1.1 (09-14);
#            SOP-QA-001 1.0.0 (06-01), 1.1.0 (12-01, after TODAY).
@pytest.mark.parametrize(
    ("since", "until", "team", "expected"),
    [
        (
            "2026-06-01",
            None,
            None,
            [
                ("SOP-APL-001", "1.0.0", "1.1.1", ["1.1.1", "1.1.0"]),
                ("SOP-QA-001", None, "1.1.0", ["1.1.0", "1.0.0"]),
            ],
        ),
        ("2026-06-02", "2026-11-30", None, [("SOP-APL-001", "1.1.0", "1.1.1", ["1.1.1"])]),
        (
            "2026-06-01",
            "2026-06-01",
            None,
            [
                ("SOP-APL-001", "1.0.0", "1.1.0", ["1.1.0"]),
                ("SOP-QA-001", None, "1.0.0", ["1.0.0"]),
            ],
        ),
        ("2026-09-15", None, None, [("SOP-QA-001", "1.0.0", "1.1.0", ["1.1.0"])]),
        ("2026-01-01", None, "QA", [("SOP-QA-001", None, "1.1.0", ["1.1.0", "1.0.0"])]),
        (
            "HEAD~4",
            "HEAD~1",
            None,
            [("SOP-APL-001", "1.1.0", "1.1.1", ["1.1.1"]), ("SOP-QA-001", "1.0.0", "1.1.0", ["1.1.0"])],
        ),
    ],
)
def test_exactly_the_sops_changed_in_the_period(
    root: Path, since: str, until: str | None, team: str | None, expected: list[object]
) -> None:
    assert listed(pack(root, since, until, team=team and "quality-assurance")) == expected


def test_the_pack_file(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "pack.html"
    result = sop(
        root, "calibration-pack", "--since", "2026-06-02", "--until", "2026-12-31", "-o", str(target)
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"Calibration pack of 2 SOPs changed written to {target}\n"
    html = target.read_text(encoding="utf-8")
    ids = ["diff-SOP-APL-001-1.1.1", "diff-SOP-QA-001-1.1.0"]
    assert re.findall(r'<article class="sop-diff" lang="en" id="([\w.-]+)"', html) == ids
    assert re.findall(r'<a href="#([\w.-]+)">', html) == ids
    assert "<script" not in html and not re.search(r'(src|href)="(https?:)?//', html)  # self-contained


def test_the_pack_matches_the_golden_file(root: Path) -> None:
    found = pack(root, "2026-06-02", "2026-12-31")
    from soplib.diff.pack import render_pack

    assert_golden("calibration-pack.html", render_pack(found, Project(root)))


def test_translations_behind_english_are_flagged(root: Path) -> None:
    english = {i.sop_id: [(t.lang, t.source) for t in i.behind] for i in pack(root, "2026-06-02").items}
    # Spanish and Portuguese of SOP-APL-001 translate 1.1.0, not 1.1.1 (an editorial: still usable)
    assert english == {
        "SOP-APL-001": [("es", "1.1.0"), ("pt", "1.1.0")],
        "SOP-QA-001": [("es", "1.0.0")],  # Portuguese is not planned (`languages: [en, es]`)
    }


def test_a_pack_in_spanish_shows_english_where_spanish_lags(root: Path) -> None:
    found = pack(root, "2026-06-02", lang="es")
    shown = {i.sop_id: (i.diff.lang if i.diff else None, i.old, i.new) for i in found.items}
    assert shown == {"SOP-APL-001": ("en", "1.1.0", "1.1.1"), "SOP-QA-001": ("en", "1.0.0", "1.1.0")}
    assert [i.title for i in found.items] == [
        "Apelación de un vendedor por la baja de una publicación",
        "Sesiones de calibración",
    ]
    text = render_pack(pack(root, "2026-06-02", lang="es"), Project(root))
    assert "<h1>Paquete de calibración</h1>" in text
    assert "Aún no hay texto en español de la versión 1.1.1: se muestra el texto en inglés." in text
    assert "SOP-APL-001 · Apelación de un vendedor por la baja de una publicación</h2>" in text
    assert "Step 2 reworded for clarity; no change of meaning. (resumen en inglés)</dd>" in text


def test_the_cover_says_the_period_and_language(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "pack.pt.html"
    args = ["--since", "2026-06-01", "--until", "2026-09-30", "--lang", "pt", "--team", "appeals"]
    assert sop(root, "calibration-pack", *args, "-o", str(target)).returncode == 0
    html = target.read_text(encoding="utf-8")
    assert "<strong>Alterações entre 2026-06-01 e 2026-09-30</strong>" in html
    assert "<p>Idioma: Português (Brasil)</p>" in html and "<p>Equipe: Apelações</p>" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-02-30"], "--since 2026-02-30: there is no such day (February 2026 has 28 days)"),
        (
            ["--since", "2026-06-01", "--until", "2026-13-01"],
            "--until 2026-13-01: there is no month 13 (YYYY-MM-DD: months are 01 to 12)",
        ),
        (
            ["--since", "2026-06-01", "--until", "2026-01-01"],
            "--until 2026-01-01 is before --since 2026-06-01",
        ),
        (
            ["--since", "last-session"],
            "'last-session' is not a branch, tag or commit of this repository (check the name, "
            "or fetch it first, e.g. `git fetch origin last-session`)",
        ),
        (
            ["--since", "2026-06-01", "--team", "legal"],
            "unknown team 'legal': the teams are appeals (APL), quality-assurance (QA), "
            "customer-service (CS), knowledge-management (KM), bpo-training (TRN)",
        ),
        (
            ["--since", "2026-06-01", "--lang", "fr"],
            "unknown language 'fr': the library's languages are en, es, pt",
        ),
    ],
)
def test_errors_are_one_clear_line_and_write_nothing(
    root: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "pack.html"
    result = sop(root, "calibration-pack", *args, "-o", str(target))
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    assert not target.exists()


def test_the_output_is_required_and_never_in_sops(root: Path) -> None:
    missing = sop(root, "calibration-pack", "--since", "2026-06-01")
    assert missing.returncode == 2 and "Missing option '-o'" in missing.stderr
    inside = sop(root, "calibration-pack", "--since", "2026-06-01", "-o", "sops/pack.html")
    assert (
        inside.stderr
        == "Error: sops/pack.html: inside sops/, where it would be read as an SOP; write it elsewhere\n"
    )
    assert not (root / "sops" / "pack.html").exists()


def test_the_same_repository_gives_the_same_bytes(root: Path) -> None:
    first, second = (render_pack(pack(root, "2026-06-01"), Project(root)) for _ in range(2))
    assert first == second


@pytest.mark.parametrize(
    "args", [["--since", "2027-01-01"], ["--since", "2026-06-02", "--team", "bpo-training"]]
)
def test_a_period_with_no_change_is_a_one_page_pack_that_says_so(
    root: Path, tmp_path: Path, args: list[str]
) -> None:
    target = tmp_path / "pack.html"
    result = sop(root, "calibration-pack", *args, "-o", str(target))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"Calibration pack of 0 SOPs changed written to {target}\n"
    html = target.read_text(encoding="utf-8")
    assert "<h2>SOPs changed (0)</h2>" in html
    assert "No SOP changed in this period: there is nothing new to train." in html
