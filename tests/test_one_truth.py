"""Every door tells the same truth: for random libraries with a git history, lint, `sop status --format json`,
`sop report --format json`, the catalog, the site's banners and the calibration pack give every translation
the same state, every SOP the same lifecycle, and every version the same date."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitrepo import Repo
from sop_trees import ENGLISH, SPANISH, TODAY, Tree
from soplib import report, status
from soplib.diff.execute import compute_pack
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish import page
from soplib.publish.catalog import catalog
from soplib.repo.git import Git

TYPES = ["policy", "procedure", "clarification", "editorial"]
LIFECYCLES = ["draft", "active", "active", "deprecated", "retired"]
LINT_STATE = {
    "translation-stale": "stale",
    "translation-wording": "behind-wording",
    "translation-source-version": "invalid",
}
BANNER_STATE = {"sop-banner--stale": "stale", "sop-banner--wording": "behind-wording"}


@dataclass(frozen=True)
class Plan:
    """One SOP: its versions (type and days after the first), its lifecycle, what each translation does."""

    number: int
    types: tuple[str, ...]
    gaps: tuple[int, ...]
    lifecycle: str
    translations: tuple[tuple[str, int | None], ...]  # (lang, index of the version it translates) or None

    @property
    def sop_id(self) -> str:
        return f"SOP-APL-{self.number:03d}"

    def versions(self) -> list[tuple[str, str, str]]:
        """(version, date, type), oldest first: a major or minor bump for content, a patch for wording."""
        found, major, minor, patch = [], 1, 0, 0
        day = date(2026, 1, 5)
        for index, (kind, gap) in enumerate(zip(self.types, self.gaps, strict=True)):
            if index:
                major, minor, patch = (
                    (major, minor + 1, 0) if kind in ("policy", "procedure") else (major, minor, patch + 1)
                )
            day += timedelta(days=gap)
            found.append((f"{major}.{minor}.{patch}", day.isoformat(), "policy" if not index else kind))
        return found

    def english(self, upto: int) -> str:
        versions = self.versions()[: upto + 1]
        entries = "".join(
            f"  - version: {v}\n    date: {d}\n    type: {t}\n    summary: Version {v}.\n"
            for v, d, t in reversed(versions)
        )
        version, day, _ = versions[-1]
        lifecycle = self.lifecycle + (
            "\nsuperseded_by: SOP-APL-900" if self.lifecycle == "deprecated" else ""
        )
        front = (
            ENGLISH.replace("SOP-APL-001", self.sop_id)
            .replace("version: 1.1.0\n", f"version: {version}\n", 1)
            .replace("status: active", f"status: {lifecycle}")
            .replace("effective_date: 2026-06-01", f"effective_date: {day}")
        )
        head, _, rest = front.partition("changes:\n")
        return head + "changes:\n" + entries + rest.split("---\n", 1)[1].join(["---\n", ""])

    def translation(self, lang: str, index: int, upto: int) -> str:
        versions = self.versions()
        source = versions[index][0] if index <= upto else "9.9.9"  # ahead of English: invalid
        title = {"es": "Apelación de prueba", "pt": "Apelação de teste"}[lang]
        return (
            SPANISH.replace("SOP-APL-001", self.sop_id)
            .replace("source_version: 1.1.0", f"source_version: {source}")
            .replace("Apelación de un vendedor por la baja de una publicación", f"{title} {self.number}")
        )


@st.composite
def plans(draw: st.DrawFn) -> list[Plan]:
    found = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        count = draw(st.integers(1, 4))
        types = tuple(draw(st.lists(st.sampled_from(TYPES), min_size=count, max_size=count)))
        gaps = tuple(draw(st.lists(st.integers(0, 200), min_size=count, max_size=count)))
        translations = tuple(
            (lang, draw(st.one_of(st.none(), st.integers(0, count))))  # count: one version ahead
            for lang in ("es", "pt")
        )
        found.append(Plan(number, types, gaps, draw(st.sampled_from(LIFECYCLES)), translations))
    return found


def build(root: Path, found: list[Plan]) -> Repo:
    """The first version of every SOP in one commit, the later ones in another: a base for the report."""
    tree = Tree(root)
    repo = Repo(tree)
    successor = ENGLISH.replace("SOP-APL-001", "SOP-APL-900")
    tree.add_sop("appeals/successor", en=successor, es=None, pt=None)
    for last in (0, None):
        for plan in found:
            upto = len(plan.types) - 1 if last is None else last
            tree.write(f"sops/appeals/sop-{plan.number}.md", plan.english(upto))
            for lang, index in plan.translations:
                if index is not None:
                    text = plan.translation(lang, index, upto)
                    tree.write(f"sops/appeals/sop-{plan.number}.{lang}.md", text)
        if last is None:  # something changes even when no SOP has a second version
            tree.add_sop(
                "appeals/successor", en=successor.replace("2027-06-01", "2027-07-01"), es=None, pt=None
            )
        repo.commit("2026-06-01T10:00:00-06:00" if last == 0 else "2026-07-01T10:00:00-06:00", "Ana", "v")
    return repo


def lint_states(root: Path) -> dict[tuple[str, str], str]:
    library = load_library(Project(root))
    ids = {sop.path.as_posix(): sop.sop_id for sop in library.sops}
    found = {}
    for finding in lint(library, TODAY).findings:
        if finding.rule in LINT_STATE:
            found[(ids[finding.path], finding.path.split(".")[-2])] = LINT_STATE[finding.rule]
        elif finding.rule == "translation-missing":
            missing = re.search(r"\(sops/[^)]+\.(\w+)\.md\)", finding.message)
            assert missing is not None, finding.message
            found[(ids[finding.path], missing.group(1))] = "missing"
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_door_gives_the_same_state(found: list[Plan]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "library"
        repo = build(root, found)
        project = Project(repo.root)
        library = load_library(project)
        truth = {
            (state.sop_id, lang): t.state.value
            for state in library.state.sops
            for lang, t in state.translations.items()
        }
        lifecycles = {state.sop_id: state.lifecycle.value for state in library.state.sops}
        dates = {state.sop_id: state.effective for state in library.state.sops}

        # lint: a finding for every translation that is not current (or not planned)
        expected_lint = {
            key: value for key, value in truth.items() if value not in ("current", "not-planned")
        }
        assert lint_states(repo.root) == expected_lint

        # sop status --format json
        shown = json.loads(status.RENDERERS["json"]().render(status.library_status(library.state, TODAY)))
        assert {
            (s["id"], lang): t["state"] for s in shown["sops"] for lang, t in s["translations"].items()
        } == truth
        assert {s["id"]: s["status"] for s in shown["sops"]} == lifecycles
        assert {s["id"]: s["effective_date"] for s in shown["sops"]} == dates

        # sop report --format json, against the first commit: every SOP changed since
        changed = json.loads(
            report.RENDERERS["json"](project).render(report.compute(library, Git(repo.root), "HEAD~1"))
        )
        for sop in changed["sops"]:
            for t in sop["translations"]:
                assert t["state"] == truth[(sop["id"], t["lang"])], (sop["id"], t)

        # the catalog: published SOPs only, each language as its reader gets it
        listed = catalog(library)
        assert {e["id"] for e in listed} == {s for s, life in lifecycles.items() if life != "draft"}
        for entry in listed:
            assert entry["status"] == lifecycles[entry["id"]]
            assert entry["effective_date"] == dates[entry["id"]]
            if entry["language"] != "en":
                assert entry["translation"] == truth[(entry["id"], entry["language"])]

        # the site's banners on each page
        for state in library.state.sops:
            for lang in ("es", "pt"):
                banners = page.banners(project, state, lang, "../", None)
                shown_state = next((v for k, v in BANNER_STATE.items() if k in banners), None)
                expected = truth[(state.sop_id, lang)]
                assert shown_state == (expected if expected in ("stale", "behind-wording") else None)
                assert ("sop-banner--missing" in banners) == (expected in ("missing", "not-planned"))

        # the calibration pack since the first commit: translations that lack its newest version
        pack = compute_pack(library, Git(repo.root), "HEAD~1", None, None, None, TODAY)
        for item in pack.items:
            assert lifecycles[item.sop_id] != "draft"
            for flagged in item.behind:
                state = truth[(item.sop_id, flagged.lang)]
                if flagged.source is None:
                    assert state == "missing"
                else:
                    assert state in ("stale", "behind-wording", "invalid")
                    assert flagged.usable == (state == "behind-wording")
