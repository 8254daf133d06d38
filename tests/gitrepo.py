"""Temporary git repositories for history tests: pinned authors and dates, so commit ids never change.

Only sops/ is committed: the copies of schemas/ and translations/ stay out of the commits, so the commit
ids in the golden files do not change when those files do.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sop_trees import ENGLISH, PORTUGUESE, SPANISH, Tree

GOLDEN = Path(__file__).parent / "golden"
_ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **_ISOLATED, **(env or {})},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class Repo:
    """A Tree that is also a git repository."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.root = tree.root
        git(self.root, "init", "-q", "-b", "main")

    def commit(self, when: str, author: str, message: str) -> str:
        """Commit everything under sops/ as `author` at `when` (ISO 8601 with offset); returns its id."""
        email = (
            author.lower().replace(" ", ".").replace("ó", "o").replace("é", "e") + "@marketplace-ops.example"
        )
        who = {"NAME": author, "EMAIL": email, "DATE": when}
        env = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in who.items()}
        if any(path.is_file() for path in (self.root / "sops").rglob("*")):
            git(self.root, "add", "--all", "sops")
        git(self.root, "commit", "-q", "--no-gpg-sign", "-m", message, env=env)
        return git(self.root, "rev-parse", "HEAD").strip()

    def move(self, old: str, new: str) -> None:
        git(self.root, "mv", old, new)


def assert_golden(name: str, text: str) -> None:
    """Byte for byte against tests/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to write it"
    assert text.encode("utf-8") == path.read_bytes(), f"{name} differs from the golden file"


# -- the story every history test reads: eight commits, each one thing SMEs do -------------------------------
ENTRY_110 = (
    "  - version: 1.1.0\n    date: 2026-06-01\n    type: procedure\n"
    "    summary: Evidence window extended from 48 to 72 hours.\n"
)
EN_100 = (
    ENGLISH.replace("version: 1.1.0\n", "version: 1.0.0\n", 1)
    .replace("effective_date: 2026-06-01", "effective_date: 2026-01-10")
    .replace(ENTRY_110, "")
    .replace("The seller has 72 hours.", "The seller has 48 hours.")
)
EN_111 = (
    ENGLISH.replace("version: 1.1.0\n", "version: 1.1.1\n", 1)
    .replace("effective_date: 2026-06-01", "effective_date: 2026-09-14")
    .replace(
        "changes:\n",
        "changes:\n  - version: 1.1.1\n    date: 2026-09-14\n    type: editorial\n"
        "    summary: Step 2 reworded for clarity; no change of meaning.\n",
    )
    .replace("The seller has 72 hours.", "The seller has 72 hours to upload it.")
)
EN_111_UNBUMPED = EN_111.replace("within 24 hours", "within 12 hours")
ES_100 = SPANISH.replace("source_version: 1.1.0", "source_version: 1.0.0").replace("72 horas", "48 horas")
ES_110 = SPANISH.replace(
    "source_version: 1.1.0\n",
    "source_version: 1.1.0\nchange_summaries:\n"
    "  1.1.0: Plazo para la evidencia ampliado de 48 a 72 horas.\n  1.0.0: Primera versión.\n",
)
PT_100 = PORTUGUESE.replace("source_version: 1.1.0", "source_version: 1.0.0").replace("72 horas", "48 horas")

QA_EN_100 = """\
---
id: SOP-QA-001
title: Calibration sessions
version: 1.0.0
status: active
team: quality-assurance
owner: "@org/qa-leads"
regions: [MX, BR]
audience: [qa-auditor]
kpis: [audit-accuracy]
effective_date: 2026-06-01
review_by: 2027-06-01
languages: [en, es]
changes:
  - version: 1.0.0
    date: 2026-06-01
    type: policy
    summary: First version.
---

## Purpose

Auditors score the same contacts and compare their scores.

## Scope

QA auditors of every queue.

## Procedure

1. **Pick the contacts.** The QA lead picks five contacts.
2. **Score them.** Each auditor scores the contacts alone.

## Escalation

Disagreements go to the QA lead within 24 hours.
"""
QA_EN_110 = (
    QA_EN_100.replace("version: 1.0.0\n", "version: 1.1.0\n", 1)
    .replace("effective_date: 2026-06-01", "effective_date: 2026-12-01")
    .replace(
        "changes:\n",
        "changes:\n  - version: 1.1.0\n    date: 2026-12-01\n    type: policy\n"
        "    summary: Auditors score blind; the audit accuracy target is 90%.\n",
    )
    .replace("scores the contacts alone.", "scores the contacts alone, without seeing other scores.")
)
QA_ES_100 = """\
---
id: SOP-QA-001
title: Sesiones de calibración
source_version: 1.0.0
---

## Propósito

Los auditores califican los mismos contactos y comparan sus calificaciones.

## Alcance

Auditores de calidad de todas las filas.

## Procedimiento

1. **Elija los contactos.** El líder de calidad elige cinco contactos.
2. **Califíquelos.** Cada auditor califica los contactos por separado.

## Escalamiento

Los desacuerdos van al líder de calidad en 24 horas.
"""
APL = "sops/appeals/seller-appeal"
APL_RENAMED = "sops/appeals/seller-listing-removal-appeal"
QA = "sops/quality-assurance/calibration-sessions"


def story(repo: Repo) -> list[str]:
    """New SOP, content change, second SOP, translation catch-up, editorial fix, rename, a change in force
    later (2026-12-01), a change without a bump. Returns the eight commit ids, oldest first."""
    w = repo.tree.write
    commits = []
    for path, text in ((f"{APL}.md", EN_100), (f"{APL}.es.md", ES_100), (f"{APL}.pt.md", PT_100)):
        w(path, text)
    commits.append(repo.commit("2026-01-10T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.0.0: new SOP"))
    w(f"{APL}.md", ENGLISH)
    commits.append(
        repo.commit("2026-06-01T09:30:00-06:00", "Daniela Ortega", "SOP-APL-001 1.1.0 (procedure)")
    )
    w(f"{QA}.md", QA_EN_100)
    w(f"{QA}.es.md", QA_ES_100)
    commits.append(repo.commit("2026-06-02T15:00:00-06:00", "Rafael Souza", "SOP-QA-001 1.0.0: new SOP"))
    w(f"{APL}.es.md", ES_110)
    w(f"{APL}.pt.md", PORTUGUESE)
    commits.append(repo.commit("2026-06-15T12:00:00-06:00", "Lucas Pereira", "SOP-APL-001: es, pt catch up"))
    w(f"{APL}.md", EN_111)
    commits.append(repo.commit("2026-09-14T11:00:00-06:00", "Mariana López", "SOP-APL-001 1.1.1 (editorial)"))
    for suffix in (".md", ".es.md", ".pt.md"):
        repo.move(f"{APL}{suffix}", f"{APL_RENAMED}{suffix}")
    commits.append(repo.commit("2026-10-01T10:00:00-06:00", "Ana Beatriz Lima", "Rename SOP-APL-001"))
    w(f"{QA}.md", QA_EN_110)
    commits.append(repo.commit("2026-10-12T16:00:00-06:00", "Rafael Souza", "SOP-QA-001 1.1.0 (policy)"))
    w(f"{APL_RENAMED}.md", EN_111_UNBUMPED)
    commits.append(repo.commit("2026-11-02T10:00:00-06:00", "Daniela Ortega", "SOP-APL-001: 12 hours"))
    return commits
