"""The sample library's shape: what SMEs copy, agents search and trainers diff must really be there."""

from __future__ import annotations

import re
import subprocess
from datetime import date

from sop_trees import REPO
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project

LIBRARY = load_library(Project(REPO))
GROUPS = LIBRARY.groups()
ENGLISH = [g.english for g in GROUPS.values() if g.english is not None]


def test_lint_passes_with_warnings_only() -> None:
    result = lint(LIBRARY, date(2026, 11, 22))
    assert result.errors == 0, [f for f in result.findings if f.severity == "error"]
    assert {f.rule for f in result.findings} <= {"translation-stale", "translation-wording"}


def test_at_least_fifteen_sops_besides_the_contributor_guide() -> None:
    ids = {sop.sop_id for sop in ENGLISH}
    assert "SOP-KM-001" in ids  # the contributor guide
    assert len(ids - {"SOP-KM-001"}) >= 15
    assert {sop.meta["team"] for sop in ENGLISH} == set(Project(REPO).allowed_values("team"))


def test_every_sop_in_three_languages_unless_marked_otherwise() -> None:
    for group in GROUPS.values():
        assert group.english is not None, group.key
        declared = group.english.meta.get("languages", ["en", "es", "pt"])
        assert sorted(group.files) == sorted(declared), group.key


def test_required_sections_in_every_language() -> None:
    project = Project(REPO)
    for sop in LIBRARY.sops:
        headings = re.findall(r"^## (.+)$", sop.body, re.MULTILINE)
        required = [s.names[sop.lang] for s in project.sections if s.required]
        assert [h for h in headings if h in required] == required, sop.path


def test_english_sops_are_substantial() -> None:
    for sop in ENGLISH:
        words = len(re.sub(r"[|#*`\-]", " ", sop.body).split())
        minimum = 400 if sop.meta["status"] == "deprecated" else 600
        assert words >= minimum, (sop.path, words)


def test_history_material_for_change_logs_and_diffs() -> None:
    with_history = [sop.sop_id for sop in ENGLISH if len(sop.meta["changes"]) >= 2]
    assert len(with_history) >= 5, with_history
    stale = [
        s.path
        for s in LIBRARY.sops
        if s.lang != "en" and s.meta["source_version"] != GROUPS[s.key].english.meta["version"]
    ]  # type: ignore[union-attr]
    assert len(stale) >= 2, stale
    deprecated = [s for s in ENGLISH if s.meta["status"] == "deprecated"]
    assert deprecated and all(s.meta.get("superseded_by") for s in deprecated)


def test_versions_reached_through_separate_commits() -> None:
    """At least five SOPs have one commit per version in the repository's own history."""
    stepped = []
    for sop in ENGLISH:
        log = subprocess.run(
            ["git", "log", "--follow", "--format=%s", "--", str(sop.path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        versions = [c["version"] for c in sop.meta["changes"]]
        if len(versions) >= 2 and all(any(f" {v}" in subject for subject in log) for v in versions):
            stepped.append(sop.sop_id)
    assert len(stepped) >= 5, stepped


def test_landing_page_in_every_language() -> None:
    for suffix in ("", ".es", ".pt"):
        text = (REPO / "sops" / f"index{suffix}.md").read_text(encoding="utf-8")
        assert "teams.md" in text and "browse.md" in text and "changes.md" in text
